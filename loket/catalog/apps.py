from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "loket.catalog"
    label = "catalog"
    verbose_name = "Layanan dan kebijakan"
