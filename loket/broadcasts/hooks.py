"""The bot's pre-handler for broadcasts: "berhenti" opts out, "mau dapat info" subscribes."""

from django.template import engines

from loket.nlu.normalize import normalize
from loket.whatsapp import outbox
from loket.whatsapp.models import InboundMessage

from .models import OptOut, Subscription

OPT_OUT_WORDS = {"berhenti", "stop", "unsubscribe"}
SUBSCRIBE_PHRASES = {"mau dapat info", "mau info", "daftar info", "langganan info"}


def render(name: str, **context) -> str:
    return engines["text"].get_template(f"broadcasts/messages/{name}.txt").render(context).strip()


def pre_handle(message: InboundMessage, conversation=None) -> bool:
    """True when the message was an opt-out or subscribe word and has been answered."""
    if message.type != "text":
        return False
    text = normalize(message.text)
    contact = message.contact
    if text in OPT_OUT_WORDS:
        OptOut.objects.get_or_create(contact=contact, defaults={"word": text[:32]})
        Subscription.objects.filter(contact=contact).delete()
        outbox.queue_text(contact, render("opt_out", office=contact.office))
        return True
    if text in SUBSCRIBE_PHRASES:
        OptOut.objects.filter(contact=contact).delete()
        Subscription.objects.get_or_create(contact=contact, defaults={"office": contact.office})
        outbox.queue_text(contact, render("subscribed", office=contact.office))
        return True
    return False
