"""Demo data: the counters of Disdukcapil Kota Balikpapan in March 2020, and a week of slots."""

from loket.appointments.capacity import sync_days_ahead
from loket.appointments.models import CounterConfig, Skill, WaitingRoom
from loket.catalog.models import Office, Service

COUNTERS = [
    # service code, skill, counters, minutes per person, daily cap
    ("legalisir", Skill.LEGALISIR, 2, 6, None),
    ("ambil-dokumen", Skill.PENGAMBILAN, 2, 5, None),
    ("ktp-rekam", Skill.PEREKAMAN, 4, 12, 200),
    ("ikd", Skill.CS, 1, 10, None),
]


def seed(office: Office) -> None:
    WaitingRoom.objects.get_or_create(
        office=office, defaults={"chairs": 40, "chair_spacing": 2, "slot_minutes": 60}
    )
    for code, skill, counters, minutes, cap in COUNTERS:
        service = Service.objects.filter(code=code).first()
        if service is None:
            continue
        CounterConfig.objects.get_or_create(
            office=office,
            service=service,
            defaults={
                "skill": skill,
                "counters": counters,
                "minutes_per_person": minutes,
                "daily_cap": cap,
            },
        )
    sync_days_ahead(office)
