from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "loket.inbox"
    label = "inbox"
    verbose_name = "Kotak masuk petugas"
    staff_nav = [
        {"label": "Kotak masuk", "url": "inbox:index", "roles": None, "order": 20},
        {"label": "Beban petugas", "url": "inbox:load", "roles": ["kepala", "admin"], "order": 21},
    ]
