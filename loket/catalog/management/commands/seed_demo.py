import importlib
import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from loket.catalog import demo


class Command(BaseCommand):
    help = ("Loads demo data (idempotent): Disdukcapil Kota Balikpapan, the service catalog, the "
            "emergency policy in force from today for nine days, and a demo staff login.")

    @transaction.atomic
    def handle(self, *args, **options):
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
        login = self.demo_login()
        self.stdout.write(self.style.SUCCESS(f"Data demo siap: {office.name}."))
        self.stdout.write(f"Login staf demo: {login}")

    def demo_login(self) -> str:
        path = settings.DATA_DIR / "demo_login.txt"
        User = get_user_model()  # noqa: N806
        if path.exists() and User.objects.filter(username="admin").exists():
            return path.read_text().strip()
        password = secrets.token_urlsafe(9)
        user, _ = User.objects.get_or_create(username="admin", defaults={
            "first_name": "Admin", "is_staff": True, "is_superuser": True})
        user.set_password(password)
        user.save()
        login = f"admin / {password}"
        path.write_text(login + "\n")
        path.chmod(0o600)
        return login
