"""What the citizen is told on WhatsApp about a booking: text in the 24-hour window, else a
template (the only message type Meta allows outside it)."""

from django.template import engines
from django.utils import timezone, translation

from loket.whatsapp import outbox

SOURCE = "appointments"


def render(name: str, **context) -> str:
    """In Indonesian whoever triggers it (a staff member's English browser, a worker)."""
    template = engines["text"].get_template(f"appointments/messages/{name}.txt")
    with translation.override("id"):
        return template.render(context).strip()


def _send(booking, name: str, **context) -> None:
    contact = booking.contact
    if contact is None:
        return
    slot = booking.slot
    context.update(
        booking=booking,
        office=booking.office,
        service=booking.service,
        starts=timezone.localtime(slot.starts_at),
        ends=timezone.localtime(slot.ends_at),
    )
    text = render(name, **context)
    if contact.window_open():
        outbox.queue_text(contact, text, source=SOURCE)
        return
    parameters = [
        booking.service.short_name,
        f"{context['starts']:%d-%m-%Y %H:%M}",
        booking.code,
        context.get("link") or "",
    ]
    outbox.queue_template(contact, f"loket_janji_{name}", "id", parameters, text, source=SOURCE)


def booking_confirmed(booking) -> None:
    from loket.appointments.links import manage_link

    _send(booking, "confirmed", link=manage_link(booking))


def booking_reminder(booking) -> None:
    from loket.appointments.links import manage_link

    _send(booking, "reminder", link=manage_link(booking))


def booking_cancelled(booking, by_office: bool = True) -> None:
    from loket.appointments.links import rebook_link

    _send(booking, "cancelled", link=rebook_link(booking), by_office=by_office)
