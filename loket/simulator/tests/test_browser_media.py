"""The simulator on a 390-px phone in an English browser: photo, document and voice note go
through the signed webhook and the fake media endpoint; templates read as the citizen sees them."""

import io

import pytest
from PIL import Image

from loket.conftest import wait_for

pytestmark = pytest.mark.browser
WA_ID = "6281234567890"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 140, 200)).save(out, "JPEG")
    return out.getvalue()


def pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(out, "PDF")
    return out.getvalue()


def stored_media(kind: str):
    from loket.inbox.models import CitizenMedia

    return CitizenMedia.objects.filter(message__type=kind, state="stored").first()


def test_a_citizen_sends_a_photo_a_document_and_a_voice_note(live_app, english_page):
    page = english_page
    page.goto(f"{live_app.url}/simulator/?wa_id={WA_ID}&name=Budi")
    change = page.locator("button:has-text('Ganti')")
    box = change.bounding_box()
    assert box["x"] + box["width"] <= 390
    assert change.evaluate("b => b.scrollWidth <= b.clientWidth")

    page.fill("#text", "ini foto KK saya")
    page.set_input_files("#file", {"name": "kk.jpg", "mimeType": "image/jpeg", "buffer": jpeg()})
    page.locator(".msg.in img").wait_for()
    assert "ini foto KK saya" in page.locator(".msg.in").last.inner_text()
    photo = wait_for(lambda: stored_media("image"), timeout=20)
    assert photo.size > 0 and photo.mime == "image/jpeg"

    page.set_input_files(
        "#file", {"name": "surat.pdf", "mimeType": "application/pdf", "buffer": pdf()}
    )
    page.locator(".msg.in").filter(has_text="surat.pdf").wait_for()
    document = wait_for(lambda: stored_media("document"), timeout=20)
    assert document.filename == "surat.pdf"

    voice = b"OggS" + bytes(200)
    page.set_input_files("#file", {"name": "ptt.ogg", "mimeType": "audio/ogg", "buffer": voice})
    page.locator(".msg.in").filter(has_text="Pesan suara").wait_for()
    from loket.whatsapp.models import InboundMessage

    voice_note = wait_for(lambda: InboundMessage.objects.filter(type="audio").first())
    assert voice_note.payload["audio"]["voice"] is True


def test_templates_show_the_text_the_citizen_reads(live_app, english_page):
    from datetime import timedelta

    from django.utils import timezone

    from loket.broadcasts import demo as broadcast_demo
    from loket.whatsapp import outbox
    from loket.whatsapp.models import Contact

    broadcast_demo.seed(live_app.office)
    contact = Contact.objects.create(
        office=live_app.office,
        wa_id=WA_ID,
        user_id=f"ID.sim{WA_ID}",
        profile_name="Budi",
        last_inbound_at=timezone.now() - timedelta(days=3),
    )
    outbox.queue_template(contact, "layanan_dibuka", "id", ["Perekaman KTP-el"], "ignored")
    outbox.queue_template(
        contact,
        "permohonan_diterima",  # not registered here: the app's own wording is shown
        "id",
        ["BPN-567-6MF", "Akta kelahiran"],
        "Permohonan Akta kelahiran diterima. Nomor tiket: BPN-567-6MF",
    )
    page = english_page
    page.goto(f"{live_app.url}/simulator/?wa_id={WA_ID}&name=Budi")
    page.locator(".msg.out").filter(
        has_text="Kabar baik: layanan Perekaman KTP-el sudah dibuka kembali."
    ).wait_for()
    page.locator(".msg.out").filter(has_text="Nomor tiket: BPN-567-6MF").wait_for()
    assert "[template" not in page.locator("#feed").inner_text()
