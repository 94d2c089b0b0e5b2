"""The foundation's journey in a real browser: the simulator, real webhooks, the bot, the link."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_a_citizen_asks_on_whatsapp_and_opens_the_personal_link(live_app, page):
    page.goto(f"{live_app.url}/simulator/?wa_id=6281234567890&name=Budi")
    page.fill("#text", "selamat pagi, sy mau bikin akta kelahiran anak gmn caranya")
    page.press("#text", "Enter")
    reply = page.locator(".msg.out").filter(has_text="Persyaratan")
    reply.wait_for()
    assert "Akta Kelahiran" in reply.inner_text()
    link = reply.locator("a[href*='/l/']")
    href = link.get_attribute("href")
    assert re.match(rf"{re.escape(live_app.url)}/l/\S+/", href)

    page.goto(href)
    assert page.locator("h1").inner_text().startswith("Pencatatan kelahiran")
    assert "Hanya daring" in page.content()


def test_gibberish_shows_the_menu_and_a_tap_answers(live_app, page):
    page.goto(f"{live_app.url}/simulator/?wa_id=6289999&name=Eko")
    page.fill("#text", "zzzz qqq")
    page.press("#text", "Enter")
    page.locator("button[data-reply='grp:kk']").click()
    page.locator("button[data-reply='svc:kk-baru']").click()
    page.locator(".msg.out").filter(has_text="Penerbitan Kartu Keluarga baru").wait_for()


def test_replies_shown_in_the_simulator_are_marked_read(live_app, page):
    from loket.conftest import wait_for
    from loket.whatsapp.models import OutboundMessage

    page.goto(f"{live_app.url}/simulator/?wa_id=6287777&name=Ani")
    page.fill("#text", "buka jam berapa")
    page.press("#text", "Enter")
    page.locator(".msg.out").filter(has_text="Jam layanan").wait_for()
    wait_for(lambda: OutboundMessage.objects.filter(status="read").exists(), timeout=10)
