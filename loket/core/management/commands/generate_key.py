from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prints a new key for LOKET_ENCRYPTION_KEY."

    def handle(self, *args, **options):
        self.stdout.write(Fernet.generate_key().decode())
