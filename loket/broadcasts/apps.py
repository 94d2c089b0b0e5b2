from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "loket.broadcasts"
    label = "broadcasts"
    verbose_name = "Siaran WhatsApp"
    staff_nav = [
        {
            "label": "Siaran",
            "url": "broadcasts:index",
            "roles": ["operator", "verifikator", "kepala", "admin"],
            "order": 40,
        }
    ]
