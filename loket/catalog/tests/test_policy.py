import datetime as dt

import pytest
from django.utils import timezone

from loket.catalog.models import Mode, Service, ServicePolicy
from loket.catalog.policy import policy_in_force, service_status

pytestmark = pytest.mark.django_db


def test_the_catalog_has_every_service_of_the_reference(office):
    codes = set(Service.objects.values_list("code", flat=True))
    assert codes == {
        "ktp-rekam",
        "ktp-cetak",
        "ktp-ganti",
        "kk-baru",
        "kk-ubah",
        "kia",
        "pindah",
        "datang",
        "akta-lahir",
        "akta-mati",
        "akta-kawin",
        "akta-cerai",
        "akta-anak",
        "akta-ubah",
        "legalisir",
        "ikd",
        "ambil-dokumen",
    }
    assert all(len(s.short_name) <= 24 for s in Service.objects.all())
    assert Service.objects.get(code="kk-baru").sla_hours == 24


def test_the_demo_policy_is_in_force_for_nine_days(office):
    now = timezone.now()
    assert policy_in_force(office, now).name == "Tanggap darurat COVID-19"
    assert policy_in_force(office, now + dt.timedelta(days=10)) is None


def test_service_status_follows_the_policy_in_force(office):
    rekam = Service.objects.get(code="ktp-rekam")
    legalisir = Service.objects.get(code="legalisir")
    now = timezone.now()
    assert service_status(office, rekam, now).mode == Mode.SUSPENDED
    limited = service_status(office, legalisir, now)
    assert limited.mode == Mode.LIMITED
    assert "Pendaftaran calon anggota TNI/Polri" in limited.purposes
    assert service_status(office, rekam, now + dt.timedelta(days=10)).mode == Mode.NORMAL


def test_a_newer_policy_overrides_an_older_one(office):
    rekam = Service.objects.get(code="ktp-rekam")
    newer = ServicePolicy.objects.create(
        office=office,
        name="Rekam dibuka terbatas",
        starts_at=timezone.now() - dt.timedelta(minutes=1),
    )
    newer.rules.create(service=rekam, mode=Mode.LIMITED, purposes=["Syarat menikah"])
    assert service_status(office, rekam).mode == Mode.LIMITED


def test_the_office_is_closed_on_national_holidays_and_weekends(office):
    import holidays

    year = timezone.localdate().year
    independence = dt.date(year, 8, 17)
    assert independence in holidays.country_holidays("ID", years=year)
    assert office.hours_on(independence) is None
    saturday = dt.date(year, 11, 28) + dt.timedelta(days=(5 - dt.date(year, 11, 28).weekday()) % 7)
    assert office.hours_on(saturday) is None
    friday = saturday - dt.timedelta(days=1)
    if office.closures.filter(date=friday).exists():
        friday -= dt.timedelta(days=7)
    assert office.hours_on(friday).closes == dt.time(16, 30)
