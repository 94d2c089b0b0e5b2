"""Changing the service policy, the opening hours and the closures, with a history in words.

A policy is changed as a draft: `start_draft` copies the policy in force (or starts empty),
`save_draft` writes it, `publish` makes it the policy in force (the one it was copied from ends
when the new one starts) and `end_now` stops a published one. Each step writes a PolicyChange
(who, when, what changed, in Indonesian) and an audit entry. Drafts never count:
`policy.policy_in_force` ignores them.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from loket.catalog.models import (
    Mode,
    Office,
    OfficeClosure,
    OfficeHours,
    PolicyChange,
    PolicyRule,
    Service,
    ServicePolicy,
)
from loket.catalog.policy import policy_in_force
from loket.core.audit import log_action


class PolicyError(Exception):
    """A change that cannot be made; `message` says why, in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RuleInput:
    """What the page says about one service: a mode other than normal makes a rule."""

    service: Service
    mode: str = Mode.NORMAL
    purposes: list[str] = field(default_factory=list)
    message: str = ""
    alternative: str = ""


@dataclass(frozen=True)
class PolicyInput:
    name: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    message: str = ""
    legal_basis: str = ""
    rules: list[RuleInput] = field(default_factory=list)


def _fmt(moment: dt.datetime | None) -> str:
    if moment is None:
        return "sampai dicabut"
    return f"{timezone.localtime(moment):%d-%m-%Y %H:%M}"


def _record(office: Office, action: str, by, policy=None, lines=(), request=None) -> None:
    PolicyChange.objects.create(
        office=office,
        policy=policy,
        policy_name=policy.name if policy else "",
        actor=by,
        action=action,
        summary="\n".join(lines),
    )
    target = policy or office
    log_action(f"policy.{action}", target, actor=by, request=request, what=list(lines)[:50])


def _rule_words(rule: RuleInput | PolicyRule | None) -> str:
    if rule is None or rule.mode == Mode.NORMAL:
        return Mode.NORMAL.label
    words = Mode(rule.mode).label
    if rule.mode == Mode.LIMITED and rule.purposes:
        words += " (" + ", ".join(rule.purposes) + ")"
    return words


def describe_changes(old: ServicePolicy | None, new: PolicyInput) -> list[str]:
    """What differs between a policy and the new input, one line per change, in Indonesian."""
    lines = []
    before = {
        "name": old.name if old else "",
        "starts_at": old.starts_at if old else None,
        "ends_at": old.ends_at if old else None,
        "message": old.message if old else "",
        "legal_basis": old.legal_basis if old else "",
    }
    if before["name"] != new.name:
        lines.append(f"Nama: {new.name}")
    if before["starts_at"] != new.starts_at or before["ends_at"] != new.ends_at:
        lines.append(f"Berlaku: {_fmt(new.starts_at)} – {_fmt(new.ends_at)}")
    if before["message"] != new.message:
        lines.append("Pesan untuk warga diubah")
    if before["legal_basis"] != new.legal_basis:
        lines.append(f"Dasar: {new.legal_basis or '-'}")
    old_rules = {r.service_id: r for r in old.rules.all()} if old else {}
    for rule in new.rules:
        previous = old_rules.get(rule.service.pk)
        was, now = _rule_words(previous), _rule_words(rule)
        if was != now:
            lines.append(f"{rule.service.name}: {was} → {now}")
        elif previous is not None and (
            previous.message != rule.message or previous.alternative != rule.alternative
        ):
            lines.append(f"{rule.service.name}: pesan diubah")
    return lines


def validate(data: PolicyInput) -> None:
    if not data.name.strip():
        raise PolicyError("Beri nama kebijakan, mis. “Tanggap darurat banjir”.")
    if data.ends_at is not None and data.ends_at <= data.starts_at:
        raise PolicyError("Tanggal selesai harus sesudah tanggal mulai.")
    for rule in data.rules:
        if rule.mode == Mode.LIMITED and not rule.purposes:
            raise PolicyError(
                f"{rule.service.name}: tuliskan keperluan yang tetap dilayani di loket "
                "(satu per baris)."
            )


