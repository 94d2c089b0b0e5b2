"""Every staff read of a citizen's messages is audited, the polled timeline included."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from loket.bot.models import Conversation
from loket.core.audit import READ_DEDUP_MINUTES
from loket.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def staff(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_timeline_and_the_conversation_page_are_audited_once_per_visit(
    budi, fake_graph, tasks, personas
):
    budi.says("mau bicara dengan petugas")
    tasks()
    conversation = Conversation.objects.get(contact__wa_id=budi.wa_id)
    sari, dewi = staff(personas["sari"]), staff(personas["dewi"])
    assert sari.get(f"/staf/inbox/{conversation.pk}/pesan/").status_code == 200  # htmx poll
    sari.get(f"/staf/inbox/{conversation.pk}/pesan/")
    sari.get(f"/staf/inbox/{conversation.pk}/")
    dewi.get(f"/staf/inbox/{conversation.pk}/")
    reads = AuditEntry.objects.filter(action="inbox.viewed", object_id=str(conversation.pk))
    assert sorted(reads.values_list("actor__username", flat=True)) == ["dewi", "sari"]
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=READ_DEDUP_MINUTES + 1)):
        sari.get(f"/staf/inbox/{conversation.pk}/pesan/")
    assert reads.count() == 3
    assert reads.first().detail["contact"] == conversation.contact_id
