from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "loket.appointments"
    label = "appointments"
    verbose_name = "Janji temu dan antrean"
    staff_nav = [
        {"label": "Antrean", "url": "appointments:staff-queue", "roles": None, "order": 30},
        {
            "label": "Rekap janji",
            "url": "appointments:staff-summary",
            "roles": ["kepala"],
            "order": 31,
        },
        {"label": "Sesi", "url": "appointments:staff-slots", "roles": ["admin"], "order": 32},
    ]
