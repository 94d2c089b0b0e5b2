import time

from django.core.management.base import BaseCommand, CommandError

from loket.catalog.models import Office
from loket.reports.history import AlreadySeeded, seed_history


class Command(BaseCommand):
    help = (
        "Fills the demo office with N days of realistic history (applications, messages, "
        "bookings, queue, piket) for the dashboard and the benchmarks. Refuses a second run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=60)
        parser.add_argument("--office", default="balikpapan", help="the office's slug")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="volume factor (the demo uses 0.2)"
        )

    def handle(self, *args, days: int, office: str, scale: float, **options):
        if not 1 <= days <= 800:
            raise CommandError("--days harus antara 1 dan 800.")
        if not 0 < scale <= 5:
            raise CommandError("--scale harus lebih dari 0 dan paling besar 5.")
        target = Office.objects.filter(slug=office).first()
        if target is None:
            raise CommandError(f"Kantor '{office}' tidak ada: jalankan dulu `loket seed-demo`.")
        started = time.monotonic()
        self.stdout.write(f"Mengisi riwayat {days} hari untuk {target.name}…")
        try:
            totals = seed_history(target, days, out=self.stdout.write, scale=scale)
        except AlreadySeeded as exc:
            raise CommandError(str(exc)) from None
        summary = ", ".join(f"{k} {v}" for k, v in totals.items())
        self.stdout.write(
            self.style.SUCCESS(f"Selesai dalam {time.monotonic() - started:.1f} s: {summary}")
        )
