"""Recipient lists from XLSX: camat, lurah, RT/RW heads with Kemendagri region codes.

All or nothing: a file with any bad row imports nothing and says, row by row, what to fix.
"""

import io
import re
from dataclasses import dataclass, field

import phonenumbers
from django.db import IntegrityError, transaction
from openpyxl import Workbook, load_workbook

from loket.catalog.models import Office
from loket.whatsapp.models import Contact

from .models import Official

COLUMNS = ["nama", "jabatan", "kode_wilayah", "nama_wilayah", "rt_rw", "nomor_whatsapp"]
ROLES = {
    "camat": Official.Role.CAMAT,
    "lurah": Official.Role.LURAH,
    "kepala desa": Official.Role.LURAH,
    "ketua rw": Official.Role.RW,
    "rw": Official.Role.RW,
    "ketua rt": Official.Role.RT,
    "rt": Official.Role.RT,
}
REGION = re.compile(r"^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$")
MAX_ROWS = 20_000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def example_rows(office: Office | None = None) -> list[list[str]]:
    """Example rows with real region codes and names of the office's city (Balikpapan if none)."""
    from loket.core.identity import districts_of

    city = office.region_code if office is not None else "64.71"
    districts = districts_of(city) or districts_of("64.71")
    kecamatan, villages = districts[0]
    kelurahan = villages[0]
    return [
        ["Drs. Contoh Camat", "camat", kecamatan.code, kecamatan.name, "", "0812xxxxxxx"],
        ["Contoh Lurah", "lurah", kelurahan.code, kelurahan.name, "", "0812xxxxxxx"],
        ["Contoh Ketua RT", "ketua rt", kelurahan.code, kelurahan.name, "RT 05", "62813xxxxxxx"],
    ]


def template_xlsx(office: Office | None = None) -> bytes:
    """The file to fill in: the header row and example rows of the office's own city."""
    book = Workbook()
    sheet = book.active
    sheet.title = "penerima"
    sheet.append(COLUMNS)
    for row in example_rows(office):
        sheet.append(row)
    for column, width in zip("ABCDEF", (28, 12, 16, 24, 10, 18), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _wa_id(raw) -> str | None:
    text = str(raw or "").strip()
    if not text:
        return None
    if text.isdigit() and text.startswith("62"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_rows(office: Office, data: bytes) -> tuple[list[dict], list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        return [], ["Berkas bukan XLSX yang bisa dibaca. Gunakan templat yang disediakan."]
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(v).lower() for v in next(rows, ())]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [
            f"Kolom tidak ditemukan: {', '.join(missing)}. Gunakan templat yang disediakan."
        ]
    index = {name: header.index(name) for name in COLUMNS}
    parsed, errors = [], []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            errors.append(f"Berkas terlalu panjang: maksimal {MAX_ROWS} baris.")
            break
        cells = {name: _cell(values[i]) if i < len(values) else "" for name, i in index.items()}
        if not any(cells.values()):
            continue
        problems = []
        if not cells["nama"]:
            problems.append("nama kosong")
        role = ROLES.get(cells["jabatan"].lower())
        if role is None:
            problems.append(
                f"jabatan '{cells['jabatan']}' tidak dikenal (camat/lurah/ketua rw/ketua rt)"
            )
        code = cells["kode_wilayah"]
        if not REGION.match(code):
            problems.append(f"kode wilayah '{code}' tidak sesuai format (mis. 64.71.01.1001)")
        elif not code.startswith(office.region_code):
            problems.append(f"kode wilayah {code} bukan wilayah {office.city_name}")
        if role in (Official.Role.RT, Official.Role.RW) and not cells["rt_rw"]:
            problems.append("kolom rt_rw wajib untuk ketua RT/RW")
        wa_id = _wa_id(cells["nomor_whatsapp"])
        if wa_id is None:
            problems.append(f"nomor WhatsApp '{cells['nomor_whatsapp']}' tidak valid")
        if problems:
            errors.append(f"Baris {number}: " + "; ".join(problems) + ".")
            continue
        parsed.append({**cells, "role": role, "wa_id": wa_id})
    return parsed, errors


def import_officials(office: Office, data: bytes) -> ImportResult:
    rows, errors = parse_rows(office, data)
    result = ImportResult(errors=errors)
    if errors:
        return result
    if not rows:
        result.errors.append("Tidak ada baris data di berkas ini.")
        return result
    try:
        with transaction.atomic():
            for row in rows:
                contact = Contact.objects.filter(office=office, wa_id=row["wa_id"]).first()
                if contact is None:
                    contact = Contact.objects.create(
                        office=office,
                        wa_id=row["wa_id"],
                        phone=row["wa_id"],
                        profile_name=row["nama"],
                    )
                _, created = Official.objects.update_or_create(
                    office=office,
                    contact=contact,
                    role=row["role"],
                    region_code=row["kode_wilayah"],
                    unit=row["rt_rw"],
                    defaults={"name": row["nama"], "region_name": row["nama_wilayah"]},
                )
                if created:
                    result.created += 1
                else:
                    result.updated += 1
    except IntegrityError:
        result.errors.append("Data bertabrakan dengan data lain; tidak ada yang disimpan.")
        result.created = result.updated = 0
    return result
