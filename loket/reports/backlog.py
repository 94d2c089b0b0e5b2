"""The backlog (open applications now), time to finish, corrections and rejections."""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, F, FloatField, Func, Q
from django.utils import timezone

from loket.applications.models import Application, ApplicationEvent, State
from loket.catalog.models import Office, Service
from loket.reports.periods import Period, office_tz
from loket.reports.tables import Section, Table, hours, percentile, share

BACKLOG_STATES = (
    State.SUBMITTED,
    State.RESUBMITTED,
    State.VERIFIED,
    State.PROCESSING,
    State.CORRECTION_REQUESTED,
)
AGES = ((1, "< 1 hari"), (3, "1–3 hari"), (7, "3–7 hari"), (14, "7–14 hari"), (None, "> 14 hari"))


def open_applications(office: Office):
    return Application.objects.filter(office=office, state__in=BACKLOG_STATES)


class Seconds(Func):
    """end - start in seconds, computed by the database (no datetimes parsed in Python)."""

    output_field = FloatField()

    def __init__(self, end: str, start: str) -> None:
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection,
                           template="(julianday(%(expressions)s)) * 86400.0",
                           arg_joiner=") - julianday(", **extra)  # fmt: skip

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)",
                           arg_joiner=" - ", **extra)  # fmt: skip

    def as_sql(self, compiler, connection, **extra):  # other databases: same as PostgreSQL
        extra.setdefault("template", "EXTRACT(EPOCH FROM %(expressions)s)")
        extra.setdefault("arg_joiner", " - ")
        return super().as_sql(compiler, connection, **extra)


def backlog_tables(office: Office, now: dt.datetime) -> tuple[list[Table], dict]:
    """Counted by the database: by state (overdue apart) and by age since submission."""
    open_now = open_applications(office)
    by_state: Counter = Counter()
    overdue_by_state: Counter = Counter()
    rows = open_now.values("state").annotate(
        n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now))
    )
    for r in rows.order_by():
        by_state[r["state"]], overdue_by_state[r["state"]] = r["n"], r["late"]
    limits = [now - dt.timedelta(days=limit) for limit, _ in AGES if limit is not None]
    buckets, previous = {}, None
    for (_, label), edge in zip(AGES, [*limits, None], strict=True):
        condition = Q()
        if edge is not None:
            condition &= Q(submitted_at__gt=edge)
        if previous is not None:
            condition &= Q(submitted_at__lte=previous)
        buckets[label] = Count("pk", filter=condition) if condition else Count("pk")
        previous = edge
    ages = open_now.aggregate(**{f"a{i}": agg for i, agg in enumerate(buckets.values())})
    age_rows = [[label, ages[f"a{i}"]] for i, label in enumerate(buckets)]
    state_rows = [
        [State(s).label, by_state[s], overdue_by_state[s]] for s in BACKLOG_STATES if by_state[s]
    ]
    state_rows.sort(key=lambda r: (-r[2], -r[1]))  # overdue first
    overdue = open_now.filter(due_at__lt=now).select_related("service").order_by("due_at")[:20]
    overdue_rows = [
        [a.ticket or f"#{a.pk}", a.service.name, a.get_state_display(),
         timezone.localtime(a.due_at).strftime("%d-%m-%Y %H:%M"),
         round((now - a.due_at).total_seconds() / 86400, 1)]
        for a in overdue
    ]  # fmt: skip
    tables = [
        Table("tunggakan-status", "Tunggakan per status (lewat batas waktu di atas)",
              ["Status", "Jumlah", "Lewat batas"], state_rows, series=(1, 2)),
        Table("tunggakan-umur", "Umur tunggakan (sejak dikirim)", ["Umur", "Jumlah"], age_rows),
        Table("lewat-batas", "20 permohonan paling lama lewat batas waktu (SLA)",
              ["Tiket", "Layanan", "Status", "Batas waktu", "Terlambat (hari)"], overdue_rows,
              chart="none"),
    ]  # fmt: skip
    headline = {"open": sum(by_state.values()), "overdue": sum(overdue_by_state.values())}
    return tables, headline


