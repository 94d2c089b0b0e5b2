"""When a person will answer: from the office's hours, its closures and national holidays.

The catalog models the hours (OfficeHours, with the midday break) and the closed days
(OfficeClosure: national holidays, cuti bersama, local closures); `Office.hours_on(day)` is
None on a closed day. We only read them here.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from loket.catalog.models import Office, OfficeClosure

ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA"}
LOOK_AHEAD_DAYS = 31


@dataclass(frozen=True)
class StaffAnswer:
    """`now`: staff are at work now; else they start at `starts` (today or a later day)."""

    now: bool
    starts: dt.datetime | None
    today: bool
    closes: dt.time | None
    closure: str
    zone: str

    @property
    def next_working_day(self) -> bool:
        return not self.now and not self.today and self.starts is not None


def zone_label(office: Office) -> str:
    return ZONE_LABELS.get(
        office.timezone_name, "WIT" if "Jayapura" in office.timezone_name else ""
    )


def _zone(office: Office):
    try:
        return ZoneInfo(office.timezone_name)
    except (KeyError, ValueError):
        return timezone.get_current_timezone()


def staff_answer(office: Office, at: dt.datetime | None = None) -> StaffAnswer:
    """When staff of `office` next read the inbox, seen from `at` (default now)."""
    zone = _zone(office)
    local = timezone.localtime(at or timezone.now(), zone)
    today = local.date()
    label = zone_label(office)
    closure = OfficeClosure.objects.filter(office=office, date=today).first()
    hours = office.hours_on(today)
    if hours is not None:
        clock = local.time()
        in_break = hours.break_start and hours.break_end
        if clock < hours.opens:
            return StaffAnswer(False, _at(today, hours.opens, zone), True, hours.closes, "", label)
        if in_break and hours.break_start <= clock < hours.break_end:
            start = _at(today, hours.break_end, zone)
            return StaffAnswer(False, start, True, hours.closes, "", label)
        if clock < hours.closes:
            return StaffAnswer(True, None, True, hours.closes, "", label)
    for ahead in range(1, LOOK_AHEAD_DAYS + 1):
        day = today + dt.timedelta(days=ahead)
        later = office.hours_on(day)
        if later is not None:
            start = _at(day, later.opens, zone)
            return StaffAnswer(False, start, False, later.closes, _reason(closure), label)
    return StaffAnswer(False, None, False, None, _reason(closure), label)


def _at(day: dt.date, time: dt.time, zone) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=zone)


def _reason(closure: OfficeClosure | None) -> str:
    return closure.reason if closure else ""
