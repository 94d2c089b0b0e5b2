import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from loket.appointments import queue
from loket.appointments.booking import BookingError, book
from loket.appointments.models import Booking, Slot, Ticket, WaitingRoom
from loket.appointments.tests.conftest import NIKS
from loket.catalog.models import Service
from loket.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_slot(make_slot):
    """A slot running now, so bookings are for today and walk-ins can join it."""
    with time_machine.travel(timezone.now() - dt.timedelta(days=1), tick=False):
        slot = make_slot(capacity=3)
    hour_ago = timezone.now() - dt.timedelta(minutes=10)
    Slot.objects.filter(pk=slot.pk).update(
        day=timezone.localdate(), starts_at=hour_ago, ends_at=hour_ago + dt.timedelta(hours=2)
    )
    slot.refresh_from_db()
    return slot


def booked_today(slot, nik=NIKS[0]) -> Booking:
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        return book(slot.pk, nik=nik, name="Budi")


def test_check_in_turns_a_booking_into_a_ticket_once(today_slot):
    booking = booked_today(today_slot)
    ticket = booking.check_in()
    assert ticket.label == "B001"
    assert Booking.objects.get(pk=booking.pk).status == "checked_in"
    with pytest.raises(BookingError, match="sudah hadir"):
        booking.check_in()
    assert AuditEntry.objects.filter(action="booking.checked_in").count() == 1


def test_a_booking_for_another_day_is_not_checked_in(make_slot):
    booking = book(make_slot(days=1).pk, nik=NIKS[0], name="Budi")
    with pytest.raises(BookingError, match="untuk tanggal"):
        booking.check_in()


def test_walk_ins_get_a_ticket_while_today_has_room_then_are_redirected(
    today_slot, client, personas
):
    ambil = Service.objects.get(code="ambil-dokumen")
    booked_today(today_slot)
    tickets = [queue.walk_in(today_slot.office, ambil) for _ in range(2)]
    assert [t.label for t in tickets] == ["A001", "A002"]
    today_slot.refresh_from_db()
    assert today_slot.booked == today_slot.capacity == 3
    client.force_login(personas["sari"])
    response = client.post("/staf/antrian/tanpa-janji/", {"service": "ambil-dokumen"})
    assert response.status_code == 302
    full = client.get(response["Location"]).content.decode()
    assert "https://wa.me/" in full
    assert "kuota" in full.lower()


def test_the_room_never_holds_more_than_the_distanced_seats(today_slot):
    WaitingRoom.objects.filter(office=today_slot.office).update(chairs=4, chair_spacing=2)
    Slot.objects.filter(pk=today_slot.pk).update(capacity=10)
    ambil = Service.objects.get(code="ambil-dokumen")
    first, _second = (
        queue.walk_in(today_slot.office, ambil),
        queue.walk_in(today_slot.office, ambil),
    )
    with pytest.raises(queue.RoomFull):
        queue.walk_in(today_slot.office, ambil)
    assert queue.inside_count(today_slot.office) == 2
    first.call("1")
    first.serve()
    queue.walk_in(today_slot.office, ambil)  # a seat came free


def test_call_next_serves_priority_then_booked_then_walk_ins(today_slot):
    office, ambil = today_slot.office, Service.objects.get(code="ambil-dokumen")
    Slot.objects.filter(pk=today_slot.pk).update(capacity=10)
    walk_in = queue.walk_in(office, ambil)
    booked = booked_today(today_slot).check_in()
    elderly = queue.walk_in(office, ambil, priority=Ticket.Priority.ELDERLY)
    order = [queue.call_next(office, str(n)) for n in (1, 2, 3)]
    assert [t.pk for t in order] == [elderly.pk, booked.pk, walk_in.pk]
    assert queue.call_next(office, "1") is None


def test_ticket_transitions_are_guarded(today_slot):
    ticket = queue.walk_in(today_slot.office, Service.objects.get(code="ambil-dokumen"))
    assert not ticket.serve()  # not called yet
    assert ticket.call("2")
    assert not ticket.call("3")  # a second counter cannot take it
    assert ticket.serve()
    assert not ticket.no_show()
    assert Ticket.objects.get(pk=ticket.pk).status == "served"


def test_no_shows_expire_on_their_own(today_slot):
    ticket = queue.walk_in(today_slot.office, Service.objects.get(code="ambil-dokumen"))
    ticket.call("1")
    missed = booked_today(today_slot, NIKS[1])
    Slot.objects.filter(pk=today_slot.pk).update(ends_at=timezone.now() - dt.timedelta(minutes=5))
    assert queue.expire_no_shows() == 0
    later = timezone.now() + dt.timedelta(minutes=40)
    assert queue.expire_no_shows(later) == 2
    assert Ticket.objects.get(pk=ticket.pk).status == "no_show"
    assert Booking.objects.get(pk=missed.pk).status == "no_show"


