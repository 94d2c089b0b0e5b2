"""Applications by service, channel and kecamatan/kelurahan, against the baseline.

Channels: "WhatsApp (daring)" is an online application sent through the bot's personal link
(counted on its first submission); "janji temu" a booking for a day of the period that was not
cancelled; "datang langsung" a walk-in ticket of the queue.
"""

import datetime as dt
from collections import Counter

from django.db.models import Count, Q

from loket.applications.models import Application
from loket.appointments.models import Booking, Ticket
from loket.catalog.models import Office, Service
from loket.core.identity import districts_of
from loket.reports.periods import Period, office_tz
from loket.reports.tables import Section, Table, change

CHANNELS = (
    ("online", "WhatsApp (daring)"),
    ("booking", "Janji temu"),
    ("walkin", "Datang langsung"),
)


def online(office: Office, period: Period):
    start, end = period.bounds(office_tz(office))
    return Application.objects.filter(office=office, submitted_at__gte=start, submitted_at__lt=end)


def bookings(office: Office, period: Period):
    return Booking.objects.filter(
        office=office, day__gte=period.start, day__lte=period.end
    ).exclude(status=Booking.Status.CANCELLED)


def walk_ins(office: Office, period: Period):
    """Tickets of the period; only those without a booking are counted (WALK_IN): filtering
    them in the WHERE clause makes SQLite pick the booking index and scan every ticket."""
    return Ticket.objects.filter(office=office, day__gte=period.start, day__lte=period.end)


WALK_IN = Q(booking__isnull=True)


def _by(queryset, field: str, only: Q | None = None) -> Counter:
    counted = Count("id", filter=only) if only is not None else Count("id")
    rows = queryset.values(field).annotate(n=counted).order_by()
    return Counter({row[field]: row["n"] for row in rows})


def by_service(office: Office, period: Period) -> dict[str, Counter]:
    return {
        "online": _by(online(office, period), "service_id"),
        "booking": _by(bookings(office, period), "service_id"),
        "walkin": _by(walk_ins(office, period), "service_id", WALK_IN),
    }


def totals(counts: dict[str, Counter]) -> dict[str, int]:
    return {channel: sum(c.values()) for channel, c in counts.items()}


def service_table(office: Office, now: dict, before: dict) -> Table:
    services = {s.pk: s for s in Service.objects.all()}
    rows = []
    ids = set().union(*now.values(), *before.values())
    for pk in sorted(ids, key=lambda pk: (services[pk].position, services[pk].code)):
        counts = [now[c][pk] for c, _ in CHANNELS]
        total, base = sum(counts), sum(before[c][pk] for c, _ in CHANNELS)
        rows.append([services[pk].name, *counts, total, base, change(total, base)])
    rows.sort(key=lambda row: -row[4])
    return Table(
        "layanan",
        "Permohonan per layanan",
        ["Layanan", *(label for _, label in CHANNELS), "Jumlah", "Pembanding", "Perubahan (%)"],
        rows,
        series=(4, 5),
    )


def channel_table(now: dict, before: dict) -> Table:
    rows = []
    for channel, label in CHANNELS:
        n, b = sum(now[channel].values()), sum(before[channel].values())
        rows.append([label, n, b, change(n, b)])
    return Table(
        "kanal",
        "Permohonan per kanal",
        ["Kanal", "Periode", "Pembanding", "Perubahan (%)"],
        rows,
        series=(1, 2),
    )


def _kelurahan_counts(office: Office, period: Period) -> Counter:
    rows = online(office, period).values("kelurahan").annotate(n=Count("id")).order_by()
    return Counter({row["kelurahan"] or "": row["n"] for row in rows})


