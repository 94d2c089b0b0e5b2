"""Demo data: Disdukcapil Kota Balikpapan and the March-2020 emergency policy, from today."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from loket.catalog.loading import load_services
from loket.catalog.models import (
    Mode,
    Office,
    OfficeHours,
    PolicyRule,
    Service,
    ServicePolicy,
    add_national_holidays,
)

POLICY_NAME = "Tanggap darurat COVID-19"
TNI_POLRI = "Pendaftaran calon anggota TNI/Polri"

RULES = {
    "ktp-rekam": (
        Mode.SUSPENDED,
        "Perekaman KTP-el memerlukan kontak fisik (sidik jari, iris, foto).",
        "Jika mendesak (mis. syarat menikah atau KK baru), tulis *petugas* agar "
        "kami catat. Layanan lain seperti KK, akta dan surat pindah tetap bisa "
        "diurus online.",
    ),
    "ktp-cetak": (
        Mode.SUSPENDED,
        "Pencetakan KTP-el dihentikan selama masa tanggap darurat.",
        "Data Anda tetap tercatat; KTP-el bisa dicetak setelah layanan dibuka.",
    ),
    "ikd": (Mode.SUSPENDED, "Aktivasi IKD memerlukan kehadiran di kantor.", ""),
    "legalisir": (Mode.LIMITED, "Loket legalisir buka dengan antrean terbatas.", ""),
    "ambil-dokumen": (
        Mode.NORMAL,
        "Pengambilan dokumen yang sudah jadi tetap dilayani di loket, dengan jarak antrean.",
        "",
    ),
}


def seed_office() -> Office:
    office, _ = Office.objects.update_or_create(
        slug="balikpapan",
        defaults={
            "name": "Disdukcapil Kota Balikpapan",
            "region_code": "64.71",
            "city_name": "Kota Balikpapan",
            "address": "Jl. Jenderal Sudirman No. 1, Balikpapan",
            "phone_number_id": settings.WHATSAPP_PHONE_NUMBER_ID or None,
            "whatsapp_display_number": settings.SIMULATOR_DISPLAY_NUMBER
            if settings.SIMULATOR_ENABLED
            else "",
        },
    )
    for weekday in range(4):
        OfficeHours.objects.update_or_create(
            office=office,
            weekday=weekday,
            defaults={
                "opens": dt.time(8),
                "closes": dt.time(16),
                "break_start": dt.time(12),
                "break_end": dt.time(13),
            },
        )
    OfficeHours.objects.update_or_create(
        office=office,
        weekday=4,
        defaults={
            "opens": dt.time(8),
            "closes": dt.time(16, 30),
            "break_start": dt.time(11, 30),
            "break_end": dt.time(13, 30),
        },
    )
    return office


def seed_policy(office: Office) -> ServicePolicy:
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    policy = ServicePolicy.objects.filter(office=office, name=POLICY_NAME).first()
    if policy is None:
        policy = ServicePolicy.objects.create(
            office=office,
            name=POLICY_NAME,
            starts_at=start,
            ends_at=start + dt.timedelta(days=9),
            legal_basis="Surat Edaran Wali Kota Balikpapan tentang pencegahan COVID-19",
            message="Untuk mencegah penyebaran COVID-19, layanan tatap muka dibatasi. "
            "Semua permohonan diajukan online; loket hanya melayani pengambilan "
            "dokumen dan legalisir.",
        )
    for service in Service.objects.all():
        mode, message, alternative = RULES.get(
            service.code,
            (
                Mode.ONLINE_ONLY,
                "Ajukan online dari rumah; dokumen dikirim sebagai PDF atau diambil setelah jadi.",
                "",
            ),
        )
        PolicyRule.objects.update_or_create(
            policy=policy,
            service=service,
            defaults={
                "mode": mode,
                "message": message,
                "alternative": alternative,
                "purposes": [TNI_POLRI, "Pengambilan dokumen mendesak"]
                if mode == Mode.LIMITED
                else [],
            },
        )
    return policy


def seed() -> Office:
    load_services()
    office = seed_office()
    add_national_holidays(office, timezone.localdate().year)
    add_national_holidays(office, timezone.localdate().year + 1)
    seed_policy(office)
    return office
