"""Fixtures of the applications tests: Budi's WhatsApp contact, his link, files made here."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from loket.core.links import make_token
from loket.whatsapp.models import Contact

BUDI_NIK = "6471051203900001"  # Balikpapan Selatan, born 12-03-1990, a man
BUDI_KK = "6471050101200003"
SEPINGGAN = "64.71.05.1002"


@pytest.fixture
def contact(office):
    return Contact.objects.create(
        office=office, wa_id="6281234567890", profile_name="Budi", last_inbound_at=timezone.now()
    )


def jpeg_bytes(size=(1600, 1200), exif_gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 180, 160))
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "S", 2: (1.0, 16.0, 0.0)}  # GPS info
        kwargs["exif"] = exif
    image.save(out, "JPEG", quality=90, **kwargs)
    return out.getvalue()


def pdf_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(out, "PDF")
    return out.getvalue()


def photo(name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def pdf(name: str = "dokumen.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def link_path(contact, service_code: str = "akta-lahir") -> str:
    return f"/l/{make_token(contact.pk, service_code)}/"


def akta_form(**overrides) -> dict:
    data = {
        "nik": BUDI_NIK,
        "kk": BUDI_KK,
        "name": "Budi Santoso",
        "birth_place": "Balikpapan",
        "birth_date": "1990-03-12",
        "address": "Jl. Mawar No. 5 RT 12",
        "kelurahan": SEPINGGAN,
        "x_child_name": "Ayu Santoso",
        "x_child_sex": "P",
        "x_child_birth_place": "RSUD Balikpapan",
        "x_child_birth_date": "2026-11-20",
        "x_father_name": "Budi Santoso",
        "x_mother_name": "Siti Aminah",
        "action": "submit",
    }
    for index in range(5):
        data[f"doc_{index}"] = photo() if index % 2 else pdf()
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def submitted(client, contact, fake_graph):
    """Budi's akta-lahir application, submitted through the form."""
    from loket.applications.models import Application

    response = client.post(link_path(contact), akta_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get(contact=contact)
