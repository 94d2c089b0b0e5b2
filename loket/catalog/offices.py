"""Offices of an installation: adding one, changing it, and its variation of the catalog.

Used by the staff page /staf/kantor/ (installation admins). Every change writes an audit entry;
a new office starts with weekday hours and a published "everything open" policy that its own
kepala then changes on /staf/kebijakan/.
"""

import datetime as dt
import re
from dataclasses import dataclass, fields

from django.db import transaction
from django.utils import timezone

from loket.catalog.models import (
    Office,
    OfficeHours,
    OfficeService,
    PolicyChange,
    Service,
    ServicePolicy,
)
from loket.core.audit import log_action
from loket.core.identity import region_name

REGION_CODE = re.compile(r"^\d{2}\.\d{2}$")
PHONE_NUMBER_ID = re.compile(r"^\d{5,32}$")
DISPLAY_NUMBER = re.compile(r"^\+?[\d\s\-]{6,32}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,48}$")
TIMEZONES = [
    ("Asia/Jakarta", "WIB (Asia/Jakarta)"),
    ("Asia/Makassar", "WITA (Asia/Makassar)"),
    ("Asia/Jayapura", "WIT (Asia/Jayapura)"),
]
DEFAULT_HOURS = [(day, dt.time(8, 0), dt.time(15, 0)) for day in range(5)]  # Senin–Jumat
DEFAULT_POLICY_NAME = "Layanan normal"


class OfficeError(Exception):
    """Input that cannot be saved: `errors` maps a field (or "" for the whole) to Indonesian."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class OfficeInput:
    name: str
    slug: str
    region_code: str
    city_name: str = ""
    address: str = ""
    timezone_name: str = "Asia/Makassar"
    phone_number_id: str = ""
    whatsapp_display_number: str = ""


@dataclass(frozen=True)
class OfferingInput:
    service: Service
    offered: bool = True
    note: str = ""


def validate(data: OfficeInput, office: Office | None = None) -> dict[str, str]:
    """Every problem of `data`, per field, in Indonesian (empty: it can be saved)."""
    errors: dict[str, str] = {}
    others = Office.objects.exclude(pk=office.pk) if office else Office.objects.all()
    if not data.name.strip():
        errors["name"] = "Nama kantor wajib diisi."
    if not SLUG.match(data.slug):
        errors["slug"] = "Kode URL: 2–49 huruf kecil, angka atau tanda hubung, mis. “samarinda”."
    elif others.filter(slug=data.slug).exists():
        errors["slug"] = "Kode URL ini sudah dipakai kantor lain."
    if not REGION_CODE.match(data.region_code):
        errors["region_code"] = "Kode wilayah kab/kota ditulis seperti 64.71."
    elif region_name(data.region_code) is None:
        errors["region_code"] = f"Kode wilayah {data.region_code} tidak ada di data Kemendagri."
    if data.timezone_name not in dict(TIMEZONES):
        errors["timezone_name"] = "Pilih WIB, WITA atau WIT."
    if data.phone_number_id:
        if not PHONE_NUMBER_ID.match(data.phone_number_id):
            errors["phone_number_id"] = (
                "Phone number ID dari Meta hanya berisi angka (lihat WhatsApp Manager)."
            )
        elif others.filter(phone_number_id=data.phone_number_id).exists():
            errors["phone_number_id"] = "Nomor WhatsApp ini sudah dipakai kantor lain."
    if data.whatsapp_display_number and not DISPLAY_NUMBER.match(data.whatsapp_display_number):
        errors["whatsapp_display_number"] = "Nomor WhatsApp ditulis seperti +62 541 123456."
    if data.phone_number_id and not data.whatsapp_display_number:
        errors["whatsapp_display_number"] = "Isi juga nomor yang dilihat warga."
    return errors


def _values(data: OfficeInput) -> dict:
    values = {f.name: getattr(data, f.name).strip() for f in fields(data)}
    values["phone_number_id"] = values["phone_number_id"] or None
    values["city_name"] = values["city_name"] or region_name(data.region_code) or ""
    return values


LABELS = {
    "name": "nama",
    "slug": "kode URL",
    "region_code": "kode wilayah",
    "city_name": "kab/kota",
    "address": "alamat",
    "timezone_name": "zona waktu",
    "phone_number_id": "phone number ID",
    "whatsapp_display_number": "nomor WhatsApp",
}


def create_office(data: OfficeInput, by, request=None) -> Office:
    """A new office with weekday hours 08.00–15.00 and a published policy with every service
    open; raises OfficeError when `data` is not valid."""
    errors = validate(data)
    if errors:
        raise OfficeError(errors)
    with transaction.atomic():
        office = Office.objects.create(**_values(data))
        OfficeHours.objects.bulk_create(
            OfficeHours(office=office, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in DEFAULT_HOURS
        )
        policy = ServicePolicy.objects.create(
            office=office,
            name=DEFAULT_POLICY_NAME,
            starts_at=timezone.now(),
            message="",
        )
        PolicyChange.objects.create(
            office=office,
            policy=policy,
            policy_name=policy.name,
            actor=by,
            action=PolicyChange.Action.PUBLISHED,
            summary="Kantor baru: semua layanan dibuka seperti biasa.",
        )
        log_action(
            "office.created",
            office,
            actor=by,
            request=request,
            values={k: str(v or "") for k, v in _values(data).items()},
        )
    return office


def update_office(office: Office, data: OfficeInput, by, request=None) -> list[str]:
    """Saves the changes; returns them in words (empty: nothing changed)."""
    errors = validate(data, office)
    if errors:
        raise OfficeError(errors)
    lines = []
    with transaction.atomic():
        office = Office.objects.select_for_update().get(pk=office.pk)
        for name, value in _values(data).items():
            old = getattr(office, name)
            if (old or "") != (value or ""):
                lines.append(f"{LABELS[name]}: “{old or '-'}” → “{value or '-'}”")
                setattr(office, name, value)
        if lines:
            office.save()
            log_action("office.changed", office, actor=by, request=request, what=lines)
    return lines


def offerings(office: Office) -> list[OfficeService]:
    """One row per service of the catalog (unsaved where the office never changed it)."""
    saved = {o.service_id: o for o in OfficeService.objects.filter(office=office)}
    return [
        saved.get(service.pk) or OfficeService(office=office, service=service)
        for service in Service.objects.all()
    ]


def set_offerings(office: Office, wanted: list[OfferingInput], by, request=None) -> list[str]:
    """Which services `office` offers and its note on each; returns the changes in words."""
    lines = []
    with transaction.atomic():
        saved = {
            o.service_id: o for o in OfficeService.objects.select_for_update().filter(office=office)
        }
        for item in wanted:
            note = item.note.strip()
            current = saved.get(item.service.pk)
            was = (current.offered, current.note) if current else (True, "")
            if was == (item.offered, note):
                continue
            if was[0] != item.offered:
                lines.append(
                    f"{item.service.name}: {'dilayani' if item.offered else 'tidak dilayani'}"
                )
            if was[1] != note:
                lines.append(f"{item.service.name}: catatan “{note or '-'}”")
            OfficeService.objects.update_or_create(
                office=office,
                service=item.service,
                defaults={"offered": item.offered, "note": note},
            )
        if lines:
            log_action("office.services", office, actor=by, request=request, what=lines)
    return lines
