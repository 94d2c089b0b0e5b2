"""The staff work queue of one office: which applications, in which order, what is overdue.

Overdue open applications come first (oldest due first), then the other open ones by due time,
then the finished and rejected ones (newest first), so "Semua status" still starts with the work.
"""

import datetime as dt

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from loket.applications.models import DONE_STATES, OPEN_STATES, Application, State

ALL = "all"
OPEN = "open"
STATE_FILTERS = [(OPEN, "Belum selesai"), (ALL, "Semua status"), *State.choices[1:]]
MINE = "saya"
UNASSIGNED = "kosong"
ASSIGNEE_FILTERS = [("", "Semua petugas"), (MINE, "Milik saya"), (UNASSIGNED, "Belum ditugaskan")]


def for_office(office) -> QuerySet[Application]:
    """Every sent application of `office` (drafts are the citizen's own)."""
    return Application.objects.filter(office=office).exclude(state=State.DRAFT)


def filtered(
    queryset: QuerySet[Application], *, state: str = OPEN, assignee: str = "", user=None
) -> QuerySet[Application]:
    if state == OPEN:
        queryset = queryset.filter(state__in=OPEN_STATES)
    elif state in State.values:
        queryset = queryset.filter(state=state)
    if assignee == MINE and user is not None:
        queryset = queryset.filter(assigned_to=user)
    elif assignee == UNASSIGNED:
        queryset = queryset.filter(assigned_to__isnull=True)
    return queryset


def in_work_order(
    queryset: QuerySet[Application], now: dt.datetime | None = None
) -> QuerySet[Application]:
    now = now or timezone.now()
    rank = Case(
        When(state__in=OPEN_STATES, due_at__lt=now, then=Value(0)),
        When(state__in=OPEN_STATES, then=Value(1)),
        When(state__in=DONE_STATES, then=Value(3)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.annotate(work_rank=rank).order_by("work_rank", "due_at", "-finished_at", "id")


def overdue(office, now: dt.datetime | None = None) -> QuerySet[Application]:
    """Open applications of `office` past the due time the catalog's SLA gave them."""
    now = now or timezone.now()
    return for_office(office).filter(state__in=OPEN_STATES, due_at__lt=now)


def overdue_count(office) -> int:
    return overdue(office).count()


def nav_badge(member) -> int:
    """The number shown next to "Permohonan" in the staff navigation."""
    return overdue_count(member.office)
