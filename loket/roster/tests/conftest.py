"""A small Disdukcapil staff (two units, supervisors, skills) and a March-2020 piket period."""

import datetime as dt

import pytest

from loket.roster import skills
from loket.roster.models import Employee, RosterPeriod

STAFF = [
    # name, unit, skills, supervisor
    ("Andi", "Pendaftaran", [skills.PEREKAMAN, skills.PENDAFTARAN], True),
    ("Bayu", "Pendaftaran", [skills.PEREKAMAN, skills.PENCETAKAN], True),
    ("Citra", "Pendaftaran", [skills.PENDAFTARAN, skills.CUSTOMER_SERVICE], True),
    ("Dian", "Pendaftaran", [skills.PEREKAMAN], False),
    ("Eka", "Pendaftaran", [skills.PENCETAKAN, skills.PENGAMBILAN], False),
    ("Fajar", "Pendaftaran", [skills.PEREKAMAN, skills.CUSTOMER_SERVICE], False),
    ("Gita", "Pencatatan Sipil", [skills.PENCATATAN_SIPIL, skills.VERIFIKASI], True),
    ("Hadi", "Pencatatan Sipil", [skills.PENCATATAN_SIPIL, skills.LEGALISIR], True),
    ("Indah", "Pencatatan Sipil", [skills.PENCATATAN_SIPIL, skills.VERIFIKASI], True),
    ("Joko", "Pencatatan Sipil", [skills.VERIFIKASI, skills.CUSTOMER_SERVICE], False),
    ("Kiki", "Pencatatan Sipil", [skills.PENCATATAN_SIPIL], False),
    ("Lina", "Pencatatan Sipil", [skills.LEGALISIR, skills.PENGAMBILAN], False),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas' passwords are hashed with a fast hasher in these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def employees(office):
    made = []
    for i, (name, unit, codes, sup) in enumerate(STAFF):
        made.append(
            Employee.objects.create(
                office=office,
                name=name,
                unit=unit,
                skills=codes,
                is_supervisor=sup,
                whatsapp=f"62812000000{i:02d}",
            )
        )
    return {e.name: e for e in made}


@pytest.fixture
def period(office, employees):
    """16-29 March 2020: Nyepi (25 March) is a national holiday."""
    return RosterPeriod.objects.create(
        office=office,
        name="Piket 16-29 Maret 2020",
        start=dt.date(2020, 3, 16),
        end=dt.date(2020, 3, 29),
        office_every=2,
        max_in_office=6,
        min_per_skill={skills.PEREKAMAN: 1, skills.PENCATATAN_SIPIL: 1, skills.VERIFIKASI: 1},
        supervisor_per_unit=True,
    )
