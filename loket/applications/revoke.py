"""Revoking a citizen's personal links: "batal link" on WhatsApp, or a staff member's button.

The bot's pre-handler chain (settings.LOKET_BOT_PRE_HANDLERS) calls `pre_handle` before it
answers anything; the bot itself knows nothing of it.
"""

from django.template import engines

from loket.core.audit import log_action
from loket.core.links import revoke_links
from loket.nlu.normalize import normalize
from loket.whatsapp import outbox
from loket.whatsapp.models import Contact, InboundMessage

REVOKE_PHRASES = {
    "batal link",
    "batalkan link",
    "batal tautan",
    "batalkan tautan",
    "hapus link",
    "cabut link",
    "revoke link",
    "cancel link",
}
SOURCE = "applications"


def revoke(contact: Contact, *, actor=None, request=None, reason: str = "") -> int:
    """Every personal link the contact has (forms, drafts, documents, bookings) stops working."""
    generation = revoke_links(contact.pk)
    log_action(
        "links.revoked",
        contact,
        actor=actor,
        request=request,
        by="staff" if actor is not None else "citizen",
        reason=reason[:200],
        generation=generation,
    )
    return generation


def pre_handle(message: InboundMessage, conversation=None) -> bool:
    """True when the citizen asked to revoke their links: done, and answered."""
    if message.type != "text" or normalize(message.text) not in REVOKE_PHRASES:
        return False
    contact = message.contact
    revoke(contact, reason="batal link")
    text = engines["text"].get_template("applications/messages/links_revoked.txt")
    outbox.queue_text(contact, text.render({"office": contact.office}).strip(), source=SOURCE)
    return True
