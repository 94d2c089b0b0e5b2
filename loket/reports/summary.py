"""The kepala's short daily WhatsApp summary, with a link to the dashboard.

A periodic job (settings.LOKET_PERIODIC_JOBS) checks every few minutes; from the configured
local hour on, each kepala with a WhatsApp number in the staff directory gets the day's summary
once: the SummarySent row is claimed (unique per office, recipient and day) in the same
transaction that puts the template message in the outbox, so two workers send it once.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from loket.catalog.models import Office
from loket.core.links import absolute
from loket.reports import backlog, demand
from loket.reports.models import SummarySent
from loket.reports.periods import Period, default_baseline, office_tz
from loket.reports.tables import change
from loket.staff.models import Role, StaffMember
from loket.whatsapp.outbox import queue_template

TEMPLATE_NAME = "ringkasan_kepala"


def figures(office: Office, day: dt.date) -> dict:
    period = Period(day, day)
    baseline, _ = default_baseline(office, period)
    now = demand.totals(demand.by_service(office, period))
    before = demand.totals(demand.by_service(office, baseline))
    open_tables, open_counts = backlog.backlog_tables(office, timezone.now())
    total, base = sum(now.values()), sum(before.values())
    return {
        "office": office,
        "day": day,
        "total": total,
        "online": now["online"],
        "baseline": base,
        "change": change(total, base),
        "open": open_counts["open"],
        "overdue": open_counts["overdue"],
        "link": absolute(reverse("reports:dashboard") + "?periode=today"),
    }


def parameters(f: dict) -> list[str]:
    """The template's body parameters, in order ({{1}} … {{6}})."""
    trend = "—" if f["change"] is None else f"{f['change']:+.0f}%"
    return [
        f["office"].name,
        f"{f['day']:%d-%m-%Y}",
        f"{f['total']} ({trend})",
        str(f["open"]),
        str(f["overdue"]),
        f["link"],
    ]


def recipients(office: Office) -> list[StaffMember]:
    return [
        member
        for member in StaffMember.objects.filter(office=office, role=Role.KEPALA)
        .select_related("employee", "user")
        .order_by("pk")
        if getattr(member, "employee", None) and member.employee.whatsapp
    ]


def send_for(office: Office, day: dt.date) -> int:
    """Sends the day's summary to each kepala of `office` not sent yet; returns how many."""
    from loket.roster.directory import contact_for

    members = recipients(office)
    if not members:
        return 0
    f = figures(office, day)
    preview = render_to_string("reports/messages/ringkasan_kepala.txt", f, using="text").strip()
    sent = 0
    for member in members:
        try:
            with transaction.atomic():
                claim = SummarySent.objects.create(office=office, recipient=member, day=day)
                contact = contact_for(member.employee)
                message = queue_template(
                    contact, TEMPLATE_NAME, "id", parameters(f), preview, source="reports"
                )
                SummarySent.objects.filter(pk=claim.pk).update(message_id=message.pk)
        except IntegrityError:
            continue  # already sent today (another worker, or an earlier run)
        sent += 1
    return sent


def send_due(now: dt.datetime | None = None) -> int:
    """Periodic job: from the configured hour on, each office's summary of today, once."""
    now = now or timezone.now()
    sent = 0
    for office in Office.objects.all():
        local = now.astimezone(office_tz(office))
        if local.hour < settings.LOKET_REPORT_SUMMARY_HOUR:
            continue
        if SummarySent.objects.filter(office=office, day=local.date()).count() >= len(
            recipients(office)
        ):
            continue
        sent += send_for(office, local.date())
    return sent
