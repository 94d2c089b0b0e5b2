"""Demo staff directory and the piket from the 1st of this month to the end of the month or of
the emergency policy, whichever is later: solved and published (no WhatsApp numbers)."""

import datetime as dt
import random

from django.utils import timezone

from loket.catalog.models import Office
from loket.catalog.policy import policy_in_force
from loket.roster import skills
from loket.roster.models import Employee, RosterPeriod
from loket.roster.planning import publish, solve_period
from loket.staff.models import StaffMember

UNITS = {
    "Pelayanan Pendaftaran Penduduk": [skills.PEREKAMAN, skills.PENCETAKAN, skills.PENDAFTARAN],
    "Pelayanan Pencatatan Sipil": [skills.PENCATATAN_SIPIL, skills.LEGALISIR, skills.VERIFIKASI],
}
NAMES = [
    "Agus", "Bambang", "Citra", "Dedi", "Endang", "Fitri", "Gunawan", "Hendra", "Intan",
    "Joko", "Kartika", "Lestari", "Made", "Nur", "Oktaviani", "Putri", "Rahmat", "Siti",
    "Taufik", "Utami", "Wahyu", "Yanti", "Zainal", "Rina",
]  # fmt: skip


def seed(office: Office) -> None:
    if Employee.objects.filter(office=office).exists():
        return
    rng = random.Random(2020)
    units = list(UNITS)
    for i, name in enumerate(NAMES):
        unit = units[i % 2]
        codes = rng.sample(UNITS[unit], 2) + ([skills.CUSTOMER_SERVICE] if i % 5 == 0 else [])
        codes += [skills.PENGAMBILAN] if i % 3 == 1 else []  # the counter open in an emergency
        Employee.objects.create(
            office=office, name=name, unit=unit, skills=codes, is_supervisor=i < 6,
            position="Kepala Seksi" if i < 6 else "Pengadministrasi",
        )  # fmt: skip
    for username, index in [("dewi", 0), ("sari", 7)]:
        member = StaffMember.objects.filter(office=office, user__username=username).first()
        if member:
            Employee.objects.filter(office=office, name=NAMES[index]).update(staff_member=member)
    today = timezone.localdate()
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    policy = policy_in_force(office)
    if policy is not None and policy.ends_at is not None:
        end = max(end, timezone.localdate(policy.ends_at))
    period = RosterPeriod.objects.create(
        office=office,
        name=f"Piket {start:%d-%m-%Y} s.d. {end:%d-%m-%Y}",
        start=start,
        end=end,
        office_every=2,
        max_in_office=10,
        min_per_skill={
            skills.PEREKAMAN: 2,
            skills.PENCATATAN_SIPIL: 2,
            skills.CUSTOMER_SERVICE: 1,
            skills.PENGAMBILAN: 2,
        },
    )
    solution = solve_period(period, time_limit=5)
    if solution.feasible:
        publish(period)
