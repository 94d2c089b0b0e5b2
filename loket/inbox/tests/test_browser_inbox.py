"""A citizen asks for a person; Sari claims, answers and hands back; the bot answers again."""

import pytest

from loket.conftest import staff_login, wait_for
from loket.simulator.models import SimulatedMessage
from loket.whatsapp.models import InboundMessage

pytestmark = pytest.mark.browser
WA_ID = "6281377001122"


def make_sari(office):
    from django.contrib.auth import get_user_model

    from loket.staff.models import Role, StaffMember

    user = get_user_model().objects.create_user("sari", password="rahasia-123", first_name="Sari")
    StaffMember.objects.create(user=user, office=office, role=Role.OPERATOR)


def bot_replies() -> int:
    return SimulatedMessage.objects.filter(
        wa_id=WA_ID, direction=SimulatedMessage.Direction.OUT
    ).count()


def test_staff_take_over_a_chat_and_give_it_back_to_the_bot(live_app, page, browser):
    make_sari(live_app.office)
    page.goto(f"{live_app.url}/simulator/?wa_id={WA_ID}&name=Rina")
    page.fill("#text", "mau bicara dengan petugas")
    page.press("#text", "Enter")
    page.locator(".msg.out").filter(has_text="teruskan ke petugas").wait_for()

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    staff.set_default_timeout(15_000)
    desk = staff.new_page()
    staff_login(desk, live_app.url, "sari")
    desk.goto(f"{live_app.url}/staf/inbox/")
    desk.locator("a", has_text="Rina").click()
    desk.click("#claim")
    desk.fill("#reply-text", "Halo Bu Rina, saya Sari dari Disdukcapil. Ada yang bisa dibantu?")
    desk.click("#send")
    page.locator(".msg.out").filter(has_text="saya Sari dari Disdukcapil").wait_for()

    before = bot_replies()
    page.fill("#text", "KK saya hilang, bagaimana?")
    page.press("#text", "Enter")
    desk.locator(".bubble.in").filter(has_text="KK saya hilang").wait_for()  # polled in
    wait_for(  # texts are encrypted at rest: compared once read back
        lambda: (
            "KK saya hilang, bagaimana?"
            in [m.text for m in InboundMessage.objects.filter(state=InboundMessage.State.DONE)]
        )
    )
    assert bot_replies() == before  # the bot stayed silent while Sari held the chat

    desk.click("#hand-back")
    page.locator(".msg.out").filter(has_text="Petugas telah selesai").wait_for()
    page.fill("#text", "halo")
    page.press("#text", "Enter")
    page.locator("button[data-reply='grp:kk']").last.wait_for()  # the bot's menu again
    staff.close()
