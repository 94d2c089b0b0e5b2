from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "loket.applications"
    label = "applications"
    verbose_name = "Permohonan online"
    staff_nav = [
        {
            "label": "Permohonan",
            "url": "applications:queue",
            "roles": None,
            "order": 20,
            "badge": "loket.applications.queue.nav_badge",
            "badge_title": "permohonan terlambat",
        },
    ]
