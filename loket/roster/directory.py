"""The staff directory: WhatsApp numbers, contacts, and the XLSX import (with its template).

Import policy: all or nothing. Every row is checked first; if any row is bad, nothing is
imported and every bad row is listed (row number and what is wrong, in Indonesian).
Rows with a NIP that already exists update that employee.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import phonenumbers
from django.db import transaction
from openpyxl import Workbook, load_workbook

from loket.catalog.models import Office
from loket.roster import skills
from loket.roster.models import Employee
from loket.whatsapp.models import Contact

COLUMNS = ["nama", "nip", "bidang", "jabatan", "keahlian", "supervisor", "whatsapp", "kelompok"]
YES = {"ya", "y", "yes", "1", "true", "v", "x"}
NO = {"", "tidak", "t", "no", "0", "false", "-"}


def normalize_whatsapp(raw: str) -> str:
    """'0812-3456-7890' -> '6281234567890' (wa_id form). Raises ValueError (Indonesian)."""
    text = str(raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"nomor WhatsApp tidak dikenali: {text}") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"nomor WhatsApp tidak valid: {text}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def contact_for(employee: Employee) -> Contact | None:
    """The office's WhatsApp contact for this employee (created on first use), keyed on wa_id."""
    if not employee.whatsapp:
        return None
    contact, _ = Contact.objects.get_or_create(
        office=employee.office,
        wa_id=employee.whatsapp,
        defaults={"phone": employee.whatsapp, "profile_name": employee.name},
    )
    return contact


def template_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "pegawai"
    ws.append(COLUMNS)
    ws.append(
        ["Sari Wulandari", "198703122010012001", "Pendaftaran Penduduk", "Operator",
         "perekaman, cs", "tidak", "0812-3456-7890", "A"]
    )  # fmt: skip
    help_ws = wb.create_sheet("keahlian")
    help_ws.append(["kode", "keahlian"])
    for code, label in skills.CHOICES:
        help_ws.append([code, label])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


MAX_BYTES = 5 * 1024 * 1024


def import_xlsx(office: Office, data: bytes) -> ImportResult:
    result = ImportResult()
    if len(data) > MAX_BYTES:
        result.errors.append("Berkas terlalu besar (maks. 5 MB).")
        return result
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        result.errors.append("Berkas bukan file Excel (.xlsx) yang bisa dibaca.")
        return result
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    if not rows:
        result.errors.append("Lembar pertama kosong.")
        return result
    header = [str(c or "").strip().lower() for c in rows[0]]
    missing = [c for c in ("nama", "bidang", "keahlian") if c not in header]
    if missing:
        result.errors.append("Kolom wajib tidak ada: " + ", ".join(missing))
        return result
    parsed, seen_nip = [], set()
    for number, row in enumerate(rows[1:], start=2):
        cells = {
            h: ("" if v is None else str(v).strip()) for h, v in zip(header, row, strict=False)
        }
        if not any(cells.values()):
            continue
        values, problems = _parse_row(cells)
        if values.get("nip") and values["nip"] in seen_nip:
            problems.append(f"NIP {values['nip']} muncul dua kali")
        seen_nip.add(values.get("nip"))
        if problems:
            result.errors.append(f"Baris {number}: " + "; ".join(problems))
        else:
            parsed.append(values)
    if result.errors:
        return result
    with transaction.atomic():
        for values in parsed:
            nip = values.pop("nip")
            if nip:
                _, created = Employee.objects.update_or_create(
                    office=office, nip=nip, defaults=values
                )
            else:
                Employee.objects.create(office=office, **values)
                created = True
            result.created += created
            result.updated += not created
    return result


def _parse_row(cells: dict[str, str]) -> tuple[dict, list[str]]:
    problems = []
    name, unit = cells.get("nama", ""), cells.get("bidang", "")
    if not name:
        problems.append("nama kosong")
    if not unit:
        problems.append("bidang kosong")
    nip = cells.get("nip", "").replace(" ", "")
    if nip and (not nip.isdigit() or len(nip) != 18):
        problems.append(f"NIP harus 18 angka: {nip}")
    codes, unknown = skills.parse(cells.get("keahlian", ""))
    if unknown:
        problems.append("keahlian tidak dikenal: " + ", ".join(unknown))
    supervisor = cells.get("supervisor", "").lower()
    if supervisor not in YES | NO:
        problems.append(f"kolom supervisor harus 'ya' atau 'tidak': {supervisor}")
    try:
        whatsapp = normalize_whatsapp(cells.get("whatsapp", ""))
    except ValueError as exc:
        problems.append(str(exc))
        whatsapp = ""
    group = cells.get("kelompok", "").upper()
    if group and (len(group) != 1 or not group.isalpha()):
        problems.append(f"kelompok piket harus satu huruf (A, B, …): {group}")
    values = {
        "name": name,
        "nip": nip,
        "unit": unit,
        "position": cells.get("jabatan", ""),
        "skills": codes,
        "is_supervisor": supervisor in YES,
        "whatsapp": whatsapp,
        "piket_group": group,
    }
    return values, problems
