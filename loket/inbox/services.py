"""The inbox's rules: claim once, answer inside the window (templates outside), hand back.

While a conversation is handed to staff the bot stays quiet (loket.bot.conversation); a Claim
says which staff member holds it. Every message staff send carries `source="staff:<user pk>"`
and an audit entry.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from loket.bot.models import Conversation
from loket.catalog.models import Office, Service
from loket.core.audit import log_action
from loket.whatsapp import outbox
from loket.whatsapp.models import CUSTOMER_SERVICE_WINDOW, InboundMessage, OutboundMessage

from .models import Claim, StaffDocument


class InboxError(Exception):
    """Something staff tried that cannot be done now; the message is Indonesian."""


@dataclass(frozen=True)
class Window:
    open: bool
    closes_at: datetime | None
    left: timedelta | None

    @property
    def left_label(self) -> str:
        if not self.left:
            return ""
        minutes = int(self.left.total_seconds() // 60)
        return f"{minutes // 60} jam {minutes % 60} menit"


def window(contact, at=None) -> Window:
    at = at or timezone.now()
    if not contact.window_open(at):
        return Window(False, None, None)
    closes = contact.last_inbound_at + CUSTOMER_SERVICE_WINDOW
    return Window(True, closes, closes - at)


def waiting(office: Office):
    """Conversations handed to staff, oldest first, with their open claim if any."""
    conversations = list(
        Conversation.objects.filter(
            contact__office=office, state=Conversation.State.HANDED_TO_STAFF
        )
        .select_related("contact")
        .order_by(F("handed_at").asc(nulls_first=True), "pk")
    )
    claims = {
        c.conversation_id: c
        for c in Claim.objects.filter(
            conversation__in=conversations, released_at=None
        ).select_related("claimed_by")
    }
    for conversation in conversations:
        conversation.claim = claims.get(conversation.pk)
        conversation.last_inbound = (
            InboundMessage.objects.filter(contact_id=conversation.contact_id)
            .order_by("-sent_at", "-pk")
            .first()
        )
    return conversations


def open_claim(conversation: Conversation) -> Claim | None:
    """The conversation's open claim; one left over after the citizen typed "menu" is released."""
    claim = (
        Claim.objects.filter(conversation=conversation, released_at=None)
        .select_related("claimed_by")
        .first()
    )
    if claim and conversation.state != Conversation.State.HANDED_TO_STAFF:
        Claim.objects.filter(pk=claim.pk, released_at=None).update(
            released_at=timezone.now(), outcome=Claim.Outcome.LAPSED
        )
        return None
    return claim


def claim(conversation: Conversation, user, request=None) -> Claim:
    """Takes the conversation for `user`; a second staff member gets InboxError, not a claim."""
    try:
        with transaction.atomic():
            locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
            if locked.state != Conversation.State.HANDED_TO_STAFF:
                raise InboxError("Percakapan ini sudah tidak menunggu petugas.")
            existing = open_claim(locked)
            if existing:
                if existing.claimed_by_id == user.pk:
                    return existing
                raise InboxError(f"Sudah diambil oleh {_name(existing.claimed_by)}.")
            new = Claim.objects.create(
                conversation=locked,
                claimed_by=user,
                reason=locked.handoff_reason,
                handed_at=locked.handed_at,
                claimed_at=timezone.now(),
            )
            log_action("inbox.claim", locked, actor=user, request=request)
            return new
    except IntegrityError:  # the unique open-claim constraint: someone was faster
        holder = Claim.objects.filter(conversation=conversation, released_at=None).first()
        name = _name(holder.claimed_by) if holder else "petugas lain"
        raise InboxError(f"Sudah diambil oleh {name}.") from None


def _name(user) -> str:
    return user.get_full_name() or user.username


def _held(conversation: Conversation, user) -> Claim:
    current = open_claim(conversation)
    if current is None or current.claimed_by_id != user.pk:
        raise InboxError("Ambil percakapan ini dulu sebelum membalas.")
    return current


def _sent(claim_row: Claim, message: OutboundMessage, user, request, action: str, **detail):
    now = timezone.now()
    Claim.objects.filter(pk=claim_row.pk).update(replies=F("replies") + 1)
    Claim.objects.filter(pk=claim_row.pk, first_response_at=None).update(first_response_at=now)
    log_action(action, message, actor=user, request=request, contact=message.contact_id, **detail)
    return message


