from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "loket.applications"
    label = "applications"
    verbose_name = "Permohonan online"
    staff_nav = [
        {"label": "Permohonan", "url": "applications:queue", "roles": None, "order": 20},
    ]
