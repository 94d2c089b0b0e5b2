import importlib
import secrets

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from loket.catalog import demo


class Command(BaseCommand):
    help = (
        "Loads demo data (idempotent): Disdukcapil Kota Balikpapan, the service catalog, the "
        "emergency policy in force from today for nine days, and a demo staff login."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        password = self.demo_password()
        office = demo.seed()
        for config in apps.get_app_configs():
            if not config.name.startswith("loket.") or config.name == "loket.catalog":
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.seed(office)
        self.stdout.write(self.style.SUCCESS(f"Data demo siap: {office.name}."))
        self.stdout.write(f"Login staf demo: admin / {password}  (juga sari, dewi, kepala)")
        self.stdout.write(
            "admin dan kepala: pada login pertama pindai kode QR dengan aplikasi autentikator "
            "(verifikasi dua langkah)."
        )

    def demo_password(self) -> str:
        """One generated password for the demo personas, kept in LOKET_DATA_DIR."""
        path = settings.DATA_DIR / "demo_login.txt"
        if path.exists():
            return path.read_text().split("/")[-1].split()[0].strip()
        password = secrets.token_urlsafe(9)
        path.write_text(f"admin / {password}\n")
        path.chmod(0o600)
        return password
