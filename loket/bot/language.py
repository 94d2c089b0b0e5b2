"""The language a citizen chose in the chat, for their pages (settings.LOKET_CONTACT_LANGUAGE)."""

from loket.bot.models import Conversation


def contact_language(contact_id: int) -> str:
    return (
        Conversation.objects.filter(contact_id=contact_id)
        .values_list("language", flat=True)
        .first()
        or ""
    )
