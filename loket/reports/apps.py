from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "loket.reports"
    label = "reports"
    verbose_name = "Laporan"
    staff_nav = [
        {"label": "Laporan", "url": "reports:dashboard", "roles": ["kepala"], "order": 5},
        {
            "label": "Data SIAK",
            "url": "reports:siak",
            "roles": ["operator", "verifikator", "kepala"],
            "order": 6,
        },
        {"label": "Laporan provinsi", "url": "reports:province", "roles": ["provinsi"], "order": 4},
    ]
