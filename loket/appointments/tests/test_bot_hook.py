import re

import pytest
from django.test import Client

from loket.conftest import sent_texts

pytestmark = pytest.mark.django_db


def test_the_bot_answers_legalisir_with_a_booking_link(counters, budi, fake_graph, tasks):
    budi.says("mau legalisir akta")
    tasks()
    [reply] = sent_texts(fake_graph)
    link = re.search(r"https?://\S+(/janji/\S+/)", reply)
    assert link, reply
    page = Client().get(link.group(1))
    assert page.status_code == 200
    assert "Janji datang" in page.content.decode()


def test_no_booking_link_for_an_online_only_service(counters, budi, fake_graph, tasks):
    budi.says("mau bikin akta kelahiran anak")
    tasks()
    [reply] = sent_texts(fake_graph)
    assert "/janji/" not in reply


def test_no_booking_link_when_the_office_has_no_counter_for_it(budi, fake_graph, tasks):
    budi.says("mau legalisir akta")
    tasks()
    [reply] = sent_texts(fake_graph)
    assert "/janji/" not in reply