def start_draft(office: Office, by, request=None) -> ServicePolicy:
    """A draft copied from the policy in force (or an empty one when none is in force)."""
    now = timezone.now().replace(second=0, microsecond=0)
    source = policy_in_force(office)
    with transaction.atomic():
        draft = ServicePolicy.objects.create(
            office=office,
            name=source.name if source else "Kebijakan layanan baru",
            starts_at=now,
            ends_at=source.ends_at if source else None,
            message=source.message if source else "",
            legal_basis=source.legal_basis if source else "",
            is_draft=True,
            based_on=source,
        )
        if source is not None:
            for rule in source.rules.all():
                rule.pk = None
                rule.policy = draft
                rule.save()
        note = f"Disalin dari “{source.name}”" if source else "Draf kosong"
        _record(office, PolicyChange.Action.DRAFTED, by, draft, [note], request=request)
    return draft


def _draft(policy: ServicePolicy) -> ServicePolicy:
    locked = ServicePolicy.objects.select_for_update().get(pk=policy.pk)
    if not locked.is_draft:
        raise PolicyError("Kebijakan ini sudah diterbitkan: buat draf baru untuk mengubahnya.")
    return locked


def save_draft(policy: ServicePolicy, data: PolicyInput, by, request=None) -> list[str]:
    """Writes the page's input into a draft; returns what changed (in words)."""
    validate(data)
    with transaction.atomic():
        draft = _draft(policy)
        lines = describe_changes(draft, data)
        for name in ("name", "starts_at", "ends_at", "message", "legal_basis"):
            setattr(draft, name, getattr(data, name))
        draft.save()
        for rule in data.rules:
            if rule.mode == Mode.NORMAL and not rule.message and not rule.alternative:
                PolicyRule.objects.filter(policy=draft, service=rule.service).delete()
                continue
            PolicyRule.objects.update_or_create(
                policy=draft,
                service=rule.service,
                defaults={
                    "mode": rule.mode,
                    "purposes": rule.purposes if rule.mode == Mode.LIMITED else [],
                    "message": rule.message,
                    "alternative": rule.alternative,
                },
            )
        if lines:
            _record(draft.office, PolicyChange.Action.EDITED, by, draft, lines, request=request)
    return lines


def as_input(policy: ServicePolicy) -> PolicyInput:
    rules = {r.service_id: r for r in policy.rules.all()}
    return PolicyInput(
        name=policy.name,
        starts_at=policy.starts_at,
        ends_at=policy.ends_at,
        message=policy.message,
        legal_basis=policy.legal_basis,
        rules=[
            RuleInput(
                service=service,
                mode=rules[service.pk].mode,
                purposes=list(rules[service.pk].purposes),
                message=rules[service.pk].message,
                alternative=rules[service.pk].alternative,
            )
            for service in Service.objects.all()
            if service.pk in rules
        ],
    )


def publish(policy: ServicePolicy, by, request=None) -> ServicePolicy:
    """The draft becomes a published policy; the one it was copied from ends when it starts."""
    with transaction.atomic():
        draft = _draft(policy)
        data = as_input(draft)
        validate(data)
        previous = draft.based_on
        lines = describe_changes(previous, data) if previous else describe_changes(None, data)
        draft.is_draft = False
        draft.save(update_fields=["is_draft"])
        if previous is not None and (
            previous.ends_at is None or previous.ends_at > draft.starts_at
        ):
            previous.ends_at = max(draft.starts_at, previous.starts_at)
            previous.save(update_fields=["ends_at"])
            lines.append(f"“{previous.name}” berakhir {_fmt(previous.ends_at)}")
        _record(draft.office, PolicyChange.Action.PUBLISHED, by, draft, lines, request=request)
    return draft


def end_now(policy: ServicePolicy, by, request=None) -> None:
    """Stops a published policy now: every service runs normally again (or by an older one)."""
    now = timezone.now()
    with transaction.atomic():
        locked = ServicePolicy.objects.select_for_update().get(pk=policy.pk)
        if locked.is_draft or not locked.is_in_force(now):
            raise PolicyError("Kebijakan ini tidak sedang berlaku.")
        locked.ends_at = now
        locked.save(update_fields=["ends_at"])
        _record(locked.office, PolicyChange.Action.ENDED, by, locked, [_fmt(now)], request=request)


def discard(policy: ServicePolicy, by, request=None) -> None:
    with transaction.atomic():
        draft = _draft(policy)
        _record(
            draft.office, PolicyChange.Action.DISCARDED, by, draft, [draft.name], request=request
        )
        draft.delete()


