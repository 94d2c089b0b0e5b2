import json
import re

import pytest

from loket.appointments.jobs import send_reminders
from loket.appointments.links import manage_token
from loket.appointments.models import Booking
from loket.appointments.tests.conftest import NIKS, TNI_POLRI
from loket.conftest import sent_texts
from loket.core.links import make_token

pytestmark = pytest.mark.django_db


def booking_url(contact, code: str = "ambil-dokumen") -> str:
    return f"/janji/{make_token(contact.pk, code, purpose='booking')}/"


def test_the_booking_page_lists_free_slots_and_books_from_the_form(client, make_slot, budi_contact):
    slot = make_slot(capacity=2)
    url = booking_url(budi_contact)
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{slot.pk}"' in page.content.decode()
    response = client.post(url + "pesan/", {"nik": NIKS[0], "name": "Budi", "slot": slot.pk})
    assert response.status_code == 302
    booking = Booking.objects.get()
    manage_page = client.get(response["Location"])
    assert booking.code in manage_page.content.decode()
    qr = client.get(response["Location"] + "qr.png")
    assert qr["Content-Type"] == "image/png"
    assert qr.content.startswith(b"\x89PNG")


def test_the_json_endpoint_answers_201_then_409(client, make_slot, budi_contact):
    slot = make_slot(capacity=1)
    url = booking_url(budi_contact) + "pesan/"

    def post(nik: str):
        body = json.dumps({"nik": nik, "name": "Warga", "slot": slot.pk})
        return client.post(url, body, content_type="application/json")

    first = post(NIKS[0])
    assert first.status_code == 201
    assert re.fullmatch(r"[A-Z0-9]{8}", first.json()["code"])
    assert post(NIKS[1]).json()["error"] == "full"
    assert post(NIKS[1]).status_code == 409
    garbage = client.post(url, b"{nope", content_type="application/json")
    assert garbage.status_code == 400


def test_bad_input_on_the_form_shows_a_message_and_keeps_the_page(client, make_slot, budi_contact):
    make_slot()
    url = booking_url(budi_contact)
    response = client.post(url + "pesan/", {"nik": "12", "name": "Budi", "slot": "x"})
    assert response.status_code == 400
    assert "Pilih sesi" in response.content.decode()
    response = client.post(url + "pesan/", {"nik": "12", "name": "Budi", "slot": "999999"})
    assert "16 angka" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_limited_service_page_asks_for_the_purpose(client, make_slot, budi_contact):
    slot = make_slot("legalisir")
    url = booking_url(budi_contact, "legalisir")
    assert TNI_POLRI in client.get(url).content.decode()
    data = {"nik": NIKS[0], "name": "Budi", "slot": slot.pk, "purpose": TNI_POLRI}
    assert client.post(url + "pesan/", data).status_code == 302


def test_an_online_only_service_page_says_apply_online(client, make_slot, budi_contact):
    make_slot("akta-lahir")
    page = client.get(booking_url(budi_contact, "akta-lahir")).content.decode()
    assert "hanya dilayani secara online" in page
    assert 'name="slot"' not in page


@pytest.mark.parametrize("kind", ["garbage", "personal-link-not-for-booking"])
def test_a_wrong_or_foreign_link_is_refused(client, office, kind):
    token = "nope" if kind == "garbage" else make_token(1, "legalisir")
    assert client.get(f"/janji/{token}/").status_code == 404
    assert client.post(f"/janji/{token}/pesan/", {}).status_code == 404


def test_a_citizen_cancels_from_the_link_and_the_place_is_free_again(
    client, make_slot, budi_contact
):
    from loket.appointments.booking import book

    slot = make_slot(capacity=1)
    booking = book(slot.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    url = f"/janji-saya/{manage_token(booking)}/"
    assert client.post(url, {"action": "cancel"}).status_code == 302
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert (booking.status, slot.booked) == ("cancelled", 0)
    assert "dibatalkan" in client.get(url).content.decode()


def test_a_citizen_reschedules_from_the_link(client, make_slot, budi_contact):
    from loket.appointments.booking import book

    old, new = make_slot(hour=9), make_slot(hour=13)
    booking = book(old.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    url = f"/janji-saya/{manage_token(booking)}/"
    response = client.post(url, {"action": "reschedule", "slot": new.pk})
    assert response.status_code == 302
    assert Booking.objects.get(status="booked").slot_id == new.pk


def test_the_reminder_goes_once_even_when_two_workers_run_it(
    make_slot, budi_contact, fake_graph, tasks
):
    from loket.appointments.booking import book

    tomorrow, later = make_slot(days=1), make_slot(days=2)
    book(tomorrow.pk, nik=NIKS[0], name="Budi", contact=budi_contact)
    book(later.pk, nik=NIKS[1], name="Sinta", contact=budi_contact)
    assert send_reminders() == 1
    assert send_reminders() == 0
    tasks()
    reminders = [t for t in sent_texts(fake_graph) if "Pengingat" in t]
    assert len(reminders) == 1
