"""Helpers shared by the roster tests."""

from loket.roster.models import Assignment


def harmless_swap(period):
    """A non-supervisor's office day and a colleague at home who can take it without a break."""
    working = list(period.roster_days.filter(working=True).values_list("date", flat=True))
    office = {
        (a.employee_id, a.date) for a in Assignment.objects.filter(period=period, mode="office")
    }
    for a in Assignment.objects.filter(period=period, mode="office", employee__is_supervisor=False):
        i = working.index(a.date)
        neighbours = working[max(0, i - 1) : i] + working[i + 1 : i + 2]
        for b in Assignment.objects.filter(period=period, date=a.date, mode="wfh"):
            if set(a.employee.skills) <= set(b.employee.skills) and not any(
                (b.employee_id, d) in office for d in neighbours
            ):
                return a.employee, b.employee, a.date
    return None
