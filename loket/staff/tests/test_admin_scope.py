"""The Django admin: an office's admin (even a superuser) sees their own office only, every read
of personal data there is audited; an installation-wide superuser sees every office."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils import timezone

from loket.appointments.models import Booking, Slot
from loket.bot.models import Conversation
from loket.catalog.models import Office, Service
from loket.core.admin_scope import OfficeScopedAdmin, office_path
from loket.core.crypto import lookup_hash
from loket.core.models import AuditEntry
from loket.staff.models import Role, StaffMember
from loket.whatsapp.models import Contact, InboundMessage

pytestmark = pytest.mark.django_db


def citizen(office, wa_id: str, name: str, text: str) -> Contact:
    contact = Contact.objects.create(office=office, wa_id=wa_id, profile_name=name)
    InboundMessage.objects.create(
        office=office,
        contact=contact,
        wa_message_id=f"wamid.{wa_id}",
        type="text",
        text=text,
        payload={},
        sent_at=timezone.now(),
    )
    Conversation.objects.create(contact=contact)
    service = Service.objects.get(code="ambil-dokumen")
    starts = timezone.now() + dt.timedelta(days=1)
    slot = Slot.objects.create(
        office=office,
        service=service,
        day=starts.date(),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        capacity=5,
    )
    nik = "6471051203900001" if office.slug != "smd" else "6472051203900002"
    Booking.objects.create(
        office=office,
        service=service,
        slot=slot,
        day=slot.day,
        contact=contact,
        nik=nik,
        nik_hash=lookup_hash(nik),
        name=f"{name} Booking",
    )
    return contact


@pytest.fixture
def two_offices(office):
    samarinda = Office.objects.create(
        name="Disdukcapil Kota Samarinda", slug="smd", region_code="64.72", city_name="Samarinda"
    )
    budi = citizen(office, "6281111111111", "Budi", "NIK saya 6471051203900001")
    rina = citizen(samarinda, "6282222222222", "Rina", "NIK saya 6472051203900002")
    return office, samarinda, budi, rina


def admin_user(username: str, office=None):
    user = get_user_model().objects.create_user(
        username, password="rahasia-123", is_staff=True, is_superuser=True
    )
    if office is not None:
        StaffMember.objects.create(user=user, office=office, role=Role.ADMIN)
    return user


def test_a_superuser_of_one_office_sees_only_that_office_in_the_admin(client, two_offices):
    balikpapan, samarinda, budi, rina = two_offices
    user = admin_user("admin-bpn", balikpapan)
    client.force_login(user)
    for url in (
        "/admin/whatsapp/contact/",
        "/admin/whatsapp/inboundmessage/",
        "/admin/bot/conversation/",
    ):
        html = client.get(url).content.decode()
        assert "Budi" in html, url
        assert "Rina" not in html and "6282222222222" not in html, url
    html = client.get("/admin/appointments/booking/").content.decode()
    ours, theirs = Booking.objects.get(contact=budi), Booking.objects.get(contact=rina)
    assert ours.code in html and theirs.code not in html
    # the other office's rows cannot be opened by their id either
    assert client.get(f"/admin/whatsapp/contact/{rina.pk}/change/").status_code == 302
    message = InboundMessage.objects.get(contact=rina)
    assert client.get(f"/admin/whatsapp/inboundmessage/{message.pk}/change/").status_code == 302
    assert client.get(f"/admin/whatsapp/contact/{budi.pk}/change/").status_code == 200
    assert client.get(f"/admin/catalog/office/{samarinda.pk}/change/").status_code == 302
    # and related-field choices hold only the own office's rows
    html = client.get("/admin/bot/conversation/add/").content.decode()
    assert "Budi" in html and "Rina" not in html

    actions = AuditEntry.objects.filter(actor=user).values_list("action", "object_type")
    assert ("admin.listed", "whatsapp.inboundmessage") in actions
    assert ("admin.viewed", "whatsapp.contact") in actions
    viewed = AuditEntry.objects.get(action="admin.viewed", object_type="whatsapp.contact")
    assert viewed.object_id == str(budi.pk)


def test_an_installation_wide_superuser_without_an_office_sees_every_office(client, two_offices):
    client.force_login(admin_user("it-pusat"))
    html = client.get("/admin/whatsapp/contact/").content.decode()
    assert "Budi" in html and "Rina" in html


def test_staff_users_of_another_office_are_not_listed(client, two_offices, personas):
    balikpapan, samarinda, _, _ = two_offices
    client.force_login(admin_user("admin-smd", samarinda))
    html = client.get("/admin/auth/user/").content.decode()
    assert "admin-smd" in html and "sari" not in html


def test_every_admin_of_a_model_that_belongs_to_an_office_is_scoped():
    """A new ModelAdmin cannot forget the office wall: this fails until it extends the base."""
    unscoped = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if office_path(model) is not None and not isinstance(model_admin, OfficeScopedAdmin)
    ]
    assert unscoped == []
    assert office_path(Booking) == "office" and office_path(Conversation) == "contact__office"
