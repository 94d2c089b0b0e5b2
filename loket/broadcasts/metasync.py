"""Message templates in step with Meta: list, submit, delete, and the template webhooks.

Meta decides a template's status (approved, rejected with a reason, paused, disabled…) and its
quality; Loket only mirrors it. `sync` reads every template of the office's WhatsApp Business
Account (GET /{waba}/message_templates, cursor paging) and the number's rating; `submit` creates
one with example values for its parameters; `delete` removes it by name (every language, as
Meta does). The webhooks `message_template_status_update` and `message_template_quality_update`
arrive through loket.whatsapp.account and are applied here, each only if newer than what is
stored (status_at / quality_at).
"""

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from loket.catalog.models import Office
from loket.core.audit import log_action
from loket.whatsapp import account, management, payload
from loket.whatsapp.models import BusinessNumber

from .models import PLACEHOLDER, Broadcast, MessageTemplate

logger = logging.getLogger(__name__)
Status = MessageTemplate.Status

STATUS_FROM_META = {
    "APPROVED": Status.APPROVED,
    "PENDING": Status.PENDING,
    "REJECTED": Status.REJECTED,
    "PAUSED": Status.PAUSED,
    "DISABLED": Status.DISABLED,
    "IN_APPEAL": Status.IN_APPEAL,
    "PENDING_DELETION": Status.PENDING_DELETION,
    "DELETED": Status.DELETED,
    "ARCHIVED": Status.ARCHIVED,
    "LIMIT_EXCEEDED": Status.LIMIT_EXCEEDED,
    "REINSTATED": Status.APPROVED,  # a paused template back in service
}
NAME = re.compile(r"^[a-z0-9_]{1,512}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
NOT_FOUND_SUBCODES = {"2593002"}


class TemplateError(Exception):
    """A template action that failed; the message is for staff (Indonesian)."""


@dataclass
class SyncResult:
    pages: int = 0
    seen: int = 0
    created: int = 0
    updated: int = 0
    gone: int = 0
    number: BusinessNumber | None = None
    warnings: list[str] = field(default_factory=list)


def business_account_id(office: Office) -> str:
    number = BusinessNumber.objects.filter(office=office).first()
    waba = (number.business_account_id if number else "") or settings.WHATSAPP_BUSINESS_ACCOUNT_ID
    if not waba:
        raise TemplateError(
            "ID WhatsApp Business Account belum diisi: isi WHATSAPP_BUSINESS_ACCOUNT_ID di "
            "pengaturan server, atau di admin (Nomor WhatsApp bisnis) untuk kantor ini."
        )
    return waba


def _graph_message(error: management.GraphError) -> str:
    return error.user_message or error.message


def _body_of(components: list) -> str:
    for component in components or []:
        if isinstance(component, dict) and str(component.get("type", "")).upper() == "BODY":
            return str(component.get("text") or "")
    return ""


def _reason(value) -> str:
    reason = str(value or "")
    return "" if reason.upper() == "NONE" else reason[:200]


def _apply_listed(office: Office, item: dict, at: dt.datetime, result: SyncResult) -> int | None:
    name, language = str(item.get("name") or ""), str(item.get("language") or "")
    if not name or not language:
        return None
    status = STATUS_FROM_META.get(str(item.get("status") or "").upper(), Status.PENDING)
    quality = str((item.get("quality_score") or {}).get("score") or "UNKNOWN").upper()
    category = str(item.get("category") or "utility").lower()
    if category not in MessageTemplate.Category.values:
        category = MessageTemplate.Category.UTILITY
    meta_id = str(item.get("id") or "")[:40]
    row = (
        MessageTemplate.objects.filter(office=office, meta_id=meta_id).first() if meta_id else None
    ) or MessageTemplate.objects.filter(office=office, name=name, language=language).first()
    fields = {
        "name": name,
        "language": language[:10],
        "category": category,
        "body": _body_of(item.get("components")),
        "meta_id": meta_id,
        "synced_at": at,
    }
    if row is None:
        row = MessageTemplate.objects.create(
            office=office,
            status=status,
            status_at=at,
            rejected_reason=_reason(item.get("rejected_reason")),
            quality=quality if quality in MessageTemplate.Quality.values else "UNKNOWN",
            quality_at=at,
            **fields,
        )
        result.created += 1
        return row.pk
    MessageTemplate.objects.filter(pk=row.pk).update(**fields)
    newer = MessageTemplate.objects.filter(pk=row.pk).filter(
        Q(status_at__isnull=True) | Q(status_at__lte=at)
    )
    newer.update(status=status, status_at=at, rejected_reason=_reason(item.get("rejected_reason")))
    if quality in MessageTemplate.Quality.values:
        MessageTemplate.objects.filter(pk=row.pk).filter(
            Q(quality_at__isnull=True) | Q(quality_at__lte=at)
        ).update(quality=quality, quality_at=at)
    result.updated += 1
    return row.pk


def sync(office: Office, progress: Callable[[str], None] | None = None) -> SyncResult:
    """Mirrors every template of the office's account, then the number's rating and limit."""
    say = progress or (lambda text: None)
    waba = business_account_id(office)
    started = timezone.now()
    result = SyncResult()
    kept: set[int] = set()
    try:
        for page in management.list_templates(waba):
            result.pages += 1
            with transaction.atomic():  # one commit a page, not one per statement
                for item in page:
                    pk = _apply_listed(office, item, started, result)
                    if pk is not None:
                        kept.add(pk)
                        result.seen += 1
            say(f"halaman {result.pages}: {len(page)} template (total {result.seen})")
    except management.GraphError as error:
        raise TemplateError(
            f"Daftar template dari Meta tidak bisa dibaca: {_graph_message(error)}"
        ) from error
    # templates Meta no longer has (deleted in WhatsApp Manager, or typed here by hand)
    gone = (
        MessageTemplate.objects.filter(office=office)
        .exclude(pk__in=kept)
        .exclude(status__in=[Status.DELETED, Status.NOT_ON_META])
        .filter(Q(status_at__isnull=True) | Q(status_at__lte=started))
    )
    result.gone = gone.filter(meta_id="").update(status=Status.NOT_ON_META, status_at=started)
    result.gone += gone.exclude(meta_id="").update(status=Status.DELETED, status_at=started)
    say(f"{result.gone} template tidak ada lagi di Meta")
    try:
        result.number = account.refresh_number(office)
        say(
            f"nomor: kualitas {result.number.quality_rating}, "
            f"batas {result.number.messaging_limit or '?'}"
        )
    except management.GraphError as error:
        result.warnings.append(f"Kualitas nomor tidak bisa dibaca: {_graph_message(error)}")
        say(result.warnings[-1])
    return result


def check_new(name: str, language: str, body: str, examples: list[str]) -> list[str]:
    """Local checks before Meta sees it; returns the examples, stripped."""
    if not NAME.match(name or ""):
        raise TemplateError(
            "Nama template hanya boleh huruf kecil, angka dan garis bawah (contoh: info_jadwal)."
        )
    if not LANGUAGE.match(language or ""):
        raise TemplateError("Kode bahasa tidak dikenal (contoh: id, en_US).")
    if not (body or "").strip():
        raise TemplateError("Isi template tidak boleh kosong.")
    numbers = sorted({int(n) for n in PLACEHOLDER.findall(body)})
    if numbers != list(range(1, len(numbers) + 1)):
        raise TemplateError("Parameter harus berurutan mulai {{1}}: {{1}}, {{2}}, …")
    examples = [str(e).strip() for e in examples if str(e).strip()]
    if len(examples) != len(numbers):
        raise TemplateError(
            f"Template ini memakai {len(numbers)} parameter: isi {len(numbers)} contoh isian "
            "(satu per baris), Meta memerlukannya untuk meninjau."
        )
    return examples


def submit(
    office: Office,
    name: str,
    language: str,
    category: str,
    body: str,
    examples: list[str],
    actor=None,
) -> MessageTemplate:
    """Sends a new template to Meta for review; stored with the status Meta answers."""
    examples = check_new(name, language, body, examples)
    if category not in MessageTemplate.Category.values:
        raise TemplateError("Kategori template tidak dikenal.")
    component: dict = {"type": "BODY", "text": body}
    if examples:
        component["example"] = {"body_text": [examples]}
    waba = business_account_id(office)
    try:
        answer = management.create_template(waba, name, language, category, [component])
    except management.GraphError as error:
        raise TemplateError(f"Meta menolak template ini: {_graph_message(error)}") from error
    now = timezone.now()
    status = STATUS_FROM_META.get(str(answer.get("status") or "").upper(), Status.PENDING)
    template, _ = MessageTemplate.objects.update_or_create(
        office=office,
        name=name,
        language=language,
        defaults={
            "category": str(answer.get("category") or category).lower(),
            "body": body,
            "examples": examples,
            "meta_id": str(answer.get("id") or "")[:40],
            "status": status,
            "status_at": now,
            "rejected_reason": "",
            "synced_at": now,
        },
    )
    log_action("template.submit", template, actor=actor, name=name, language=language)
    return template


def delete(template: MessageTemplate, actor=None) -> int:
    """Deletes the template's name at Meta (every language). Rows no broadcast refers to go;
    the others stay, marked deleted, so their broadcasts' history remains."""
    waba = business_account_id(template.office)
    try:
        management.delete_template(waba, template.name)
    except management.GraphError as error:
        subcode = error.code.partition("/")[2]
        if subcode not in NOT_FOUND_SUBCODES:
            raise TemplateError(
                f"Template tidak bisa dihapus di Meta: {_graph_message(error)}"
            ) from error
    rows = MessageTemplate.objects.filter(office=template.office, name=template.name)
    used = Broadcast.objects.filter(template__in=rows).values("template_id")
    rows.filter(pk__in=used).update(status=Status.DELETED, status_at=timezone.now())
    deleted, _ = rows.exclude(pk__in=used).delete()
    log_action("template.delete", template, actor=actor, name=template.name)
    return deleted


# --- webhooks (called by loket.whatsapp.account, one transaction each) -------------------------


def _targets(change: account.AccountChange) -> tuple[list[Office], str, str, str]:
    value = change.value
    meta_id = str(value.get("message_template_id") or "")[:40]
    name = str(value.get("message_template_name") or "")[:512]
    language = str(value.get("message_template_language") or "")[:10]
    if not meta_id and not (name and language):
        raise payload.Invalid("template change without an id or a name and language")
    return account.offices_for(change.business_account_id), meta_id, name, language


def _template(office: Office, meta_id: str, name: str, language: str) -> MessageTemplate | None:
    row = None
    if meta_id:
        row = MessageTemplate.objects.filter(office=office, meta_id=meta_id).first()
    if row is None and name and language:
        row = MessageTemplate.objects.filter(office=office, name=name, language=language).first()
        if row is None:  # made in WhatsApp Manager: known from now on; the body comes by sync
            row = MessageTemplate.objects.create(
                office=office, name=name, language=language, body="", meta_id=meta_id
            )
    if row is not None and meta_id and row.meta_id != meta_id:
        MessageTemplate.objects.filter(pk=row.pk).update(meta_id=meta_id)
    return row


def template_status_update(change: account.AccountChange) -> None:
    offices, meta_id, name, language = _targets(change)
    event = str(change.value.get("event") or "").upper()
    status = STATUS_FROM_META.get(event)
    if status is None and event != "FLAGGED":
        logger.info("template event %s for %s acknowledged, nothing to change", event, name)
        return
    for office in offices:
        template = _template(office, meta_id, name, language)
        if template is None:
            continue
        rows = MessageTemplate.objects.filter(pk=template.pk)
        if status is None:  # FLAGGED: low quality, at risk of being paused
            rows.filter(Q(quality_at__isnull=True) | Q(quality_at__lte=change.time)).update(
                quality=MessageTemplate.Quality.RED, quality_at=change.time
            )
            continue
        reason = _reason(change.value.get("reason")) if status == Status.REJECTED else ""
        # newer than what is stored, or as old but different (two events in one second);
        # a redelivery of the applied event matches neither
        newer = Q(status_at__isnull=True) | Q(status_at__lt=change.time)
        newer |= Q(status_at=change.time) & ~Q(status=status)
        changed = rows.filter(newer).update(
            status=status, status_at=change.time, rejected_reason=reason
        )
        if changed:
            log_action("template.status", template, event=event, reason=reason)


def template_quality_update(change: account.AccountChange) -> None:
    offices, meta_id, name, language = _targets(change)
    quality = str(change.value.get("new_quality_score") or "").upper()
    if quality not in MessageTemplate.Quality.values:
        raise payload.Invalid(f"unknown template quality {quality[:20]!r}")
    for office in offices:
        template = _template(office, meta_id, name, language)
        if template is None:
            continue
        MessageTemplate.objects.filter(pk=template.pk).filter(
            Q(quality_at__isnull=True) | Q(quality_at__lte=change.time)
        ).update(quality=quality, quality_at=change.time)
