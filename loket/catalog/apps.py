from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "loket.catalog"
    label = "catalog"
    verbose_name = "Layanan dan kebijakan"

    def ready(self) -> None:
        from loket.catalog import (
            checks,  # noqa: F401  (registers the deploy check)
            versioning,
        )

        versioning.connect()
