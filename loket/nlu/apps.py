from django.apps import AppConfig


class NluConfig(AppConfig):
    name = "loket.nlu"
    label = "nlu"
    verbose_name = "Pemahaman bahasa"