def durations(office: Office, period: Period) -> tuple[Table, dict]:
    """Time from first submission to finished, for applications finished in the period."""
    start, end = period.bounds(office_tz(office))
    finished = Application.objects.filter(
        office=office,
        finished_at__gte=start,
        finished_at__lt=end,
        state__in=(State.FINISHED, State.READY_FOR_PICKUP),
        submitted_at__isnull=False,
    )
    per_service: dict[int, list[float]] = defaultdict(list)
    for service_id, seconds in finished.values_list(
        "service_id", Seconds("finished_at", "submitted_at")
    ):
        per_service[service_id].append(float(seconds))  # PostgreSQL: Decimal
    in_time = Counter(
        dict(
            finished.filter(Q(due_at__isnull=True) | Q(finished_at__lte=F("due_at")))
            .values_list("service_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    names = dict(Service.objects.values_list("pk", "name"))
    table_rows = [
        [
            names[pk],
            len(values),
            hours(percentile(values, 0.5)),
            hours(percentile(values, 0.9)),
            share(in_time[pk], len(values)),
        ]
        for pk, values in sorted(per_service.items(), key=lambda item: -len(item[1]))
    ]
    every = [v for values in per_service.values() for v in values]
    headline = {
        "finished": len(every),
        "median": hours(percentile(every, 0.5)),
        "p90": hours(percentile(every, 0.9)),
        "in_time": share(sum(in_time.values()), len(every)),
    }
    table = Table(
        "waktu-selesai",
        "Waktu dari dikirim sampai selesai (jam), permohonan selesai dalam periode",
        ["Layanan", "Selesai", "Median (jam)", "P90 (jam)", "Tepat waktu (%)"],
        table_rows,
        series=(2, 3),
    )
    return table, headline


def reasons(office: Office, period: Period) -> tuple[list[Table], dict]:
    start, end = period.bounds(office_tz(office))
    events = ApplicationEvent.objects.filter(application__office=office, at__gte=start, at__lt=end)
    corrections = (
        events.filter(state=State.CORRECTION_REQUESTED)
        .values("note")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    rejections = (
        events.filter(state=State.REJECTED)
        .values("application__rejection_reason")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    correction_rows = [[r["note"][:120] or "(tanpa catatan)", r["n"]] for r in corrections]
    rejection_rows = [
        [r["application__rejection_reason"][:120] or "(tanpa alasan)", r["n"]] for r in rejections
    ]
    headline = {
        "corrections": sum(r[1] for r in correction_rows),
        "rejections": sum(r[1] for r in rejection_rows),
    }
    return [
        Table(
            "perbaikan",
            "Permintaan perbaikan menurut catatan petugas",
            ["Catatan perbaikan", "Jumlah"],
            correction_rows[:15],
        ),
        Table("penolakan", "Penolakan menurut alasan", ["Alasan", "Jumlah"], rejection_rows[:15]),
    ], headline


def section(office: Office, period: Period, baseline: Period) -> Section:
    now = timezone.now()
    backlog, open_counts = backlog_tables(office, now)
    duration_table, times = durations(office, period)
    reason_tables, counts = reasons(office, period)
    return Section(
        "tunggakan",
        "Tunggakan dan waktu layanan",
        headline=[
            ("Permohonan terbuka (saat ini)", open_counts["open"]),
            ("Lewat batas waktu", open_counts["overdue"]),
            ("Selesai dalam periode", times["finished"]),
            ("Median dikirim→selesai (jam)", times["median"]),
            ("P90 dikirim→selesai (jam)", times["p90"]),
            ("Tepat waktu (%)", times["in_time"]),
            ("Permintaan perbaikan", counts["corrections"]),
            ("Ditolak", counts["rejections"]),
        ],
        tables=[*backlog, duration_table, *reason_tables],
    )