def test_staff_check_in_by_code_and_call_from_the_queue_page(today_slot, client, personas):
    booking = booked_today(today_slot)
    client.force_login(personas["sari"])
    client.post(
        "/staf/antrian/hadir/", {"code": f" {booking.code.lower()} ", "priority": "pregnant"}
    )
    page = client.get("/staf/antrian/").content.decode()
    assert "B001" in page
    assert NIKS[0] not in page
    client.post("/staf/antrian/panggil/", {"counter": "3"})
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.counter, ticket.rank) == ("called", "3", 0)
    client.post(f"/staf/antrian/tiket/{ticket.pk}/serve/")
    assert Ticket.objects.get().status == "served"
    unknown = client.post("/staf/antrian/hadir/", {"code": "ZZZZ"}, follow=True)
    assert "tidak ditemukan" in unknown.content.decode()


def test_the_display_shows_the_called_number_per_counter(today_slot, client):
    ticket = booked_today(today_slot).check_in()
    ticket.call("4")
    office = today_slot.office
    feed = client.get(f"/antrian/{office.slug}/layar/isi/").content.decode()
    assert "B001" in feed
    assert "loket 4" in feed
    page = client.get(f"/antrian/{office.slug}/layar/").content.decode()
    assert 'hx-trigger="every 2s"' in page


def test_the_occupancy_page_counts_people_inside_against_the_limit(today_slot, client):
    queue.walk_in(today_slot.office, Service.objects.get(code="ambil-dokumen"))
    page = client.get(f"/antrian/{today_slot.office.slug}/ruang/").content.decode()
    assert "1 / 20" in page


def test_only_the_head_of_office_sees_the_days_numbers(today_slot, client, personas):
    booked_today(today_slot).check_in()
    client.force_login(personas["sari"])
    assert client.get("/staf/antrian/rekap/").status_code == 403
    client.force_login(personas["kepala"])
    page = client.get("/staf/antrian/rekap/").content.decode()
    assert "Sudah hadir</td><td>1" in page
    assert client.post("/staf/antrian/panggil/", {"counter": "1"}).status_code == 403


def test_the_admin_cuts_a_slot_and_closes_a_day_from_the_slots_page(make_slot, client, personas):
    slot, other = make_slot(capacity=2, hour=9), make_slot(capacity=2, hour=10)
    first, last = (book(slot.pk, nik=nik, name="Warga") for nik in NIKS[:2])
    book(other.pk, nik=NIKS[2], name="Warga")
    client.force_login(personas["sari"])
    assert client.post(f"/staf/antrian/sesi/{slot.pk}/potong/", {"capacity": 1}).status_code == 403
    client.force_login(personas["admin"])
    page = client.get(f"/staf/antrian/sesi/?hari={slot.day:%Y-%m-%d}").content.decode()
    assert f'id="slot-{slot.pk}"' in page
    client.post(f"/staf/antrian/sesi/{slot.pk}/potong/", {"capacity": "1", "reason": "Sakit"})
    assert Booking.objects.get(pk=last.pk).status == "cancelled"
    assert Booking.objects.get(pk=first.pk).status == "booked"
    closing = {"day": f"{slot.day:%Y-%m-%d}", "reason": "Banjir"}
    unconfirmed = client.post("/staf/antrian/sesi/tutup/", closing, follow=True).content.decode()
    assert "Centang “Saya yakin”" in unconfirmed
    assert Booking.objects.filter(status="booked").count() == 2  # nothing happened yet
    assert "Saya yakin: semua janji" in page and 'name="confirm"' in page
    client.post("/staf/antrian/sesi/tutup/", {**closing, "confirm": "1"})
    assert not Booking.objects.filter(status="booked").exists()
    assert Booking.objects.get(slot=other).cancel_reason == "Banjir"
    bad = client.post(f"/staf/antrian/sesi/{slot.pk}/potong/", {"capacity": "x"}, follow=True)
    assert "harus angka" in bad.content.decode()
    typo = client.post("/staf/antrian/sesi/tutup/", {"day": "besok", "confirm": "1"}, follow=True)
    assert "Tanggal tidak dikenal: tidak ada yang ditutup." in typo.content.decode()


def test_the_queue_page_does_not_query_per_ticket(today_slot, client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Slot.objects.filter(pk=today_slot.pk).update(capacity=15)
    ambil = Service.objects.get(code="ambil-dokumen")
    client.force_login(personas["sari"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/staf/antrian/").status_code == 200
        return len(captured)

    queue.walk_in(today_slot.office, ambil)
    booked_today(today_slot).check_in()
    few = queries()
    for _ in range(5):
        queue.walk_in(today_slot.office, ambil)
    for nik in NIKS[1:4]:
        booked_today(today_slot, nik).check_in()
    assert queries() == few
