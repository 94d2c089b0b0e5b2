"""The period a report covers and the baseline it is compared with.

A period is a span of whole local days (inclusive). The default baseline is the same number of
days just before the emergency policy that was in force at the period's start began; without
such a policy it is the span just before the period.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from loket.catalog.models import Office, ServicePolicy

KINDS = (("today", "Hari ini"), ("week", "Minggu ini"), ("month", "Bulan ini"), ("custom", "Pilih"))
MAX_DAYS = 400


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    def bounds(self, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, day after end 00:00) in the office's time zone."""
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end

    def before(self) -> "Period":
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    @property
    def label(self) -> str:
        if self.start == self.end:
            return f"{self.start:%d-%m-%Y}"
        return f"{self.start:%d-%m-%Y} s.d. {self.end:%d-%m-%Y}"


@dataclass(frozen=True)
class Choice:
    kind: str
    period: Period
    baseline: Period
    baseline_note: str
    error: str = ""

    def query(self) -> str:
        """The filters as a query string, for export links."""
        return (
            f"periode={self.kind}&dari={self.period.start}&sampai={self.period.end}"
            f"&banding_dari={self.baseline.start}&banding_sampai={self.baseline.end}"
        )


def office_tz(office: Office) -> dt.tzinfo:
    try:
        return ZoneInfo(office.timezone_name)
    except Exception:  # a mistyped zone in the admin must not break the reports
        return timezone.get_current_timezone()


def today_for(office: Office) -> dt.date:
    return timezone.now().astimezone(office_tz(office)).date()


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def named_period(kind: str, today: dt.date) -> Period:
    if kind == "today":
        return Period(today, today)
    if kind == "week":
        return Period(today - dt.timedelta(days=today.weekday()), today)
    return Period(today.replace(day=1), today)


def default_baseline(office: Office, period: Period) -> tuple[Period, str]:
    policy = baseline_policy(office, period)
    if policy is None:
        return period.before(), "periode sebelumnya dengan panjang yang sama"
    began = policy.starts_at.astimezone(office_tz(office)).date()
    baseline = Period(began - dt.timedelta(days=period.days), began - dt.timedelta(days=1))
    return (
        baseline,
        f"{period.days} hari sebelum kebijakan “{policy.name}” mulai ({began:%d-%m-%Y})",
    )


def baseline_policy(office: Office, period: Period) -> ServicePolicy | None:
    """The emergency policy a period is compared against: the latest one started by the end of
    the period's first day, else the first one starting inside the period."""
    start, end = period.bounds(office_tz(office))
    policies = ServicePolicy.objects.filter(office=office)
    started = policies.filter(starts_at__lt=start + dt.timedelta(days=1)).order_by("-starts_at")
    return started.first() or policies.filter(starts_at__lt=end).order_by("starts_at").first()


def choose(office: Office, params, today: dt.date | None = None) -> Choice:
    """Reads ?periode=today|week|month|custom&dari=&sampai=&banding_dari=&banding_sampai=."""
    today = today or today_for(office)
    kind = params.get("periode") or "month"
    if kind not in dict(KINDS):
        kind = "month"
    error = ""
    period = named_period(kind, today)
    if kind == "custom":
        start, end = _date(params.get("dari")), _date(params.get("sampai"))
        if start and end and start <= end and (end - start).days < MAX_DAYS:
            period = Period(start, end)
        else:
            kind, period = "month", named_period("month", today)
            error = f"Tanggal periode tidak valid (paling panjang {MAX_DAYS} hari): bulan ini."
    baseline, note = default_baseline(office, period)
    b_start, b_end = _date(params.get("banding_dari")), _date(params.get("banding_sampai"))
    if params.get("banding_dari") or params.get("banding_sampai"):
        if b_start and b_end and b_start <= b_end and (b_end - b_start).days < MAX_DAYS:
            baseline, note = Period(b_start, b_end), "dipilih"
        else:
            error = error or "Tanggal pembanding tidak valid: pembanding bawaan dipakai."
    return Choice(kind, period, baseline, note, error)
