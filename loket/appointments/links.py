"""Personal links of the appointments: book (from the bot), manage one booking, its QR."""

from django.apps import apps
from django.urls import reverse

from loket.core.links import absolute, make_token


def booking_link(contact, service) -> str | None:
    """The link where `contact` books a counter visit for `service`, or None when not bookable."""
    if not apps.is_installed("loket.appointments"):
        return None
    from loket.appointments.booking import is_bookable

    if not service.needs_presence or not is_bookable(contact.office, service):
        return None
    token = make_token(contact.pk, service.code, purpose="booking")
    return absolute(reverse("appointments:book", args=[token]))


def manage_token(booking) -> str:
    return make_token(booking.contact_id or 0, booking.service.code, purpose="manage", b=booking.pk)


def manage_link(booking) -> str:
    return absolute(reverse("appointments:manage", args=[manage_token(booking)]))


def rebook_link(booking) -> str | None:
    if booking.contact_id is None:
        return None
    token = make_token(booking.contact_id, booking.service.code, purpose="booking")
    return absolute(reverse("appointments:book", args=[token]))
