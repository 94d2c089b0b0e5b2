"""A working day of the back-office in Chromium with an English-language browser, on a desktop
and on a 390-px phone: every staff page fits the phone, and the round-2 staff flows work."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from loket.applications.models import Application, State
from loket.bot.models import Conversation
from loket.catalog.models import Mode, Service
from loket.catalog.policy import service_status
from loket.conftest import staff_login, wait_for

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LONG_LINK = "https://www.example.com/" + "sangat-panjang-" * 12 + "/berkas?token=" + "x" * 60


def browser_page(browser, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def phone(browser):
    context, page = browser_page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context, page = browser_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def demo_office(live_app):
    """The demo data of `loket seed-demo`, with the personas' password set to the tests' one."""
    for config in apps.get_app_configs():
        if not config.name.startswith("loket.") or config.name == "loket.catalog":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError:
            continue
        module.seed(live_app.office)
    for user in get_user_model().objects.all():
        user.set_password("rahasia-123")
        user.save()
    return live_app.office


def handed_over(page, live_app) -> Conversation:
    """Budi asks for a person in the simulator, after a message with a long link."""
    page.goto(f"{live_app.url}/simulator/?wa_id=6281234567890&name=Budi")
    for text in (
        "mau bikin akta kelahiran",
        f"ini link saya *penting*: {LONG_LINK}",
        "mau bicara dengan petugas",
    ):
        answers = page.locator(".msg.out").count()
        page.fill("#text", text)
        page.press("#text", "Enter")
        wait_for(lambda: page.locator(".msg.out").count() > answers, timeout=45)
    return wait_for(
        lambda: Conversation.objects.filter(state=Conversation.State.HANDED_TO_STAFF).first(),
        timeout=45,
    )


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_every_main_staff_page_fits_a_390px_phone(live_app, demo_office, phone, desktop):
    conversation = handed_over(desktop, live_app)
    application = Application.objects.exclude(state=State.DRAFT).first()
    Application.objects.filter(pk=application.pk).update(
        name="Budi Santoso bin Ahmad Suryadiningrat Wijayakusuma Pranoto"
    )
    staff_login(phone, live_app.url, "admin")
    staff_login(desktop, live_app.url, "admin")
    phone.goto(f"{live_app.url}/staf/kebijakan/")
    phone.click("#new-draft")
    phone.wait_for_url(re.compile(r".*/staf/kebijakan/\d+/"))
    draft_url = phone.url.split("#")[0]
    pages = [
        "/staf/",
        "/staf/permohonan/",
        "/staf/permohonan/?status=all",
        f"/staf/permohonan/{application.pk}/",
        "/staf/inbox/",
        f"/staf/inbox/{conversation.pk}/",
        "/staf/inbox/beban/",
        "/staf/inbox/jawaban/",
        "/staf/antrian/",
        "/staf/antrian/rekap/",
        "/staf/antrian/sesi/",
        "/staf/siaran/",
        "/staf/siaran/baru/",
        "/staf/siaran/template/",
        "/staf/siaran/penerima/",
        "/staf/piket/",
        "/staf/piket/saya/",
        "/staf/piket/tukar/",
        "/staf/piket/kehadiran/",
        "/staf/piket/pegawai/",
        "/staf/kebijakan/",
        draft_url.removeprefix(live_app.url),
        "/staf/kebijakan/jam/",
    ]
    too_wide = {}
    for path in pages:
        response = phone.goto(f"{live_app.url}{path}")
        assert response.status == 200, path
        width = scroll_width(phone)
        if width > PHONE["width"]:
            too_wide[path] = width
        desktop.goto(f"{live_app.url}{path}")
        assert scroll_width(desktop) <= DESKTOP["width"], path
        assert "This field" not in phone.content() and "Employee" not in phone.content(), path
    assert too_wide == {}


def test_a_finished_ticket_is_found_however_typed_and_a_rejected_one_reopened(
    live_app, phone, personas_live
):
    from loket.whatsapp.models import Contact

    contact = Contact.objects.create(office=live_app.office, wa_id="6281300", profile_name="Rina")
    service = Service.objects.get(code="akta-lahir")
    rejected = Application.objects.create(
        office=live_app.office,
        contact=contact,
        service=service,
        name="Rina Wulandari",
        state=State.SUBMITTED,
        ticket="BPN-567-6MF",
    )
    rejected.reject(personas_live["dewi"], "Foto KK tidak terbaca.")

    staff_login(phone, live_app.url, "sari")
    phone.goto(f"{live_app.url}/staf/permohonan/")
    assert "BPN-567-6MF" not in phone.locator("#queue").inner_text()  # not open work
    phone.fill("#q", "bpn5676mf")
    phone.click("button:has-text('Tampilkan')")
    phone.locator("#queue a:has-text('BPN-567-6MF')").wait_for()
    phone.fill("#q", "rina")
    phone.click("button:has-text('Tampilkan')")
    phone.click("#queue a:has-text('BPN-567-6MF')")
    assert "Ditolak" in phone.locator(".badge").first.inner_text()
    assert phone.locator("#reopen-reason").count() == 0  # sari is an operator: no reopening

    phone.context.clear_cookies()
    staff_login(phone, live_app.url, "dewi")
    phone.goto(f"{live_app.url}/staf/permohonan/?q=BPN-567-6MF")
    phone.click("#queue a:has-text('BPN-567-6MF')")
    phone.fill("#reopen-reason", "Salah tolak: KK terbaca di halaman kedua.")
    phone.click("button:has-text('Buka kembali')")
    phone.locator(".badge").filter(has_text="menunggu verifikasi").wait_for()
    phone.click("#assign-me")
    phone.locator("#assignee").filter(has_text="Dewi").wait_for()
    phone.goto(f"{live_app.url}/staf/permohonan/?petugas=saya")
    phone.locator("#queue a:has-text('BPN-567-6MF')").wait_for()

    # Tolak needs the "Saya yakin" box: without it the browser does not send the form
    phone.click("#queue a:has-text('BPN-567-6MF')")
    phone.fill("#reason", "Bukan warga Balikpapan.")
    phone.click("button.danger:has-text('Tolak')")
    rejected.refresh_from_db()
    assert rejected.state == State.SUBMITTED
    phone.check("#confirm-reject")
    phone.click("button.danger:has-text('Tolak')")
    phone.locator(".badge").filter(has_text="Ditolak").first.wait_for()
    wait_for(  # the citizen heard of the reopening
        lambda: any("dibuka kembali" in m.preview for m in contact.outbound.all()), timeout=30
    )


@pytest.fixture
def personas_live(live_app):
    from loket.staff.models import Role, StaffMember

    users = {}
    for username, role in [("sari", "operator"), ("dewi", "verifikator"), ("kepala", "kepala")]:
        user = get_user_model().objects.create_user(
            username, password="rahasia-123", first_name=username.title()
        )
        StaffMember.objects.create(user=user, office=live_app.office, role=Role(role))
        users[username] = user
    return users


def test_kepala_limits_ktp_rekam_previews_the_bot_answer_and_publishes(
    live_app, desktop, personas_live
):
    ktp = Service.objects.get(code="ktp-rekam")
    assert service_status(live_app.office, ktp).mode == Mode.SUSPENDED
    staff_login(desktop, live_app.url, "kepala")
    desktop.click("nav.staff a:has-text('Kebijakan layanan')")
    desktop.click("#new-draft")
    desktop.select_option(f"#id_mode_{ktp.pk}", Mode.LIMITED)
    desktop.locator(f"#svc-{ktp.code} summary").click()
    desktop.fill(f"#id_purposes_{ktp.pk}", "Pemilih pemula\nPendaftaran TNI/Polri")
    desktop.click("#save-draft")
    preview = desktop.locator(f".wa[data-service='{ktp.code}']")
    preview.evaluate("element => { element.closest('details').open = true; }")
    preview.wait_for()
    assert "Di loket hanya untuk keperluan: Pemilih pemula, Pendaftaran TNI/Polri." in (
        preview.inner_text()
    )
    assert preview.locator("strong").first.inner_text() == ktp.name  # *bold* as on WhatsApp
    assert service_status(live_app.office, ktp).mode == Mode.SUSPENDED  # not yet published
    desktop.click("#publish")
    desktop.locator("#in-force").wait_for()
    assert service_status(live_app.office, ktp).mode == Mode.LIMITED
    history = desktop.locator("#history").inner_text()
    assert "Diterbitkan" in history and "Kepala" in history
    assert f"{ktp.name}: Dihentikan sementara → Tatap muka terbatas" in history


def test_the_chat_reads_like_whatsapp_on_a_phone(live_app, phone, personas_live):
    conversation = handed_over(phone, live_app)
    staff_login(phone, live_app.url, "sari")
    phone.goto(f"{live_app.url}/staf/inbox/{conversation.pk}/")
    phone.click("#claim")
    reply = phone.locator("#reply-text")
    reply.wait_for()
    # newer messages below older ones, the newest in view at the bottom, the reply box at hand
    bubbles = phone.locator("#chat .bubble")
    asked = phone.locator("#chat .bubble.in").filter(has_text="mau bicara dengan petugas")
    started = phone.locator("#chat .bubble.in").filter(has_text="mau bikin akta kelahiran")
    assert asked.bounding_box()["y"] > started.bounding_box()["y"]
    newest = bubbles.first.bounding_box()  # newest first in the page, shown at the bottom
    chat_box = phone.locator("#chat").bounding_box()
    assert chat_box["y"] <= newest["y"]
    assert newest["y"] + newest["height"] <= chat_box["y"] + chat_box["height"] + 1
    assert phone.locator("#chat strong").filter(has_text="penting").count() == 1
    assert "Asisten otomatis" in phone.locator("#chat").inner_text()
    assert "applications" not in phone.locator("#chat").inner_text()
    assert scroll_width(phone) <= PHONE["width"]
    phone.mouse.wheel(0, 5000)
    box = reply.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]  # sticky
    reply.fill("Baik Pak, *kami bantu* sekarang.")
    phone.click("#send")
    phone.locator(".flash").filter(has_text="Pesan sedang dikirim ke warga.").wait_for()
    phone.locator("#chat .bubble.out strong").filter(has_text="kami bantu").wait_for()


def test_closing_a_day_and_sending_a_broadcast_now_ask_for_confirmation_first(
    live_app, phone, personas_live
):
    import datetime as dt

    from django.utils import timezone

    from loket.appointments.tests.conftest import open_slot
    from loket.broadcasts import demo as broadcast_demo
    from loket.broadcasts.models import Broadcast, MessageTemplate
    from loket.staff.models import Role, StaffMember

    admin = get_user_model().objects.create_user("it", password="rahasia-123", first_name="It")
    StaffMember.objects.create(user=admin, office=live_app.office, role=Role.ADMIN)
    day = timezone.localdate() + dt.timedelta(days=2)
    slot = open_slot(live_app.office, "legalisir", day, 9)
    broadcast_demo.seed(live_app.office)
    broadcast = Broadcast.objects.create(
        office=live_app.office,
        title="Info layanan",
        template=MessageTemplate.objects.first(),
        audience=Broadcast.Audience.SUBSCRIBERS,
        parameters=["a", "b", "c", "d"][: MessageTemplate.objects.first().body.count("{{")],
    )

    staff_login(phone, live_app.url, "it")
    phone.goto(f"{live_app.url}/staf/antrian/sesi/?hari={day:%Y-%m-%d}")
    phone.fill("#close-reason", "Disinfeksi gedung")
    phone.click("button:has-text('Tutup hari dan batalkan semua janji')")
    assert phone.evaluate("document.querySelector('#confirm-close').validity.valueMissing")
    slot.refresh_from_db()
    assert slot.capacity == 5  # nothing was closed
    phone.check("#confirm-close")
    phone.click("button:has-text('Tutup hari dan batalkan semua janji')")
    phone.locator(".flash").filter(has_text="ditutup").wait_for()
    slot.refresh_from_db()
    assert slot.capacity == 0

    phone.goto(f"{live_app.url}/staf/siaran/{broadcast.pk}/")
    phone.click("button:has-text('Jadwalkan')")  # no time, no "kirim sekarang": nothing goes
    phone.locator(".flash.error").filter(has_text="Kirim sekarang").wait_for()
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.DRAFT
    phone.check("#send-now")
    phone.click("button:has-text('Jadwalkan')")
    phone.locator(".flash").filter(has_text="dijadwalkan").wait_for()
    broadcast.refresh_from_db()
    assert broadcast.status != Broadcast.Status.DRAFT


def test_a_closure_on_the_policy_page_confirms_then_cancels_the_days_bookings(
    live_app, desktop, personas_live
):
    import datetime as dt

    from django.utils import timezone

    from loket.appointments.booking import book
    from loket.appointments.models import Booking
    from loket.appointments.tests.conftest import NIKS, open_slot
    from loket.catalog.models import OfficeClosure
    from loket.whatsapp.models import Contact, OutboundMessage

    day = timezone.localdate() + dt.timedelta(days=4)
    slot = open_slot(live_app.office, "ambil-dokumen", day, 9)
    contact = Contact.objects.create(
        office=live_app.office, wa_id="6281299990001", last_inbound_at=timezone.now()
    )
    for nik in NIKS[:2]:
        book(slot.pk, nik=nik, name="Warga", contact=contact)
    notices = OutboundMessage.objects.filter(contact=contact, source="appointments")
    before = notices.count()

    staff_login(desktop, live_app.url, "kepala")  # a desktop browser in English (en-US)
    desktop.goto(f"{live_app.url}/staf/kebijakan/")
    desktop.fill("#closures input[name=date]", day.isoformat())
    desktop.fill("#closures input[name=reason]", "Pemadaman listrik")
    desktop.click("button:has-text('Tambah hari tutup')")
    confirm = desktop.locator("#closure-confirm")
    confirm.wait_for()
    assert "2 janji temu" in confirm.inner_text()
    assert "diberi tahu lewat WhatsApp" in confirm.inner_text()
    assert not OfficeClosure.objects.filter(date=day).exists()
    assert Booking.objects.filter(slot=slot, status="booked").count() == 2
    desktop.click("#confirm-closure")
    desktop.locator(".flash").filter(has_text="2 janji temu dibatalkan").wait_for()
    assert OfficeClosure.objects.get(date=day).reason == "Pemadaman listrik"
    assert not Booking.objects.filter(slot=slot, status="booked").exists()
    assert notices.count() - before == 2  # one notice per cancelled booking
    assert f"{day:%d-%m-%Y}: Pemadaman listrik" in desktop.locator("#closures").inner_text()