def source_for(user) -> str:
    return f"staff:{user.pk}"


def reply_text(conversation: Conversation, user, text: str, request=None) -> OutboundMessage:
    text = (text or "").strip()
    if not text:
        raise InboxError("Pesan kosong tidak dikirim.")
    with transaction.atomic():
        held = _held(conversation, user)
        if not conversation.contact.window_open():
            raise InboxError(
                "Jendela 24 jam sudah tertutup: hanya template yang disetujui yang bisa dikirim."
            )
        message = outbox.queue_text(conversation.contact, text, source=source_for(user))
        return _sent(held, message, user, request, "inbox.reply")


def reply_link(conversation: Conversation, user, service: Service, request=None):
    from loket.bot.replies import personal_link

    link = personal_link(conversation.contact, service)
    text = f"Silakan ajukan {service.name} lewat tautan pribadi ini:\n{link}"
    return reply_text(conversation, user, text, request=request)


def reply_document(
    conversation: Conversation, user, document: StaffDocument, caption: str = "", request=None
) -> OutboundMessage:
    from .media import document_link

    with transaction.atomic():
        held = _held(conversation, user)
        if not conversation.contact.window_open():
            raise InboxError("Jendela 24 jam sudah tertutup: dokumen tidak bisa dikirim.")
        body = {
            "type": "document",
            "document": {"link": document_link(document), "filename": document.filename},
        }
        if caption:
            body["document"]["caption"] = caption[:1024]
        message = outbox.queue(
            conversation.contact,
            "document",
            body,
            f"📄 {document.filename}" + (f"\n{caption}" if caption else ""),
            source=source_for(user),
        )
        return _sent(held, message, user, request, "inbox.document", document=document.pk)


def reply_template(
    conversation: Conversation, user, template, parameters: list[str], request=None
) -> OutboundMessage:
    """An approved template: the only thing allowed once the 24-hour window has closed."""
    if not template.approved:
        raise InboxError("Template ini belum disetujui Meta.")
    parameters = [p.strip() for p in parameters][: template.parameter_count]
    if len(parameters) < template.parameter_count or not all(parameters):
        raise InboxError(f"Template ini butuh {template.parameter_count} isian.")
    with transaction.atomic():
        held = _held(conversation, user)
        message = outbox.queue_template(
            conversation.contact,
            template.name,
            template.language,
            parameters,
            template.preview(parameters),
            source=source_for(user),
        )
        return _sent(held, message, user, request, "inbox.template", template=template.name)


def release(conversation: Conversation, user, outcome: str, request=None) -> None:
    """Hands the conversation back to the bot (or closes it): the bot answers again."""
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        held = _held(locked, user)
        Claim.objects.filter(pk=held.pk).update(released_at=timezone.now(), outcome=outcome)
        locked.reset()
        if outcome == Claim.Outcome.HANDED_BACK and locked.contact.window_open():
            outbox.queue_text(
                locked.contact,
                "Petugas telah selesai. Anda kembali dilayani asisten otomatis: "
                "ketik *menu* untuk melihat layanan.",
                source=source_for(user),
            )
        log_action(f"inbox.{outcome}", locked, actor=user, request=request)


def timeline(contact, limit: int = 40) -> list:
    """The contact's last messages in both directions, oldest first."""
    inbound = InboundMessage.objects.filter(contact=contact).order_by("-sent_at")[:limit]
    outbound = OutboundMessage.objects.filter(contact=contact).order_by("-created_at")[:limit]
    items = [
        {"in": True, "at": m.sent_at, "text": m.text or f"[{m.type}]", "m": m} for m in inbound
    ]
    items += [{"in": False, "at": m.created_at, "text": m.preview, "m": m} for m in outbound]
    items.sort(key=lambda item: item["at"])
    items = items[-limit:]
    staff_ids = {
        int(item["m"].source.split(":", 1)[1])
        for item in items
        if not item["in"]
        and item["m"].source.startswith("staff:")
        and item["m"].source.split(":", 1)[1].isdigit()
    }
    names = {
        user.pk: user.get_full_name() or user.username
        for user in get_user_model().objects.filter(pk__in=staff_ids)
    }
    for item in items:
        source = "" if item["in"] else item["m"].source
        if source.startswith("staff:"):
            item["by"] = names.get(int(source[6:]) if source[6:].isdigit() else 0, "petugas")
        else:
            item["by"] = sender_label(source)
        if not item["in"]:
            item["status"] = STATUS_WORDS.get(item["m"].status, item["m"].get_status_display())
    return items


