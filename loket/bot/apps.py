from django.apps import AppConfig


class BotConfig(AppConfig):
    name = "loket.bot"
    label = "bot"
    verbose_name = "Bot WhatsApp"
