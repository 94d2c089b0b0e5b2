"""The citizen's booking from the WhatsApp reply, and the waiting-room screen, in a real browser.

These use the project's `live_app` (live server, task thread, simulator): the SQLite test database
is a file, so the task thread's own connection waits for a lock instead of failing at once.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from loket.appointments import demo, queue
from loket.appointments.links import booking_link
from loket.appointments.models import Booking, Slot
from loket.appointments.tests.conftest import open_slot
from loket.catalog.demo import TNI_POLRI
from loket.catalog.models import Service
from loket.conftest import staff_login
from loket.staff.models import Role, StaffMember
from loket.whatsapp.models import Contact, OutboundMessage

pytestmark = pytest.mark.browser


@pytest.fixture
def counters(live_app):
    demo.seed(live_app.office)
    Slot.objects.all().delete()  # the real calendar may be a weekend: make our own slots
    return live_app.office


def test_a_citizen_books_legalisir_from_the_bots_reply_in_the_simulator(live_app, counters, page):
    slot = open_slot(counters, "legalisir", timezone.localdate() + dt.timedelta(days=1), 10)
    chat = f"{live_app.url}/simulator/?wa_id=6281234567890&name=Budi"
    page.goto(chat)
    page.fill("#text", "mau legalisir")
    page.press("#text", "Enter")
    reply = page.locator(".msg.out").filter(has_text="Buat janji datang ke loket")
    reply.wait_for()
    assert "Legalisasi (legalisir)" in reply.inner_text()

    reply.locator(f"a[href^='{live_app.url}/janji/']").click()
    page.wait_for_url(f"{live_app.url}/janji/**")
    page.fill("#nik", "6471010101010001")
    page.fill("#name", "Budi Santoso")
    page.select_option("#purpose", TNI_POLRI)
    page.check(f"input[name=slot][value='{slot.pk}']")
    page.click("button:has-text('Buat janji')")
    code = page.locator("#code").inner_text()
    booking = Booking.objects.get(code=code)
    assert (booking.purpose, booking.slot_id, booking.contact.wa_id) == (
        TNI_POLRI,
        slot.pk,
        "6281234567890",
    )

    page.goto(chat)  # the confirmation arrives on WhatsApp (the task thread delivers it)
    page.locator(".msg.out").filter(has_text=code).wait_for()


def test_a_citizen_books_legalisir_from_the_personal_link(live_app, counters, page):
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
    qr = page.locator("img[alt^='QR']")
    qr.wait_for()  # then its pixels (polled from here: the page's CSP forbids eval)
    for _ in range(100):
        if qr.evaluate("img => img.naturalWidth") > 0:
            break
        page.wait_for_timeout(100)
    assert qr.evaluate("img => img.naturalWidth") > 0

    booking = Booking.objects.get()
    assert (booking.code, booking.purpose, booking.contact_id) == (code, TNI_POLRI, budi.pk)
    confirmation = OutboundMessage.objects.get(contact=budi)
    assert code in confirmation.preview

    page.click("button:has-text('Batalkan janji')")
    page.locator("#status").filter(has_text="dibatalkan").wait_for()
    slot.refresh_from_db()
    assert slot.booked == 0


def test_a_staff_call_updates_the_waiting_room_screen_without_reload(live_app, counters, page):
    """Sari clicks "Panggil berikutnya" on her page; the TV screen (another tab) shows the call."""
    now = timezone.now()
    slot = open_slot(counters, "ambil-dokumen", timezone.localdate(), 0, capacity=5)
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1)
    )
    ticket = queue.walk_in(counters, Service.objects.get(code="ambil-dokumen"))
    sari = get_user_model().objects.create_user("sari", password="rahasia-123", first_name="Sari")
    StaffMember.objects.create(user=sari, office=counters, role=Role.OPERATOR)

    screen = page.context.new_page()
    screen.set_viewport_size({"width": 1280, "height": 720})
    screen.goto(f"{live_app.url}/antrian/{counters.slug}/layar/")
    screen.evaluate("window.notReloaded = true")
    assert screen.locator("#latest").count() == 0

    staff_login(page, live_app.url, "sari")
    page.goto(f"{live_app.url}/staf/antrian/")
    page.fill("#counter", "2")
    page.click("#call-next")

    screen.locator("#latest").filter(has_text=ticket.label).wait_for()
    assert "loket 2" in screen.locator(".now").inner_text()
    assert screen.evaluate("window.notReloaded") is True
    ticket.refresh_from_db()
    assert ticket.counter == "2"