SENDER_LABELS = {
    "": "Asisten otomatis",
    "bot": "Asisten otomatis",
    "applications": "Pemberitahuan permohonan",
    "appointments": "Pemberitahuan janji temu",
    "roster": "Jadwal piket",
}
STATUS_WORDS = {
    "queued": "🕓 menunggu dikirim",
    "sending": "🕓 sedang dikirim",
    "accepted": "✓ dikirim",
    "sent": "✓ terkirim",
    "delivered": "✓✓ sampai",
    "read": "✓✓ dibaca",
    "failed": "⚠ gagal terkirim",
}


def sender_label(source: str) -> str:
    """Who sent an outgoing message, in the words staff use ("broadcast:7" → "Siaran")."""
    if source.startswith("broadcast"):
        return "Siaran"
    return SENDER_LABELS.get(source, source)


def applications_of(contact) -> list[dict]:
    if not apps.is_installed("loket.applications"):
        return []
    from loket.applications.status import summaries_for_contact

    return summaries_for_contact(contact)


def attach_targets(contact, office: Office) -> list:
    """The citizen's applications that can take a document, with their requirement slots."""
    if not apps.is_installed("loket.applications"):
        return []
    from loket.applications.attach import targets_for

    return targets_for(contact, office)


def attach_media(conversation: Conversation, user, media, application_pk, index, request=None):
    """Stores a citizen's file as a requirement document of their application (held only)."""
    from loket.applications.attach import attach_bytes
    from loket.applications.files import UploadError
    from loket.applications.models import Application

    from . import media as media_files

    _held(conversation, user)
    contact = conversation.contact
    application = Application.objects.filter(
        pk=application_pk if str(application_pk).isdigit() else 0,
        contact=contact,
        office=contact.office,
    ).first()
    if application is None or not str(index).isdigit():
        raise InboxError("Pilih permohonan dan persyaratan warga ini.")
    data = media_files.read_media(media, actor=user, request=request)
    try:
        with transaction.atomic():
            document = attach_bytes(
                application, int(index), data, media.filename, user, request=request, media=media.pk
            )
            log_action(
                "inbox.media.attached",
                media,
                actor=user,
                request=request,
                contact=contact.pk,
                application=application.pk,
                document=document.pk,
            )
    except UploadError as exc:
        raise InboxError(f"Berkas tidak bisa dilampirkan: {exc.message}") from None
    return document


def load(office: Office, since: datetime) -> list[dict]:
    """Per staff member: open conversations, claims and replies since `since`, response times."""
    claims = Claim.objects.filter(conversation__contact__office=office)
    rows = (
        claims.filter(Q(claimed_at__gte=since) | Q(released_at=None))
        .values("claimed_by", "claimed_by__username", "claimed_by__first_name")
        .annotate(
            open=Count("pk", filter=Q(released_at=None)),
            taken=Count("pk", filter=Q(claimed_at__gte=since)),
        )
        .order_by("claimed_by__username")
    )
    result = []
    for row in rows:
        mine = claims.filter(
            claimed_by=row["claimed_by"], claimed_at__gte=since, first_response_at__isnull=False
        )
        first = [(c.first_response_at - c.claimed_at).total_seconds() for c in mine]
        waits = [
            (c.claimed_at - c.handed_at).total_seconds() for c in mine if c.handed_at is not None
        ]
        result.append(
            {
                "name": row["claimed_by__first_name"] or row["claimed_by__username"],
                "open": row["open"],
                "taken": row["taken"],
                "replies": sum(
                    claims.filter(claimed_by=row["claimed_by"], claimed_at__gte=since).values_list(
                        "replies", flat=True
                    )
                ),
                "first_response_avg": sum(first) / len(first) if first else None,
                "wait_avg": sum(waits) / len(waits) if waits else None,
            }
        )
    return result
