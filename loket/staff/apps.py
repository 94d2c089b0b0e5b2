from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "loket.staff"
    label = "staff"
    verbose_name = "Staf"
    # Items of the staff navigation: each app's AppConfig may declare `staff_nav` like this.
    staff_nav = [
        {"label": "Beranda", "url": "staff:home", "roles": None, "order": 0},
        {"label": "Kebijakan layanan", "url": "staff:policy", "roles": ["kepala"], "order": 60},
    ]

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from loket.staff.security import on_login

        user_logged_in.connect(on_login, dispatch_uid="loket-staff-login")
