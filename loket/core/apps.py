from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "loket.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self) -> None:
        from loket.core import checks  # noqa: F401  (registers system checks)
