"""One flooding number never delays another citizen; past the limit one notice, then silence."""

import datetime as dt

import pytest
import time_machine

from loket.conftest import Citizen, sent_texts
from loket.whatsapp.models import InboundMessage, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.WHATSAPP_RATE_LIMIT_MESSAGES = 3
    settings.WHATSAPP_RATE_LIMIT_WINDOW_SECONDS = 60
    settings.WHATSAPP_RATE_LIMIT_MUTE_SECONDS = 600


def test_past_the_limit_one_polite_notice_then_silence(client, office, fake_graph, tasks, limits):
    budi = Citizen(client, wa_id="628111")
    with time_machine.travel(dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC), tick=False):
        for n in range(7):
            assert budi.says(f"halo {n}").status_code == 200
        tasks()
    states = list(InboundMessage.objects.values_list("state", flat=True))
    assert states == ["done"] * 3 + ["limited"] * 4
    notices = OutboundMessage.objects.filter(source="rate-limit")
    assert notices.count() == 1
    assert "terlalu banyak" in notices.get().preview
    assert sum("terlalu banyak" in t for t in sent_texts(fake_graph, "628111")) == 1

    with time_machine.travel(dt.datetime(2026, 11, 30, 2, 11, tzinfo=dt.UTC), tick=False):
        budi.says("halo lagi")
        tasks()
    assert InboundMessage.objects.order_by("-id").first().state == "done"
    assert OutboundMessage.objects.filter(source="rate-limit").count() == 1


def test_a_flooding_number_does_not_delay_another_citizen(client, office, fake_graph, tasks):
    budi, ani = Citizen(client, wa_id="628111"), Citizen(client, wa_id="628222")
    for n in range(4):
        budi.says(f"halo {n}")
    ani.says("mau bikin ktp")
    tasks()
    order = [
        m.contact.wa_id
        for m in InboundMessage.objects.select_related("contact").order_by("processed_at", "id")
    ]
    # Ani's first message runs right after Budi's first, ahead of his later ones.
    assert order == ["628111", "628222", "628111", "628111", "628111"]
