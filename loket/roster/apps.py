from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "loket.roster"
    label = "roster"
    verbose_name = "Piket"
    default_auto_field = "django.db.models.BigAutoField"
    staff_nav = [
        {"label": "Piket", "url": "roster:calendar", "roles": None, "order": 40},
        {"label": "Jadwal saya", "url": "roster:mine", "roles": None, "order": 41},
    ]