def region_tables(office: Office, period: Period, baseline: Period) -> list[Table]:
    now, before = _kelurahan_counts(office, period), _kelurahan_counts(office, baseline)
    names, kecamatan_of = {}, {}
    for kecamatan, villages in districts_of(office.region_code):
        names[kecamatan.code] = kecamatan.name
        for kelurahan in villages:
            names[kelurahan.code] = kelurahan.name
            kecamatan_of[kelurahan.code] = kecamatan.code
    kec_now, kec_before = Counter(), Counter()
    for counts, target in ((now, kec_now), (before, kec_before)):
        for code, n in counts.items():
            target[kecamatan_of.get(code, "")] += n
    kec_rows = [
        [
            names.get(code, "(tidak diketahui)"),
            kec_now[code],
            kec_before[code],
            change(kec_now[code], kec_before[code]),
        ]
        for code in sorted(set(kec_now) | set(kec_before), key=lambda c: -kec_now[c])
    ]
    kel_rows = [
        [
            names.get(code, "(tidak diketahui)"),
            names.get(kecamatan_of.get(code, ""), ""),
            n,
            before[code],
            change(n, before[code]),
        ]
        for code, n in now.most_common(15)
    ]
    return [
        Table(
            "kecamatan",
            "Permohonan daring per kecamatan",
            ["Kecamatan", "Periode", "Pembanding", "Perubahan (%)"],
            kec_rows,
            series=(1, 2),
        ),
        Table(
            "kelurahan",
            "15 kelurahan dengan permohonan daring terbanyak",
            ["Kelurahan", "Kecamatan", "Periode", "Pembanding", "Perubahan (%)"],
            kel_rows,
            series=(2, 3),
        ),
    ]


def buckets(period: Period) -> list[dt.date]:
    """The first day of each bucket: days, or weeks (from Monday) beyond two months."""
    if period.days <= 62:
        return period.dates()
    first = period.start - dt.timedelta(days=period.start.weekday())
    return [first + dt.timedelta(days=7 * i) for i in range((period.end - first).days // 7 + 1)]


def per_bucket(
    queryset, field: str, edges: list, period: Period, only: Q | None = None
) -> list[int]:
    """Counts per bucket in one query (conditional aggregation: fast on SQLite and PostgreSQL,
    no per-row date conversion). `edges` are the buckets' first days or first instants."""
    ends = [*edges[1:], None]
    aggregates = {}
    for i, (start, end) in enumerate(zip(edges, ends, strict=True)):
        condition = Q(**{f"{field}__gte": start})
        if end is not None:
            condition &= Q(**{f"{field}__lt": end})
        if only is not None:
            condition &= only
        aggregates[f"b{i}"] = Count("id", filter=condition)
    result = queryset.aggregate(**aggregates)
    return [result[f"b{i}"] for i in range(len(edges))]


def daily_table(office: Office, period: Period) -> Table:
    """Per day (per week beyond two months, to keep the page light)."""
    tz = office_tz(office)
    days = buckets(period)
    instants = [dt.datetime.combine(d, dt.time.min, tzinfo=tz) for d in days]
    series = [
        per_bucket(online(office, period), "submitted_at", instants, period),
        per_bucket(bookings(office, period), "day", days, period),
        per_bucket(walk_ins(office, period), "day", days, period, WALK_IN),
    ]
    weekly = period.days > 62
    rows = [
        [f"{day:%d/%m}", *values, sum(values)]
        for day, values in zip(days, zip(*series, strict=True), strict=True)
    ]
    return Table(
        "harian",
        "Permohonan per minggu" if weekly else "Permohonan per hari",
        ["Minggu mulai" if weekly else "Tanggal", *(label for _, label in CHANNELS), "Jumlah"],
        rows,
        chart="columns",
        series=(1, 2, 3),
        stacked=True,
    )


def section(office: Office, period: Period, baseline: Period) -> Section:
    now, before = by_service(office, period), by_service(office, baseline)
    total, base = sum(totals(now).values()), sum(totals(before).values())
    return Section(
        "permohonan",
        "Permohonan",
        headline=[
            ("Permohonan (semua kanal)", total),
            ("Pembanding", base),
            ("Perubahan (%)", change(total, base)),
            ("Daring lewat WhatsApp", totals(now)["online"]),
        ],
        tables=[
            daily_table(office, period),
            channel_table(now, before),
            service_table(office, now, before),
            *region_tables(office, period, baseline),
        ],
    )
