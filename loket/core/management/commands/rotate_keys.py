from django.core.management.base import BaseCommand, CommandError

from loket.core import rotation


class Command(BaseCommand):
    help = (
        "Re-encrypts and re-hashes all personal data with the first key of "
        "LOKET_ENCRYPTION_KEY (new key first, old ones after it). With --check, only reports "
        "what is still under an old key. Exits with an error if any value cannot be decrypted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="report only, change nothing")

    def handle(self, *args, check: bool = False, **options):
        def progress(label: str, done: int, total: int) -> None:
            self.stdout.write(f"{label}: {done}/{total}")

        report = rotation.rotate(progress, check=check)
        self.stdout.write(
            f"{report.rows} rows, {report.files} files"
            + (f", {report.old_key} values still under an old key" if check else " rotated")
        )
        if report.failed:
            shown = ", ".join(report.failed[:20])
            raise CommandError(
                f"{len(report.failed)} values no configured key decrypts ({shown}): "
                "keep every old key in LOKET_ENCRYPTION_KEY until this is resolved."
            )
        if check and report.old_key:
            raise CommandError("Values under an old key remain: run `loket rotate-keys`.")
        if not check:
            self.stdout.write("Done: the old keys can now be removed from LOKET_ENCRYPTION_KEY.")
