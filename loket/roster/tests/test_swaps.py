"""Swaps between two staff, approved by a supervisor and re-checked against the rules."""

import pytest

from loket.roster import checker
from loket.roster.models import Assignment, SwapRequest
from loket.roster.planning import RosterError, document, publish, solve_period
from loket.roster.swaps import approve, can_decide, request_swap
from loket.roster.tests.helpers import harmless_swap
from loket.whatsapp.models import OutboundMessage


def mode(period, employee, day):
    return Assignment.objects.get(period=period, employee=employee, date=day).mode


def office_day(period, employee):
    return (
        Assignment.objects.filter(period=period, employee=employee, mode="office")
        .order_by("date")
        .first()
        .date
    )


def home_colleague(period, day, unit, exclude=(), supervisor=None):
    qs = Assignment.objects.filter(period=period, date=day, mode="wfh", employee__unit=unit)
    for a in qs.exclude(employee__in=exclude):
        if supervisor is None or a.employee.is_supervisor == supervisor:
            return a.employee
    return None


@pytest.fixture
def published(period):
    period.max_in_office = 4  # room in everyone's fortnight, so some swaps keep the piket
    period.save()
    solve_period(period)
    publish(period)
    return period


def test_a_swap_that_keeps_the_rules_is_applied(published, employees):
    dian, partner, day = harmless_swap(published)
    swap = request_swap(published, dian, partner, day, reason="anak sakit")
    supervisor = next(
        e
        for e in employees.values()
        if e.is_supervisor and e.unit == dian.unit and e not in (dian, partner)
    )
    assert can_decide(swap, supervisor)
    assert not can_decide(swap, dian)

    assert approve(swap, by=supervisor) == []

    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.APPROVED
    assert mode(published, dian, day) == "wfh"
    assert mode(published, partner, day) == "office"
    assert checker.check(document(published)) == []
    notices = [  # bodies are encrypted at rest: no lookup inside them
        m
        for m in OutboundMessage.objects.all()
        if m.body.get("template", {}).get("name") == "jadwal_piket_tukar"
    ]
    previews = sorted(m.preview for m in notices)
    assert len(previews) == 2
    assert f"di rumah {day:%d/%m}" in " ".join(previews)
    assert f"ke kantor {day:%d/%m}" in " ".join(previews)


def test_a_swap_that_would_break_a_rule_is_rejected_and_nothing_moves(published, employees):
    # The partner was in the office the working day before: taking this day breaks the piket.
    days = sorted({a.date for a in Assignment.objects.filter(period=published, mode="office")})
    for day in days[1:]:
        previous = max(d for d in days if d < day)
        for a in Assignment.objects.filter(period=published, date=day, mode="office"):
            partner = (
                Assignment.objects.filter(period=published, date=previous, mode="office")
                .exclude(employee=a.employee)
                .first()
            )
            if partner and mode(published, partner.employee, day) == "wfh":
                swap = request_swap(published, a.employee, partner.employee, day)
                broken = approve(swap, by=None)
                swap.refresh_from_db()
                assert swap.status == SwapRequest.Status.REJECTED
                assert any("piket needs 2" in b for b in broken)
                assert "Melanggar aturan" in swap.decision_note
                assert mode(published, a.employee, day) == "office"
                assert mode(published, partner.employee, day) == "wfh"
                return
    pytest.fail("no candidate swap found")


def test_it_refuses_a_swap_of_a_day_the_requester_is_not_in(published, employees):
    dian, andi = employees["Dian"], employees["Andi"]
    home = Assignment.objects.filter(period=published, employee=dian, mode="wfh").first().date
    with pytest.raises(RosterError, match="tidak piket di kantor"):
        request_swap(published, dian, andi, home)
