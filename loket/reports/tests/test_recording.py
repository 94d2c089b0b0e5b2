"""The figures' raw data recorded by their owning apps: the bot's turns, walk-ins turned away."""

import pytest

from loket.appointments import queue
from loket.appointments.booking import BookingError
from loket.appointments.models import TurnedAway
from loket.bot.models import Turn
from loket.catalog.models import Service


def test_every_answered_message_leaves_a_turn(budi, fake_graph, tasks):
    budi.says("selamat pagi")
    budi.says("mau bikin akta kelahiran anak")
    budi.says("asdf qwerty zzz")
    tasks()
    outcomes = list(Turn.objects.order_by("id").values_list("outcome", "understood"))
    assert outcomes[0] == ("menu", None)
    assert outcomes[1] == ("answered", True)
    assert Turn.objects.get(intent="akta-lahir").confidence > 0.5
    assert outcomes[2] in (("asked_back", False), ("handed", False))


def test_a_walk_in_refused_is_counted(office):
    service = Service.objects.get(code="legalisir")
    with pytest.raises(BookingError):
        queue.walk_in(office, service)  # no slot today
    away = TurnedAway.objects.get()
    assert away.service == service and away.reason
