"""Sending a broadcast: recipients are rows, claimed once each, queued at the number's pace.

Resumable and never twice: scheduling writes one BroadcastRecipient per contact (unique per
broadcast); a periodic job claims the next few pending rows with a conditional UPDATE and queues
their template message in the same transaction. A crash loses nothing and repeats nothing; the
outbox retries Graph trouble. The pace respects the throughput per second, a cap on messages in
flight (so an outage pauses the broadcast instead of piling up retries) and the daily tier of
business-initiated conversations with new contacts.

Meta's view of the number and the template steers the pace (see docs/whatsapp.md): the daily
limit is the number's messaging limit tier when Meta has told it (webhook or sync), else
LOKET_BROADCAST_DAILY_NEW_CONTACTS; a YELLOW number or template halves the rate, a RED template
quarters it; a RED number, or a template that is not (or no longer) approved, holds the
broadcast until Meta says otherwise. Nothing is lost while held: the rows stay pending.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from loket.bot.models import ReopenSubscription
from loket.catalog.models import Office, Service
from loket.catalog.policy import service_status
from loket.core.audit import log_action
from loket.whatsapp import outbox
from loket.whatsapp.models import BusinessNumber, Contact, InboundMessage, OutboundMessage

from .models import Broadcast, BroadcastRecipient, MessageTemplate, Official, OptOut, Subscription

logger = logging.getLogger(__name__)
IN_FLIGHT = (OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENDING)
REOPEN_TEMPLATE = "layanan_dibuka"


class BroadcastError(Exception):
    """A broadcast that cannot be scheduled; the message is for staff (Indonesian)."""


def audience_contacts(broadcast: Broadcast):
    """The contacts a broadcast is meant for, opted-out ones excluded."""
    office = broadcast.office
    audience = broadcast.audience
    if audience in (Broadcast.Audience.OFFICIALS, Broadcast.Audience.CAMAT_LURAH):
        officials = Official.objects.filter(office=office)
        if audience == Broadcast.Audience.CAMAT_LURAH:
            officials = officials.filter(role__in=[Official.Role.CAMAT, Official.Role.LURAH])
        ids = officials.values("contact_id")
    elif audience == Broadcast.Audience.SUBSCRIBERS:
        ids = Subscription.objects.filter(office=office).values("contact_id")
    else:
        ids = ReopenSubscription.objects.filter(
            office=office, service=broadcast.service, notified_at__isnull=True
        ).values("contact_id")
    return Contact.objects.filter(office=office, pk__in=ids).exclude(
        pk__in=OptOut.objects.values("contact_id")
    )


def schedule(broadcast: Broadcast, at=None, actor=None) -> int:
    """Freezes the recipient list and schedules the broadcast. Returns the number of people."""
    template = broadcast.template
    if broadcast.status != Broadcast.Status.DRAFT:
        raise BroadcastError("Hanya siaran draf yang bisa dijadwalkan.")
    if template is None:
        raise BroadcastError("Pilih template yang sudah disetujui Meta.")
    if not template.approved:
        raise BroadcastError(
            f"Template “{template.name}” belum bisa dipakai: statusnya di Meta "
            f"“{template.get_status_display()}”. Siaran hanya boleh memakai template yang "
            "disetujui Meta."
        )
    if len(broadcast.parameters) != template.parameter_count or any(
        not str(p).strip() for p in broadcast.parameters
    ):
        raise BroadcastError(f"Template ini butuh {template.parameter_count} isian parameter.")
    with transaction.atomic():
        locked = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
        if locked.status != Broadcast.Status.DRAFT:
            raise BroadcastError("Siaran ini sudah dijadwalkan.")
        rows = [
            BroadcastRecipient(broadcast=broadcast, contact_id=pk)
            for pk in audience_contacts(broadcast).values_list("pk", flat=True)
        ]
        BroadcastRecipient.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        broadcast.status = Broadcast.Status.SCHEDULED
        broadcast.scheduled_at = at or timezone.now()
        broadcast.save(update_fields=["status", "scheduled_at"])
        log_action(
            "broadcast.schedule",
            broadcast,
            actor=actor,
            recipients=len(rows),
            scheduled_at=broadcast.scheduled_at.isoformat(),
        )
    return len(rows)


def cancel(broadcast: Broadcast, actor=None) -> None:
    """Stops a broadcast: people not yet queued are skipped; queued messages still go."""
    with transaction.atomic():
        Broadcast.objects.filter(pk=broadcast.pk).exclude(
            status__in=[Broadcast.Status.DONE, Broadcast.Status.CANCELLED]
        ).update(status=Broadcast.Status.CANCELLED, finished_at=timezone.now())
        broadcast.recipients.filter(state=BroadcastRecipient.State.PENDING).update(
            state=BroadcastRecipient.State.SKIPPED, skip_reason="cancelled"
        )
        log_action("broadcast.cancel", broadcast, actor=actor)


def new_contacts_used(office: Office, now=None) -> int:
    """Distinct contacts sent a template (business-initiated) in the last 24 hours."""
    now = now or timezone.now()
    return (
        OutboundMessage.objects.filter(
            office=office, kind="template", created_at__gte=now - timedelta(hours=24)
        )
        .values("contact_id")
        .distinct()
        .count()
    )


def daily_limit(office: Office) -> int | None:
    """Unique people reachable with templates per 24 h: Meta's tier for the number, else the
    setting; None when Meta says the number is unlimited."""
    number = BusinessNumber.objects.filter(office=office).first()
    if number is not None and number.unlimited:
        return None
    if number is not None and number.daily_limit is not None:
        return number.daily_limit
    return settings.LOKET_BROADCAST_DAILY_NEW_CONTACTS


def pace(broadcast: Broadcast) -> tuple[float, str]:
    """The share of the normal rate this broadcast may use now, and why (Indonesian)."""
    template = MessageTemplate.objects.filter(pk=broadcast.template_id).first()
    if template is None or not template.approved:
        status = template.get_status_display() if template else "tidak ada"
        return 0.0, (
            f"Ditahan: template berstatus “{status}” di Meta. Siaran lanjut sendiri bila Meta "
            "menyetujuinya lagi, atau hentikan siaran ini."
        )
    number = BusinessNumber.objects.filter(office_id=broadcast.office_id).first()
    quality = number.quality_rating if number else BusinessNumber.Quality.UNKNOWN
    if quality == BusinessNumber.Quality.RED:
        return 0.0, (
            "Ditahan: kualitas nomor WhatsApp kantor MERAH menurut Meta. Siaran lanjut bila "
            "kualitas membaik; terlalu banyak laporan warga bisa membuat nomor dibatasi."
        )
    if template.quality == MessageTemplate.Quality.RED:
        return 0.25, "Diperlambat: kualitas template MERAH menurut Meta."
    if BusinessNumber.Quality.YELLOW in (quality, template.quality):
        return 0.5, "Diperlambat: kualitas nomor atau template KUNING menurut Meta."
    return 1.0, ""


def send_due() -> int:
    """The periodic job: one batch for every broadcast that is due. Returns messages queued."""
    now = timezone.now()
    due = Broadcast.objects.filter(
        status__in=[Broadcast.Status.SCHEDULED, Broadcast.Status.SENDING], scheduled_at__lte=now
    ).select_related("template", "office")
    return sum(send_batch(broadcast) for broadcast in due)


def _claim_tick(broadcast: Broadcast, now) -> float | None:
    """Only one runner sends a batch per tick; returns the seconds since the previous batch."""
    previous = broadcast.last_batch_at
    rows = Broadcast.objects.filter(pk=broadcast.pk)
    rows = rows.filter(last_batch_at=previous) if previous else rows.filter(last_batch_at=None)
    if not rows.update(last_batch_at=now):
        return None
    return (now - previous).total_seconds() if previous else 1.0


def send_batch(broadcast: Broadcast) -> int:
    now = timezone.now()
    elapsed = _claim_tick(broadcast, now)
    if elapsed is None:
        return 0
    if broadcast.status == Broadcast.Status.SCHEDULED:
        Broadcast.objects.filter(pk=broadcast.pk, status=Broadcast.Status.SCHEDULED).update(
            status=Broadcast.Status.SENDING, started_at=now
        )
    share, _ = pace(broadcast)
    if share <= 0:
        return 0  # held: the rows stay pending until Meta approves the template / the number
    rate = settings.LOKET_BROADCAST_RATE_PER_SECOND
    allowance = max(1, int(rate * share * min(elapsed, 5.0)))
    in_flight = OutboundMessage.objects.filter(source=broadcast.source, status__in=IN_FLIGHT)
    allowance = min(
        allowance, rate * settings.LOKET_BROADCAST_MAX_IN_FLIGHT_SECONDS - in_flight.count()
    )
    limit = daily_limit(broadcast.office)
    new_left = float("inf") if limit is None else limit - new_contacts_used(broadcast.office, now)
    queued = 0
    pending = (
        broadcast.recipients.filter(state=BroadcastRecipient.State.PENDING)
        .select_related("contact", "contact__opt_out")
        .order_by("pk")
    )
    for recipient in pending[: max(allowance, 0)]:
        contact = recipient.contact
        if hasattr(contact, "opt_out"):
            BroadcastRecipient.objects.filter(
                pk=recipient.pk, state=BroadcastRecipient.State.PENDING
            ).update(state=BroadcastRecipient.State.SKIPPED, skip_reason="opt-out")
            continue
        counts_as_new = not contact.window_open(now) and not _templated_today(contact, now)
        if counts_as_new and new_left <= 0:
            break  # the daily tier is used up: the next batches resume tomorrow's allowance
        if _queue_one(broadcast, recipient, now):
            queued += 1
            new_left -= counts_as_new
    if not broadcast.recipients.filter(state=BroadcastRecipient.State.PENDING).exists():
        Broadcast.objects.filter(pk=broadcast.pk, status=Broadcast.Status.SENDING).update(
            status=Broadcast.Status.DONE, finished_at=timezone.now()
        )
    return queued


def _templated_today(contact: Contact, now) -> bool:
    return OutboundMessage.objects.filter(
        contact=contact, kind="template", created_at__gte=now - timedelta(hours=24)
    ).exists()


def _queue_one(broadcast: Broadcast, recipient: BroadcastRecipient, now) -> bool:
    template = broadcast.template
    with transaction.atomic():
        claimed = BroadcastRecipient.objects.filter(
            pk=recipient.pk, state=BroadcastRecipient.State.PENDING
        ).update(state=BroadcastRecipient.State.QUEUED, queued_at=now)
        if not claimed:
            return False
        message = outbox.queue_template(
            recipient.contact,
            template.name,
            template.language,
            [str(p) for p in broadcast.parameters],
            broadcast.preview(),
            source=broadcast.source,
        )
        BroadcastRecipient.objects.filter(pk=recipient.pk).update(outbound=message)
        if broadcast.audience == Broadcast.Audience.WAITING:
            ReopenSubscription.objects.filter(
                contact=recipient.contact, service=broadcast.service, notified_at=None
            ).update(notified_at=now)
    return True


def report(broadcast: Broadcast) -> dict:
    """Sent, delivered, read, failed (with Meta's reasons) and replies after the send."""
    recipients = broadcast.recipients
    states = dict(recipients.values_list("state").annotate(n=Count("pk")))
    messages = OutboundMessage.objects.filter(source=broadcast.source)
    by_status = dict(messages.values_list("status").annotate(n=Count("pk")))
    reached = {
        "accepted": sum(by_status.get(s, 0) for s in ("accepted", "sent", "delivered", "read")),
        "sent": sum(by_status.get(s, 0) for s in ("sent", "delivered", "read")),
        "delivered": sum(by_status.get(s, 0) for s in ("delivered", "read")),
        "read": by_status.get("read", 0),
        "failed": by_status.get("failed", 0),
        "in_flight": sum(by_status.get(s, 0) for s in IN_FLIGHT),
    }
    failures = list(
        messages.filter(status=OutboundMessage.Status.FAILED)
        .values("error_code", "error_message")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    started_at = Broadcast.objects.values_list("started_at", flat=True).get(pk=broadcast.pk)
    replies = InboundMessage.objects.none()
    if started_at:
        replies = InboundMessage.objects.filter(
            contact_id__in=recipients.filter(state=BroadcastRecipient.State.QUEUED).values(
                "contact_id"
            ),
            received_at__gte=started_at,
        ).select_related("contact")
    return {
        "recipients": sum(states.values()),
        "pending": states.get("pending", 0),
        "queued": states.get("queued", 0),
        "skipped": states.get("skipped", 0),
        **reached,
        "failures": failures,
        "reply_count": replies.count(),
        "replies": list(replies.order_by("-sent_at")[:20]),
    }


def offer_reopened(office: Office, actor=None) -> list[Broadcast]:
    """Drafts a broadcast for each service that reopened while citizens wait to be told."""
    waiting = (
        ReopenSubscription.objects.filter(office=office, notified_at=None)
        .values_list("service_id", flat=True)
        .distinct()
    )
    template = MessageTemplate.objects.filter(
        office=office, name=REOPEN_TEMPLATE, status=MessageTemplate.Status.APPROVED
    ).first()
    created = []
    for service in office_services(waiting):
        if service_status(office, service).is_suspended:
            continue
        open_draft = Broadcast.objects.filter(
            office=office,
            audience=Broadcast.Audience.WAITING,
            service=service,
            status__in=[
                Broadcast.Status.DRAFT,
                Broadcast.Status.SCHEDULED,
                Broadcast.Status.SENDING,
            ],
        )
        if open_draft.exists():
            continue
        broadcast = Broadcast.objects.create(
            office=office,
            title=f"Layanan dibuka lagi: {service.name}",
            template=template,
            parameters=[service.name][: template.parameter_count] if template else [],
            audience=Broadcast.Audience.WAITING,
            service=service,
            created_by=actor,
        )
        log_action("broadcast.offer_reopened", broadcast, actor=actor, service=service.code)
        created.append(broadcast)
    return created


def office_services(ids):
    return Service.objects.filter(pk__in=list(ids)).order_by("name")
