"""Budi's akta-lahir draft and generated document photos (synth.py: fictitious people only).

Photos are made once per test session and kept small: the engine reads each in about a second.
"""

from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from loket.applications.models import Application, State
from loket.catalog.models import Service
from loket.whatsapp.models import Contact

KK_SLOT = 3  # akta-lahir: "KK tempat anak didaftarkan" (catalog document_kinds: "kk")
KTP_SLOT = 4  # akta-lahir: "KTP-el orang tua/pelapor" ("ktp")


@cache
def generated(kind: str, seed: int = 7, degrade: str | None = None) -> tuple[bytes, dict]:
    from loket.doccheck.synth import make_document

    return make_document(kind, seed=seed, degrade=degrade)


def upload_of(kind: str, seed: int = 7, degrade: str | None = None) -> SimpleUploadedFile:
    data, _ = generated(kind, seed, degrade)
    return SimpleUploadedFile(f"{kind}.jpg", data, content_type="image/jpeg")


def other_digits(number: str, positions: tuple[int, ...]) -> str:
    """`number` with the digits at `positions` changed (what a citizen mistyped)."""
    digits = list(number)
    for at in positions:
        digits[at] = str((int(digits[at]) + 3) % 10)
    return "".join(digits)


@pytest.fixture(autouse=True)
def _patient_time_limit(settings):
    """The tests check behaviour, not speed: a loaded test machine must not turn a check into
    "tidak dapat diperiksa" (the time limit itself is tested with a tiny value)."""
    settings.LOKET_DOCCHECK_SECONDS = 300


@pytest.fixture
def contact(office):
    return Contact.objects.create(
        office=office, wa_id="6281234567890", profile_name="Budi", last_inbound_at=timezone.now()
    )


@pytest.fixture
def draft(contact):
    """Budi's akta-lahir draft typed from the generated KK, NIK digits 13 and 15 off (serial)."""
    _, truth = generated("kk")
    application = Application.objects.create(
        office=contact.office,
        contact=contact,
        service=Service.objects.get(code="akta-lahir"),
        state=State.DRAFT,
    )
    application.set_kk(truth["kk_number"])
    application.set_nik(other_digits(truth["nik"], (12, 14)))
    application.set_data({"name": truth["name"]})
    application.save()
    return application
