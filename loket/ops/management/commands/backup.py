import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from loket.ops.backup import BackupError, backup_to_dir, make_backup


class Command(BaseCommand):
    help = (
        "Writes one archive (tar.gz) with the database, the stored files (still encrypted) and a "
        "manifest. --out FILE, or --dir DIR (default LOKET_BACKUP_DIR) with --keep N: a "
        "timestamped loket-YYYYmmdd-HHMMSS.tar.gz (UTC) and the oldest beyond N deleted. "
        "Keys are never in the archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", help="the archive to write")
        parser.add_argument("--dir", help="directory of daily archives (LOKET_BACKUP_DIR)")
        parser.add_argument("--keep", type=int, default=14, help="archives kept in --dir")
        parser.add_argument("--quiet", action="store_true", help="no progress lines")

    def handle(self, *args, out=None, dir=None, keep=14, quiet=False, **options):
        say = (lambda text: None) if quiet else self.stdout.write
        directory = dir or os.environ.get("LOKET_BACKUP_DIR", "").strip()
        if out and dir:
            raise CommandError("--out atau --dir, tidak keduanya / --out or --dir, not both")
        if not out and not directory:
            raise CommandError(
                "Tentukan --out FILE atau --dir DIR (atau LOKET_BACKUP_DIR). / "
                "Give --out FILE or --dir DIR (or set LOKET_BACKUP_DIR)."
            )
        try:
            if out:
                make_backup(Path(out), say)
            else:
                backup_to_dir(Path(directory), keep, say)
        except BackupError as error:
            raise CommandError(str(error)) from None
