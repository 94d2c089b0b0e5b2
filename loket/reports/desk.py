"""The counter: bookings against capacity, no-shows, walk-ins turned away, queue waiting."""

from collections import Counter

from django.db.models import Count, Sum

from loket.appointments.models import Booking, Slot, Ticket, TurnedAway
from loket.catalog.models import Office
from loket.reports.periods import Period
from loket.reports.tables import Section, Table, minutes, percentile, share


def capacity(office: Office, period: Period) -> tuple[Table, dict]:
    span = dict(office=office, day__gte=period.start, day__lte=period.end)
    slots = (
        Slot.objects.filter(**span)
        .values("service__name")
        .annotate(capacity=Sum("capacity"), taken=Sum("booked"))
        .order_by("-capacity")
    )
    statuses = Counter()
    per_service: dict[str, Counter] = {}
    for row in (
        Booking.objects.filter(**span).values("service__name", "status").annotate(n=Count("id"))
    ):
        statuses[row["status"]] += row["n"]
        per_service.setdefault(row["service__name"], Counter())[row["status"]] += row["n"]
    rows = []
    for s in slots:
        counts = per_service.get(s["service__name"], Counter())
        booked = counts["booked"] + counts["checked_in"] + counts["no_show"]
        rows.append(
            [
                s["service__name"],
                s["capacity"],
                booked,
                s["taken"] - booked,
                share(s["taken"], s["capacity"]),
                counts["no_show"],
            ]
        )
    total_capacity = sum(r[1] for r in rows)
    booked = statuses["booked"] + statuses["checked_in"] + statuses["no_show"]
    table = Table(
        "kapasitas",
        "Janji temu dan datang langsung terhadap kapasitas sesi",
        ["Layanan", "Kapasitas", "Janji temu", "Datang langsung", "Terisi (%)", "Tidak hadir"],
        rows,
        series=(1, 2, 3),
    )
    return table, {
        "capacity": total_capacity,
        "booked": booked,
        "no_show": statuses["no_show"],
        "cancelled": statuses["cancelled"],
    }


def turned_away(office: Office, period: Period) -> tuple[Table, int]:
    rows = (
        TurnedAway.objects.filter(office=office, day__gte=period.start, day__lte=period.end)
        .values("reason")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    table_rows = [[r["reason"], r["n"]] for r in rows]
    table = Table(
        "ditolak-loket",
        "Warga datang langsung yang tidak terlayani",
        ["Alasan", "Jumlah"],
        table_rows,
    )
    return table, sum(r[1] for r in table_rows)


def waiting(office: Office, period: Period) -> tuple[Table, dict]:
    tickets = Ticket.objects.filter(
        office=office, day__gte=period.start, day__lte=period.end, called_at__isnull=False
    ).values_list("booking_id", "created_at", "called_at")
    booked, walk = [], []
    for booking_id, created, called in tickets:
        (booked if booking_id else walk).append((called - created).total_seconds())
    no_show = Ticket.objects.filter(
        office=office, day__gte=period.start, day__lte=period.end, status=Ticket.Status.NO_SHOW
    ).count()
    every = booked + walk
    rows = [
        [label, len(values), minutes(percentile(values, 0.5)), minutes(percentile(values, 0.9))]
        for label, values in (("Dengan janji", booked), ("Datang langsung", walk), ("Semua", every))
    ]
    table = Table(
        "antrean",
        "Waktu tunggu antrean: ambil nomor → dipanggil (menit)",
        ["Tiket", "Dipanggil", "Median (menit)", "P90 (menit)"],
        rows,
        series=(2, 3),
    )
    return table, {"median": minutes(percentile(every, 0.5)), "ticket_no_show": no_show}


def section(office: Office, period: Period, baseline: Period) -> Section:
    capacity_table, counts = capacity(office, period)
    away_table, away = turned_away(office, period)
    queue_table, queue = waiting(office, period)
    return Section(
        "loket",
        "Janji temu dan antrean",
        headline=[
            ("Kapasitas sesi", counts["capacity"]),
            ("Janji temu", counts["booked"]),
            ("Janji tidak hadir", counts["no_show"]),
            ("Tiket dipanggil tidak hadir", queue["ticket_no_show"]),
            ("Datang langsung tidak terlayani", away),
            ("Median tunggu antrean (menit)", queue["median"]),
        ],
        tables=[capacity_table, away_table, queue_table],
    )
