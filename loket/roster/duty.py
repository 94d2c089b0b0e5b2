"""Who is on duty: the one function other apps (appointments) read to derive counter capacity."""

import datetime as dt

from loket.catalog.models import Office
from loket.roster.models import Assignment, RosterDay


def on_duty_count(office: Office, day: dt.date, skill: str) -> int | None:
    """Staff in the office on `day` with `skill` (a code of loket.roster.skills).

    None when no published (or locked) roster of the office covers that day.
    """
    published = RosterDay.objects.filter(
        period__office=office,
        date=day,
        state__in=[RosterDay.State.PUBLISHED, RosterDay.State.LOCKED],
    ).first()
    if published is None:
        return None
    skills_in = Assignment.objects.filter(
        period_id=published.period_id, date=day, mode=Assignment.Mode.OFFICE
    ).values_list("employee__skills", flat=True)
    return sum(1 for codes in skills_in if skill in (codes or []))
