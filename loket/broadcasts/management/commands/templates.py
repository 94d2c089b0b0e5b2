"""`loket templates sync [--office ID]`: mirror the WhatsApp Business Account's templates.

Progress lines (one per page read from Meta) go to stderr; a summary per office to stdout.
Exits non-zero when an office could not be synchronised.
"""

from django.core.management.base import BaseCommand, CommandError

from loket.broadcasts import metasync
from loket.catalog.models import Office


class Command(BaseCommand):
    help = "WhatsApp message templates: `sync` reads them (and the number's rating) from Meta."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sync = sub.add_parser("sync", help="read every template of the office's account")
        sync.add_argument("--office", type=int, help="office id (default: every office)")

    def handle(self, *args, **options) -> None:
        offices = Office.objects.order_by("pk")
        if options.get("office"):
            offices = offices.filter(pk=options["office"])
        if not offices.exists():
            raise CommandError("no such office")
        failed = []
        for office in offices:
            self.stderr.write(f"{office}: membaca template dari Meta…")
            try:
                result = metasync.sync(office, progress=self.stderr.write)
            except metasync.TemplateError as error:
                self.stderr.write(f"{office}: GAGAL: {error}")
                failed.append(office)
                continue
            number = result.number
            self.stdout.write(
                f"{office}: {result.seen} template dari {result.pages} halaman "
                f"({result.created} baru, {result.updated} diperbarui, {result.gone} tidak ada "
                f"lagi di Meta); nomor: "
                f"{number.quality_rating if number else '?'} "
                f"{(number.messaging_limit if number else '') or '?'}"
            )
            for warning in result.warnings:
                self.stdout.write(f"{office}: peringatan: {warning}")
        if failed:
            raise CommandError(f"{len(failed)} kantor gagal disinkronkan")
