from django.core.management.base import BaseCommand

from loket.core.keys import new_key


class Command(BaseCommand):
    help = (
        "Prints a new key for LOKET_ENCRYPTION_KEY (or LOKET_METRICS_TOKEN); with --secret-key, "
        "one for Django's SECRET_KEY. Needs no settings: safe to run before any configuration."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--secret-key", action="store_true", help="a key for SECRET_KEY (67 characters)"
        )

    def handle(self, *args, **options):
        self.stdout.write(new_key(secret_key=options["secret_key"]))
