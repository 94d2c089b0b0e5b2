from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from loket.ops.restore import RestoreError, restore


class Command(BaseCommand):
    help = (
        "Restores an archive of `loket backup` into an EMPTY database (DATABASE_URL) and data "
        "directory (LOKET_DATA_DIR), checking checksums and that LOKET_ENCRYPTION_KEY opens the "
        "data. --force erases a non-empty target first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="ERASE the target database and files first"
        )

    def handle(self, *args, archive: str, force: bool = False, **options):
        try:
            restore(Path(archive), force=force, say=self.stdout.write)
        except RestoreError as error:
            raise CommandError(str(error)) from None
