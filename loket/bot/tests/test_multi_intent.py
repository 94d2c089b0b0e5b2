"""Two services in one message: the bot answers each of them."""

import pytest
from django.utils import timezone

from loket.bot.conversation import handle
from loket.catalog.demo import seed
from loket.whatsapp.models import Contact, InboundMessage, OutboundMessage


def message_from_budi(text: str) -> InboundMessage:
    office = seed()
    budi = Contact.objects.create(office=office, wa_id="6281234567001")
    return InboundMessage.objects.create(
        office=office,
        contact=budi,
        wa_message_id=f"wamid.{abs(hash(text))}",
        type="text",
        text=text,
        payload={},
        sent_at=timezone.now(),
    )


@pytest.mark.django_db
def test_it_answers_both_services_asked_for():
    message = message_from_budi("min mau bikin kk baru dan akta kelahiran anak")
    handle(message)
    replies = list(OutboundMessage.objects.filter(contact=message.contact).order_by("pk"))
    assert len(replies) == 2
    assert "Kartu Keluarga" in replies[0].preview
    assert "elahiran" in replies[1].preview


@pytest.mark.django_db
def test_one_service_gets_one_answer():
    message = message_from_budi("mau bikin akta kelahiran anak saya")
    handle(message)
    assert OutboundMessage.objects.filter(contact=message.contact).count() == 1
