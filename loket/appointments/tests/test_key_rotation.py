"""One booking per NIK still holds after the encryption key was rotated."""

import pytest
from cryptography.fernet import Fernet

from loket.appointments.booking import AlreadyBooked, book
from loket.appointments.models import Booking
from loket.appointments.tests.conftest import NIKS

pytestmark = pytest.mark.django_db


def test_a_booking_hashed_with_the_old_key_still_blocks_a_second_one(
    make_slot, budi_contact, settings
):
    old = settings.LOKET_ENCRYPTION_KEYS[0]
    morning, afternoon = make_slot(hour=9), make_slot(hour=13)
    first = book(morning.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    settings.LOKET_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]  # rotated
    with pytest.raises(AlreadyBooked):
        book(afternoon.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    assert Booking.objects.get(pk=first.pk).nik == NIKS[0]  # the old key still decrypts
    assert Booking.objects.count() == 1
