"""Swap requests between two staff: asked by one, approved by a supervisor, re-checked first."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from loket.core.audit import log_action
from loket.roster import checker
from loket.roster.directory import contact_for
from loket.roster.models import Assignment, Employee, RosterDay, RosterPeriod, SwapRequest
from loket.roster.planning import RosterError, document
from loket.whatsapp.outbox import queue_template

Mode = Assignment.Mode
SWAP_TEMPLATE = "jadwal_piket_tukar"


def _mode(period: RosterPeriod, employee: Employee, day: dt.date) -> str | None:
    a = Assignment.objects.filter(period=period, employee=employee, date=day).first()
    return a.mode if a else None


def _not_locked(period: RosterPeriod, day: dt.date) -> None:
    state = period.roster_days.filter(date=day).values_list("state", flat=True).first()
    if state is None:
        raise RosterError(f"Tanggal {day:%d-%m-%Y} di luar jadwal.")
    if state == RosterDay.State.LOCKED:
        raise RosterError(f"Tanggal {day:%d-%m-%Y} sudah dikunci.")


def request_swap(
    period: RosterPeriod,
    requester: Employee,
    partner: Employee,
    give_date: dt.date,
    take_date: dt.date | None = None,
    reason: str = "",
    actor=None,
) -> SwapRequest:
    """`requester` hands `give_date` (an office day) to `partner` (at home that day) and, when
    `take_date` is given, takes the partner's office day `take_date` in exchange."""
    if requester.pk == partner.pk or requester.office_id != partner.office_id:
        raise RosterError("Pilih rekan lain di kantor yang sama.")
    _not_locked(period, give_date)
    if _mode(period, requester, give_date) != Mode.OFFICE:
        raise RosterError(f"Anda tidak piket di kantor pada {give_date:%d-%m-%Y}.")
    if _mode(period, partner, give_date) != Mode.WFH:
        raise RosterError(f"{partner.name} tidak bekerja dari rumah pada {give_date:%d-%m-%Y}.")
    if take_date is not None:
        _not_locked(period, take_date)
        if _mode(period, partner, take_date) != Mode.OFFICE:
            raise RosterError(f"{partner.name} tidak piket di kantor pada {take_date:%d-%m-%Y}.")
        if _mode(period, requester, take_date) != Mode.WFH:
            raise RosterError(f"Anda tidak bekerja dari rumah pada {take_date:%d-%m-%Y}.")
    swap = SwapRequest.objects.create(
        period=period,
        requester=requester,
        partner=partner,
        give_date=give_date,
        take_date=take_date,
        reason=reason,
    )
    log_action("roster.swap_requested", swap, actor=actor)
    return swap


def can_decide(swap: SwapRequest, employee: Employee | None, is_admin: bool = False) -> bool:
    if is_admin:
        return True
    return bool(
        employee
        and employee.is_supervisor
        and employee.unit == swap.requester.unit
        and employee.pk not in (swap.requester_id, swap.partner_id)
    )


def approve(swap: SwapRequest, by: Employee | None, actor=None) -> list[str]:
    """Applies the swap if it breaks no rule that held before; else rejects it with the reasons.

    Returns the broken rules (empty when approved)."""
    if swap.status != SwapRequest.Status.PENDING:
        raise RosterError("Permintaan ini sudah diputuskan.")
    period = swap.period
    before = set(checker.check(document(period)))
    with transaction.atomic():
        changes = [
            (swap.requester, swap.give_date, Mode.WFH),
            (swap.partner, swap.give_date, Mode.OFFICE),
        ]
        if swap.take_date:
            changes += [
                (swap.partner, swap.take_date, Mode.WFH),
                (swap.requester, swap.take_date, Mode.OFFICE),
            ]
        for employee, day, mode in changes:
            Assignment.objects.filter(period=period, employee=employee, date=day).update(mode=mode)
        new = [p for p in checker.check(document(period)) if p not in before]
        if new:
            transaction.set_rollback(True)
    if new:
        _decide(swap, SwapRequest.Status.REJECTED, by, "Melanggar aturan: " + "; ".join(new))
        log_action("roster.swap_rejected", swap, actor=actor, broken=new)
        return new
    with transaction.atomic():
        _decide(swap, SwapRequest.Status.APPROVED, by, "")
        log_action("roster.swap_approved", swap, actor=actor)
        _notify(swap)
    return []


def _notify(swap: SwapRequest) -> None:
    """Both staff hear of the approved swap on WhatsApp (a template: outside the 24-hour window)."""
    for employee, gives, takes in [
        (swap.requester, swap.give_date, swap.take_date),
        (swap.partner, swap.take_date, swap.give_date),
    ]:
        contact = contact_for(employee)
        if contact is None:
            continue
        parts = [
            f"ke kantor {takes:%d/%m}" if takes else "",
            f"di rumah {gives:%d/%m}" if gives else "",
        ]
        change = ", ".join(p for p in parts if p)
        preview = render_to_string(
            "roster/messages/jadwal_piket_tukar.txt",
            {"employee": employee, "change": change},
            using="text",
        )
        queue_template(
            contact, SWAP_TEMPLATE, "id", [employee.name, change], preview, source="roster"
        )


def reject(swap: SwapRequest, by: Employee | None, note: str = "", actor=None) -> None:
    if swap.status != SwapRequest.Status.PENDING:
        raise RosterError("Permintaan ini sudah diputuskan.")
    _decide(swap, SwapRequest.Status.REJECTED, by, note or "Ditolak supervisor.")
    log_action("roster.swap_rejected", swap, actor=actor, note=note)


def _decide(swap: SwapRequest, status: str, by: Employee | None, note: str) -> None:
    swap.status = status
    swap.decided_by = by
    swap.decided_at = timezone.now()
    swap.decision_note = note
    swap.save()
