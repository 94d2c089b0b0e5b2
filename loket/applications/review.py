"""What the staff detail page shows beside the citizen's data: notes in staff wording, dates
as dd-mm-yyyy and small previews of uploaded photos."""

import datetime as dt
import io

from django.http import HttpResponse
from django.utils.dateparse import parse_date
from PIL import Image

from loket.applications.models import Application, Document
from loket.core import identity

THUMBNAIL_PX = 240


def nik_notes(application: Application) -> list[str]:
    """What a verifikator should check about the NIK, in staff wording (not the citizen's)."""
    digits = identity.clean_number(application.nik)
    if not (len(digits) == 16 and digits.isdigit()):
        return ["NIK bukan 16 digit angka: minta pemohon mengirim foto KTP-el atau KK."]
    check = identity.parse_nik(digits)
    notes = []
    if digits[12:] == "0000":
        notes.append("Nomor urut NIK (4 digit terakhir) 0000: NIK ini tidak sah.")
    if check.birth_date is None:
        notes.append("Tanggal lahir di NIK (digit ke-7 s.d. 12) tidak sah: cocokkan dengan KK.")
    if check.warnings and check.region_code:
        notes.append(
            f"Kode wilayah NIK {check.region_code} tidak ada di data Kemendagri terbaru "
            "(mungkin kode lama sebelum pemekaran): cocokkan dengan KK."
        )
    elif check.valid and check.region_code != application.office.region_code:
        place = identity.region_name(check.region_code) or check.region_code
        notes.append(f"NIK diterbitkan di {place}, bukan di wilayah kantor ini.")
    typed = parse_date(application.data.get("birth_date", "") or "")
    if check.birth_date and typed and check.birth_date != typed:
        notes.append(
            f"Tanggal lahir di NIK {check.birth_date:%d-%m-%Y}, yang diisi pemohon "
            f"{typed:%d-%m-%Y}: periksa akta/KK sebelum verifikasi."
        )
    return notes


def shown(extra, value: str) -> str:
    """A typed extra field as staff read it: the choice's label, a date as dd-mm-yyyy."""
    if extra.kind == "date":
        day = parse_date(value or "") if isinstance(value, str) else None
        return f"{day:%d-%m-%Y}" if isinstance(day, dt.date) else value
    return dict(extra.choices).get(value, value)


def thumbnail_response(document: Document) -> HttpResponse:
    """A small JPEG of an uploaded photo (never of a PDF), for the detail page."""
    image = Image.open(io.BytesIO(document.read()))
    image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=70)
    response = HttpResponse(out.getvalue(), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
