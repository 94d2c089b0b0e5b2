"""A small, hand-counted world for the reports: every figure in the tests is counted below.

Time is frozen on Wednesday 25 March 2026, 10:00 WITA (the demo policy starts that day).
Period: 23–25 March; baseline: 16–18 March (both chosen explicitly in the tests).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from loket.applications.models import Application, ApplicationEvent, State
from loket.appointments.models import Booking, Slot, Ticket, TurnedAway
from loket.bot.models import Conversation, Turn
from loket.catalog.models import Office, Service
from loket.core.identity import districts_of
from loket.inbox.models import Claim
from loket.whatsapp.models import Contact, InboundMessage, OutboundMessage

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 3, 25, 10, 0, tzinfo=WITA)
PERIOD = "periode=custom&dari=2026-03-23&sampai=2026-03-25"
BASELINE = "banding_dari=2026-03-16&banding_sampai=2026-03-18"


def at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=WITA)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def villages():
    """Two kelurahan of two kecamatan of Kota Balikpapan (64.71), from the region data."""
    (kec_a, vill_a), (kec_b, vill_b) = districts_of("64.71")[:2]
    return {"a": vill_a[0], "b": vill_b[0], "kec_a": kec_a, "kec_b": kec_b}


def _application(office, contact, code, submitted, kelurahan="", **fields) -> Application:
    return Application.objects.create(
        office=office,
        contact=contact,
        service=Service.objects.get(code=code),
        state=fields.pop("state", State.SUBMITTED),
        ticket=fields.pop("ticket", None),
        submitted_at=submitted,
        due_at=fields.pop("due_at", submitted + dt.timedelta(hours=72)),
        data={"kelurahan": kelurahan, "name": "Warga", "birth_place": "Balikpapan"},
        **fields,
    )


@pytest.fixture
def world(frozen, office, personas, villages):
    """The hand-counted figures (see each comment)."""
    kepala = personas["kepala"]
    budi = Contact.objects.create(office=office, wa_id="6281100000001", profile_name="Budi")
    a, b = villages["a"].code, villages["b"].code
    # online, in the period: akta-lahir x3 (a, a, b), kk-ubah x1 (b)
    _application(office, budi, "akta-lahir", at(23), a, ticket="T1")
    _application(office, budi, "akta-lahir", at(24), a, ticket="T2")
    _application(office, budi, "akta-lahir", at(25, 8), b, ticket="T3")
    _application(office, budi, "kk-ubah", at(24, 11), b, ticket="T4")
    # online, in the baseline: akta-lahir x1 (a); outside both: 10 March
    _application(office, budi, "akta-lahir", at(17), a, ticket="T5", state=State.FINISHED)
    _application(office, budi, "kia", at(10), a, ticket="T6", state=State.FINISHED)
    # finished in the period: 10 h and 30 h from submission (median 10, p90 30)
    _application(
        office,
        budi,
        "kk-baru",
        at(20, 8),
        ticket="T7",
        state=State.FINISHED,
        finished_at=at(20, 18),
    )
    _application(
        office,
        budi,
        "kk-baru",
        at(22, 8),
        ticket="T8",
        state=State.FINISHED,
        finished_at=at(23, 14),
    )
    # overdue now: T4's due date moved to the past
    Application.objects.filter(ticket="T4").update(due_at=at(25, 9))
    # a correction and a rejection in the period
    t1 = Application.objects.get(ticket="T1")
    ApplicationEvent.objects.create(
        application=t1,
        at=at(24, 10),
        state=State.CORRECTION_REQUESTED,
        label="perbaikan",
        note="Foto KK buram",
    )
    t2 = Application.objects.get(ticket="T2")
    Application.objects.filter(pk=t2.pk).update(
        state=State.REJECTED, rejection_reason="Ganda", finished_at=at(24, 15)
    )
    ApplicationEvent.objects.create(
        application=t2, at=at(24, 15), state=State.REJECTED, label="ditolak", note="Ganda"
    )
    # verified on 24 March (for SIAK): T3, with NIK and KK
    t3 = Application.objects.get(ticket="T3")
    t3.set_nik("6471051203900001")
    t3.set_kk("6471050101200003")
    t3.name = "Siti Aminah"
    t3.save()
    ApplicationEvent.objects.create(
        application=t3, at=at(24, 13), state=State.VERIFIED, label="verifikasi", actor=kepala
    )

    # the counter on 24 March: one legalisir slot of 10; bookings checked-in, no-show, cancelled
    legalisir = Service.objects.get(code="legalisir")
    slot = Slot.objects.create(
        office=office,
        service=legalisir,
        day=dt.date(2026, 3, 24),
        starts_at=at(24, 9),
        ends_at=at(24, 10),
        capacity=10,
        booked=3,
    )
    status = Booking.Status
    booked = [
        Booking.objects.create(
            office=office,
            service=legalisir,
            slot=slot,
            day=slot.day,
            nik=f"647101010101000{i}",
            nik_hash=f"h{i}",
            name="Warga",
            status=s,
        )
        for i, s in enumerate([status.CHECKED_IN, status.NO_SHOW, status.CANCELLED])
    ]
    # queue: the booked one waited 4 minutes, the walk-in 10
    Ticket.objects.create(
        office=office,
        day=slot.day,
        number=1,
        service=legalisir,
        slot=slot,
        booking=booked[0],
        created_at=at(24, 9),
        called_at=at(24, 9, 4),
        status=Ticket.Status.SERVED,
    )
    Ticket.objects.create(
        office=office,
        day=slot.day,
        number=2,
        service=legalisir,
        slot=slot,
        created_at=at(24, 9, 10),
        called_at=at(24, 9, 20),
        status=Ticket.Status.SERVED,
    )
    TurnedAway.objects.create(
        office=office, service=legalisir, day=slot.day, reason="Kuota hari ini sudah habis."
    )

    # the bot: 3 messages in; answered x2 (akta-lahir), asked back x1 (not understood)
    for i, (outcome, intent, understood) in enumerate(
        [
            ("answered", "akta-lahir", True),
            ("answered", "akta-lahir", True),
            ("asked_back", "lainnya", False),
        ]
    ):
        message = InboundMessage.objects.create(
            office=office,
            contact=budi,
            wa_message_id=f"in{i}",
            type="text",
            payload={},
            sent_at=at(24),
        )
        InboundMessage.objects.filter(pk=message.pk).update(received_at=at(24, 9, i))
        Turn.objects.create(
            office=office,
            message=message,
            at=at(24, 9, i),
            outcome=outcome,
            intent=intent,
            confidence=0.9 if understood else 0.2,
            understood=understood,
        )
    # out: bot x2 (read, failed 131026), staff x1 (delivered), applications x1 (template, sent)
    for i, (source, status_, kind, pricing) in enumerate(
        [
            ("bot", "read", "text", "service"),
            ("bot", "failed", "text", ""),
            ("staff:1", "delivered", "text", ""),
            ("applications", "sent", "template", "utility"),
        ]
    ):
        m = OutboundMessage.objects.create(
            office=office,
            contact=budi,
            kind=kind,
            body={},
            source=source,
            status=status_,
            pricing_category=pricing,
        )
        fields = {"created_at": at(24, 10, i)}
        if status_ == "failed":
            fields.update(error_code="131026", error_message="Message undeliverable")
        OutboundMessage.objects.filter(pk=m.pk).update(**fields)
    # the inbox: handed 09:00, claimed 09:05, first answer 09:08
    conversation = Conversation.objects.create(contact=budi)
    Claim.objects.create(
        conversation=conversation,
        claimed_by=kepala,
        handed_at=at(24, 9),
        claimed_at=at(24, 9, 5),
        first_response_at=at(24, 9, 8),
        released_at=at(24, 9, 30),
    )
    return office


@pytest.fixture
def other_office(db):
    """Another office of the same province, with one application in the period."""
    office = Office.objects.create(
        name="Disdukcapil Kota Samarinda",
        slug="samarinda",
        region_code="64.72",
        city_name="Kota Samarinda",
    )
    rina = Contact.objects.create(office=office, wa_id="6281100000009", profile_name="Rina")
    _application(office, rina, "akta-mati", at(24), ticket="S1")
    _application(office, rina, "akta-mati", at(24, 11), ticket="S2")
    return office
