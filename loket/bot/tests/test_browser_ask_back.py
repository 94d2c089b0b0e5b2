"""The clarifying question in a real browser: the simulator, real webhooks, the bot, the link.

The browser runs in its usual English locale (en-US); the bot's language is the citizen's choice
on WhatsApp, so the chat stays Indonesian.
"""

import re

import pytest

pytestmark = pytest.mark.browser


def test_an_ambiguous_message_is_asked_back_and_a_tap_answers_it(live_app, english_page):
    page = english_page
    page.goto(f"{live_app.url}/simulator/?wa_id=6281230001111&name=Rina")
    page.fill("#text", "mau urus akta")
    page.press("#text", "Enter")
    question = page.locator(".msg.out").filter(has_text="Maksud Bapak/Ibu yang mana?")
    question.wait_for()
    options = question.locator("button[data-reply^='svc:akta-']")
    assert options.count() == 5  # every akta service: the citizen has not said which

    question.locator("button[data-reply='svc:akta-mati']").click()
    answer = page.locator(".msg.out").filter(has_text="Kutipan Akta Kematian")
    answer.wait_for()
    link = answer.locator("a[href*='/l/']").get_attribute("href")
    assert re.match(rf"{re.escape(live_app.url)}/l/\S+/", link)
    page.goto(link)
    assert page.locator("h1").inner_text().startswith("Pencatatan kematian")
