"""The citizen's booking from the WhatsApp reply, and the waiting-room screen, in a real browser."""

import datetime as dt
import time
from types import SimpleNamespace

import pytest
from django.utils import timezone

from loket.appointments import demo, queue
from loket.appointments.links import booking_link
from loket.appointments.models import Booking, Slot
from loket.catalog.demo import TNI_POLRI
from loket.catalog.models import Service
from loket.whatsapp.models import Contact, OutboundMessage

pytestmark = pytest.mark.browser


def open_slot(office, code: str, day: dt.date, hour: int, capacity: int = 5) -> Slot:
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return Slot.objects.create(
        office=office,
        service=Service.objects.get(code=code),
        day=day,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        capacity=capacity,
    )


@pytest.fixture
def live_app(live_server, settings, transactional_db):
    """Like the project's live_app, without its task thread: these tests check the outbox rows.

    On SQLite the live server shares this thread's in-memory connection; a task thread with a
    connection of its own makes BEGIN IMMEDIATE fail at once ("database table is locked")
    whenever both write, which made these tests flaky.
    """
    from loket.catalog import demo as catalog_demo
    from loket.whatsapp import inbound

    settings.LOKET_PUBLIC_URL = live_server.url
    settings.WHATSAPP_GRAPH_URL = f"{live_server.url}/simulator/graph"
    settings.WHATSAPP_ACCESS_TOKEN = "simulator-token"
    office = catalog_demo.seed()
    office.phone_number_id = settings.WHATSAPP_PHONE_NUMBER_ID
    office.save()
    inbound._office_cache.clear()
    return SimpleNamespace(url=live_server.url, office=office)


def retry_locked(action):
    """The live server's threads share this thread's in-memory SQLite connection: a statement
    that meets another thread's open one fails at once. Retry (the action is idempotent)."""
    from django.db import OperationalError

    for _ in range(40):
        try:
            return action()
        except OperationalError:
            time.sleep(0.05)
    return action()


@pytest.fixture
def counters(live_app):
    demo.seed(live_app.office)
    Slot.objects.all().delete()  # the real calendar may be a weekend: make our own slots
    return live_app.office


def test_a_citizen_books_legalisir_from_the_personal_link(live_app, counters, page):
    """The link is the one the bot sends for "mau legalisir" (see test_bot_hook)."""
    slot = open_slot(counters, "legalisir", timezone.localdate() + dt.timedelta(days=1), 10)
    budi = Contact.objects.create(
        office=counters, wa_id="6281234567890", profile_name="Budi", last_inbound_at=timezone.now()
    )
    page.goto(booking_link(budi, Service.objects.get(code="legalisir")))
    page.fill("#nik", "6471010101010001")
    page.fill("#name", "Budi Santoso")
    page.select_option("#purpose", TNI_POLRI)
    page.check(f"input[name=slot][value='{slot.pk}']")
    page.click("button:has-text('Buat janji')")
    code = page.locator("#code").inner_text()
    page.wait_for_function("document.querySelector(\"img[alt^='QR']\").naturalWidth > 0")

    booking = Booking.objects.get()
    assert (booking.code, booking.purpose, booking.contact_id) == (code, TNI_POLRI, budi.pk)
    confirmation = OutboundMessage.objects.get(contact=budi)
    assert code in confirmation.preview

    page.click("button:has-text('Batalkan janji')")
    page.locator("#status").filter(has_text="dibatalkan").wait_for()
    slot.refresh_from_db()
    assert slot.booked == 0


def test_a_staff_call_updates_the_waiting_room_screen_without_reload(live_app, counters, page):
    now = timezone.now()
    slot = open_slot(counters, "ambil-dokumen", timezone.localdate(), 0, capacity=5)
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1)
    )
    ambil = Service.objects.get(code="ambil-dokumen")
    ticket = retry_locked(lambda: queue.walk_in(counters, ambil))

    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_app.url}/antrian/{counters.slug}/layar/")
    page.evaluate("window.notReloaded = true")
    assert page.locator("#latest").count() == 0

    called = retry_locked(lambda: queue.call_next(counters, "2"))  # what "Panggil" does
    assert called.pk == ticket.pk

    page.locator("#latest").filter(has_text=ticket.label).wait_for()
    assert "loket 2" in page.locator(".now").inner_text()
    assert page.evaluate("window.notReloaded") is True
