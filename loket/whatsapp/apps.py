from django.apps import AppConfig


class WhatsAppConfig(AppConfig):
    name = "loket.whatsapp"
    label = "whatsapp"
    verbose_name = "WhatsApp"
