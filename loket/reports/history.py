"""`loket seed-history`: a realistic past for the demo office, so the dashboard tells a story.

The story over N days ending yesterday: normal service; then an emergency policy ("gelombang
pertama", from 55% to 80% of the span) when the counter nearly closes, walk-ins are
turned away and online applications climb to ~700 a working day; then recovery with distanced
counters and online applications staying high. Weekends and national holidays are quiet.
Everything is written with bulk_create, a chunk of days per transaction; a second run refuses
(the history contacts exist).
"""

import datetime as dt
import math
import random
from contextlib import contextmanager

from django.db import transaction

from loket.applications.models import Application
from loket.bot.models import Conversation
from loket.catalog.models import Office, OfficeClosure, ServicePolicy, add_national_holidays
from loket.reports import history_rows as rows
from loket.reports.periods import office_tz, today_for
from loket.whatsapp.models import Contact, InboundMessage, OutboundMessage

PREFIX = "62899"  # the history's made-up WhatsApp numbers
WAVE_NAME = "Tanggap darurat COVID-19 (gelombang pertama)"
BATCH = 2000


class AlreadySeeded(Exception):
    pass


@contextmanager
def _keep_timestamps():
    """auto_now(_add) would stamp every row with today: the history sets its own times."""
    fields = [
        Contact._meta.get_field("created_at"),
        InboundMessage._meta.get_field("received_at"),
        OutboundMessage._meta.get_field("created_at"),
        Application._meta.get_field("created_at"),
        Application._meta.get_field("updated_at"),
        Conversation._meta.get_field("updated_at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def already_seeded(office: Office) -> bool:
    return Contact.objects.filter(office=office, wa_id__startswith=PREFIX).exists()


def phase(index: int, days: int) -> tuple[str, float]:
    """(phase, progress 0..1 inside it) of day `index` (0 = first day of the history)."""
    wave_start, wave_end = round(days * 0.55), round(days * 0.8)
    if index < wave_start:
        return "normal", index / max(wave_start, 1)
    if index < wave_end:
        return "wave", (index - wave_start) / max(wave_end - wave_start, 1)
    return "recovery", (index - wave_end) / max(days - wave_end, 1)


def volumes(
    kind: str, progress: float, working: bool, rng: random.Random, scale: float = 1.0
) -> dict:
    """Expected counts for one day: online applications, walk-in demand, bookings."""
    if kind == "normal":
        online, walk, booked, capacity = 45, 230, 70, 14
    elif kind == "wave":
        online = 60 + 640 * min(1.0, progress * 3.0)  # climbs to ~700 within the first third
        walk, booked, capacity = 60, 25, 4  # distanced: one chair in three
    else:
        online = 420 - 200 * progress
        walk, booked, capacity = 150 + 60 * progress, 60, 8
    noise = rng.uniform(0.85, 1.15) * scale
    if not working:
        return {"online": int(online * 0.2 * noise), "walk": 0, "booked": 0, "capacity": 0}
    return {
        "online": int(online * noise),
        "walk": int(walk * noise),
        "booked": int(booked * noise),
        "capacity": max(1, round(capacity * scale**0.5)),
    }


def seed_history(office: Office, days: int, out=None, seed: int = 2020, scale: float = 1.0) -> dict:
    """Writes the history; `scale` < 1 makes a lighter one (the demo's `make run`)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    if already_seeded(office):
        raise AlreadySeeded(
            f"Riwayat untuk {office.name} sudah ada; tidak diisi dua kali "
            "(hapus basis data demo untuk mengisi ulang)."
        )
    say = out or (lambda text: None)
    rng = random.Random(seed)
    today = today_for(office)
    first = today - dt.timedelta(days=days)
    for year in range(first.year, today.year + 1):
        add_national_holidays(office, year)
    closures = set(
        OfficeClosure.objects.filter(office=office, date__gte=first).values_list("date", flat=True)
    )
    builder = rows.Builder(office, rng, office_tz(office), PREFIX)
    _wave_policy(office, first, days)
    totals: dict[str, int] = {}
    # Each chunk of days commits on its own: a year is ~1M rows, and a transaction of many
    # minutes is fragile (an interrupted run keeps the days written; a re-run then refuses).
    with _keep_timestamps():
        for index in range(days):
            day = first + dt.timedelta(days=index)
            working = day.weekday() < 5 and day not in closures
            kind, progress = phase(index, days)
            builder.day(day, kind, volumes(kind, progress, working, rng, scale), working)
            if builder.pending() >= BATCH or index == days - 1:
                with transaction.atomic():
                    for name, n in builder.flush().items():
                        totals[name] = totals.get(name, 0) + n
            if index % max(days // 10, 1) == 0 or index == days - 1:
                say(
                    f"  {index + 1}/{days} hari ({day:%d-%m-%Y}): "
                    f"{totals.get('permohonan', 0)} permohonan sejauh ini"
                )
        with transaction.atomic():
            totals.update(
                builder.roster(
                    first, today, closures, phase_of=lambda d: phase((d - first).days, days)[0]
                )
            )
    return totals


def _wave_policy(office: Office, first: dt.date, days: int) -> ServicePolicy:
    """The past emergency policy of the story, with the demo policy's rules copied."""
    tz = office_tz(office)
    start_day = first + dt.timedelta(days=round(days * 0.55))
    end_day = first + dt.timedelta(days=round(days * 0.8))
    policy, created = ServicePolicy.objects.get_or_create(
        office=office,
        name=WAVE_NAME,
        defaults={
            "starts_at": dt.datetime.combine(start_day, dt.time.min, tzinfo=tz),
            "ends_at": dt.datetime.combine(end_day, dt.time.min, tzinfo=tz),
            "message": "Layanan tatap muka dibatasi; permohonan diajukan online.",
        },
    )
    if created:
        template = ServicePolicy.objects.filter(office=office).exclude(pk=policy.pk).first()
        if template is not None:
            for rule in template.rules.all():
                rule.pk, rule.policy = None, policy
                rule.save()
    return policy


def lognormal_hours(rng: random.Random, median: float, spread: float = 0.8) -> float:
    return median * math.exp(rng.gauss(0, spread))
