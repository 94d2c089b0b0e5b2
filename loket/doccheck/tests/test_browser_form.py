"""Chromium, in English and in Indonesian: Budi uploads his KK on the form, the check runs in the
worker and the warning appears under the upload; a blurred photo gets "Foto kurang jelas"; he can
still send the application."""

import pytest

from loket.applications.tests.conftest import SEPINGGAN, pdf_bytes
from loket.doccheck.tests.conftest import KK_SLOT, generated, other_digits

pytestmark = pytest.mark.browser


@pytest.fixture(params=["en-US", "id-ID"])
def phone(request, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=request.param)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.csp_problems = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.csp_problems.append(m.text),
    )
    yield page
    context.close()


def jpeg(kind: str, degrade: str | None = None) -> dict:
    return {
        "name": f"{kind}.jpg",
        "mimeType": "image/jpeg",
        "buffer": generated(kind, 7, degrade)[0],
    }


def pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def test_the_form_warns_about_the_kk_photo_and_still_sends(live_app, phone):
    from django.utils import timezone

    from loket.applications.models import Application
    from loket.core.links import make_token
    from loket.whatsapp.models import Contact

    page = phone
    truth = generated("kk")[1]
    budi = Contact.objects.create(
        office=live_app.office,
        wa_id="6281234567890",
        profile_name="Budi",
        last_inbound_at=timezone.now(),
    )
    page.goto(f"{live_app.url}/l/{make_token(budi.pk, 'akta-lahir')}/", timeout=60_000)
    page.fill("#id_nik", other_digits(truth["nik"], (12, 14)))  # two digits mistyped
    page.fill("#id_kk", truth["kk_number"])
    page.fill("#id_name", truth["name"])
    page.fill("#id_birth_place", "Balikpapan")
    page.fill("#id_birth_date", "1990-03-12")
    page.fill("#id_address", "Jl. Mawar No. 5 RT 12")
    page.select_option("#id_kelurahan", SEPINGGAN)
    page.fill("#id_x_child_name", "Ayu")
    page.select_option("#id_x_child_sex", "P")
    page.fill("#id_x_child_birth_place", "RSUD Balikpapan")
    page.fill("#id_x_child_birth_date", timezone.localdate().isoformat())
    page.fill("#id_x_mother_name", "Siti Aminah")

    slot = page.locator(f"#slot-{KK_SLOT}")
    page.set_input_files(f"#id_doc_{KK_SLOT}", jpeg("kk"))
    slot.locator(".doccheck").wait_for()  # uploaded: "sedang diperiksa" while the worker reads
    result = slot.locator(".doccheck.final")
    result.wait_for(timeout=120_000)  # polled every 2 s until the worker is done
    text = result.inner_text()
    assert "Periksa kembali foto ini" in text and "digit ke-13 dan ke-15" in text, text

    page.set_input_files(f"#id_doc_{KK_SLOT}", jpeg("kk", "blur"))
    slot.locator(".doccheck.final .finding-unreadable").wait_for(timeout=120_000)
    text = slot.inner_text()
    assert "Foto kurang jelas" in text and "coba lagi di tempat terang" in text, text
    assert "seluruh kertas masuk foto" in text

    for index in (0, 1, 2, 4):  # the other required documents, as PDFs
        page.set_input_files(f"#id_doc_{index}", pdf(f"dokumen-{index}.pdf"))
        page.locator(f"#slot-{index} .ok").wait_for()
    page.click("button:has-text('Kirim permohonan')")
    page.locator("h1").filter(has_text="Permohonan terkirim").wait_for()
    application = Application.objects.get(contact=budi)
    assert application.state == "submitted" and application.ticket
    assert page.csp_problems == []
