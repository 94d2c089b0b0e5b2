"""Two staff members press "Ambil" at the same moment: one gets the conversation."""

import threading

import pytest
from django.db import connection

from loket.bot.models import Conversation
from loket.inbox import services
from loket.inbox.models import Claim
from loket.whatsapp.models import Contact


@pytest.mark.django_db(transaction=True)
def test_simultaneous_claims_give_the_conversation_to_exactly_one(personas, office):
    contact = Contact.objects.create(office=office, wa_id="6281300000001")
    conversation = Conversation.objects.create(contact=contact)
    conversation.hand_to_staff(Conversation.Reason.ASKED)
    start = threading.Barrier(2)
    outcomes = []

    def press(user):
        start.wait()
        try:
            services.claim(conversation, user)
            outcomes.append("claimed")
        except services.InboxError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(personas[name],)) for name in ("sari", "dewi")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o == "claimed" for o in outcomes) == [False, True]
    assert Claim.objects.filter(conversation=conversation, released_at=None).count() == 1