# --- hours and closures ---------------------------------------------------------------------


@dataclass(frozen=True)
class DayHours:
    weekday: int
    opens: dt.time | None  # None: closed that weekday
    closes: dt.time | None
    break_start: dt.time | None = None
    break_end: dt.time | None = None


def _hours_words(day: int, opens, closes, break_start, break_end) -> str:
    name = dict(OfficeHours.WEEKDAYS)[day]
    if opens is None:
        return f"{name}: tutup"
    words = f"{name}: {opens:%H:%M}–{closes:%H:%M}"
    if break_start and break_end:
        words += f" (istirahat {break_start:%H:%M}–{break_end:%H:%M})"
    return words


def set_hours(office: Office, days: list[DayHours], by, request=None) -> list[str]:
    """Replaces the weekly opening hours; returns what changed."""
    for day in days:
        if (day.opens is None) != (day.closes is None):
            raise PolicyError(f"{dict(OfficeHours.WEEKDAYS)[day.weekday]}: isi jam buka dan tutup.")
        if day.opens and day.closes <= day.opens:
            raise PolicyError(
                f"{dict(OfficeHours.WEEKDAYS)[day.weekday]}: jam tutup harus sesudah jam buka."
            )
        if (day.break_start is None) != (day.break_end is None) or (
            day.break_start and not (day.opens <= day.break_start < day.break_end <= day.closes)
        ):
            raise PolicyError(
                f"{dict(OfficeHours.WEEKDAYS)[day.weekday]}: jam istirahat harus di dalam jam buka."
            )
    lines = []
    with transaction.atomic():
        current = {h.weekday: h for h in office.hours.select_for_update()}
        for day in days:
            old = current.get(day.weekday)
            was = _hours_words(
                day.weekday,
                *(
                    (old.opens, old.closes, old.break_start, old.break_end)
                    if old
                    else (None, None, None, None)
                ),
            )
            now = _hours_words(day.weekday, day.opens, day.closes, day.break_start, day.break_end)
            if was == now:
                continue
            lines.append(f"{was} → {now.split(': ', 1)[1]}")
            if day.opens is None:
                OfficeHours.objects.filter(office=office, weekday=day.weekday).delete()
            else:
                OfficeHours.objects.update_or_create(
                    office=office,
                    weekday=day.weekday,
                    defaults={
                        "opens": day.opens,
                        "closes": day.closes,
                        "break_start": day.break_start,
                        "break_end": day.break_end,
                    },
                )
        if lines:
            _record(office, PolicyChange.Action.HOURS, by, lines=lines, request=request)
    return lines


def check_closure(office: Office, day: dt.date, reason: str) -> None:
    """Raises PolicyError when `day` cannot be added as a closure (asked before confirming)."""
    if not (reason or "").strip():
        raise PolicyError("Tuliskan alasan kantor tutup (mis. “Cuti bersama”).")
    if day < timezone.localdate():
        raise PolicyError("Tanggal itu sudah lewat.")
    closure = OfficeClosure.objects.filter(office=office, date=day).first()
    if closure is not None:
        raise PolicyError(f"{day:%d-%m-%Y} sudah tercatat tutup: {closure.reason}.")


def add_closure(office: Office, day: dt.date, reason: str, by, request=None) -> OfficeClosure:
    check_closure(office, day, reason)
    reason = reason.strip()
    with transaction.atomic():
        closure, created = OfficeClosure.objects.get_or_create(
            office=office, date=day, defaults={"reason": reason[:200]}
        )
        if not created:
            raise PolicyError(f"{day:%d-%m-%Y} sudah tercatat tutup: {closure.reason}.")
        _record(
            office,
            PolicyChange.Action.CLOSURE_ADDED,
            by,
            lines=[f"{day:%d-%m-%Y}: {reason}"],
            request=request,
        )
    return closure


def remove_closure(office: Office, closure_id: int, by, request=None) -> None:
    with transaction.atomic():
        closure = OfficeClosure.objects.filter(office=office, pk=closure_id).first()
        if closure is None:
            raise PolicyError("Hari tutup itu tidak ditemukan.")
        _record(
            office,
            PolicyChange.Action.CLOSURE_REMOVED,
            by,
            lines=[f"{closure.date:%d-%m-%Y}: {closure.reason}"],
            request=request,
        )
        closure.delete()
