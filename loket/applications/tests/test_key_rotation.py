"""Key rotation: lookups keep working with several keys, `loket rotate-keys` moves everything
to the new key (database rows and files), and a value no key opens fails loudly."""

import logging

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from loket.applications.models import Application
from loket.applications.tests.conftest import BUDI_NIK
from loket.core.crypto import DecryptionError, decrypt_text, encrypt_text, lookup_hash

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_storage(settings, tmp_path):
    """A private storage of this test's own: rotation rewrites every file in it."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def queue_finds(client, user, q: str) -> bool:
    client.force_login(user)
    return "BPN-" in client.get("/staf/permohonan/", {"q": q, "status": "all"}).content.decode()


def test_search_finds_rows_of_the_old_key_and_rotate_keys_moves_everything(
    private_storage, client, submitted, personas, settings, capsys
):
    old = settings.LOKET_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.LOKET_ENCRYPTION_KEYS = [new, old]  # the new key first, the old one still there
    dewi = personas["dewi"]
    assert submitted.nik_hash != lookup_hash(BUDI_NIK)  # stored under the old key
    assert queue_finds(client, dewi, BUDI_NIK)  # NIK search: old key's hash
    assert queue_finds(client, dewi, "siti aminah")  # a parent's name: old key's hash
    with pytest.raises(CommandError, match="old key"):
        call_command("rotate_keys", "--check")

    call_command("rotate_keys")
    out = capsys.readouterr().out
    assert "applications.application: 1/1" in out and "files:" in out

    settings.LOKET_ENCRYPTION_KEYS = [new]  # the old key removed
    call_command("rotate_keys", "--check")
    application = Application.objects.get(pk=submitted.pk)
    assert application.nik == BUDI_NIK and application.data["x_mother_name"] == "Siti Aminah"
    assert application.nik_hash == lookup_hash(BUDI_NIK)
    assert queue_finds(client, dewi, BUDI_NIK)
    assert queue_finds(client, dewi, "Aminah")
    assert len(list(private_storage.rglob("*.bin"))) == 5
    document = application.documents.first()
    assert document.read()[:4] in (b"%PDF", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1")


def test_a_value_no_key_opens_raises_and_logs_instead_of_reading_as_empty(settings, caplog):
    token = encrypt_text("6471051203900001")
    settings.LOKET_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the key was lost
    with caplog.at_level(logging.ERROR, logger="loket.crypto"), pytest.raises(DecryptionError):
        decrypt_text(token)
    assert "decryption failed" in caplog.text


def test_rotate_keys_refuses_loudly_when_a_row_cannot_be_decrypted(
    private_storage, submitted, settings
):
    settings.LOKET_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # old key dropped early
    with pytest.raises(CommandError, match="no configured key decrypts"):
        call_command("rotate_keys")
