"""/staf/kantor/: the installation admin adds an office with its number, hours, services and
first staff account; office staff cannot open it; every change is audited."""

import pytest
from django.contrib.auth import get_user_model

from loket.catalog.models import Office, OfficeService, Service
from loket.catalog.policy import policy_in_force, service_status
from loket.core.models import AuditEntry
from loket.staff.models import Role, StaffMember

pytestmark = pytest.mark.django_db

SAMARINDA = {
    "name": "Disdukcapil Kota Samarinda",
    "slug": "samarinda",
    "region_code": "64.72",
    "city_name": "",
    "address": "Jl. Basuki Rahmat No. 1",
    "timezone_name": "Asia/Makassar",
    "phone_number_id": "109200000000777",
    "whatsapp_display_number": "+62 541 700777",
}


@pytest.fixture
def it_admin(client, office):
    user = get_user_model().objects.create_user(
        "it-provinsi", password="rahasia-123", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return user


def test_office_staff_of_every_role_get_403_and_the_it_admin_lands_on_the_offices(
    client, personas, it_admin
):
    assert client.get("/staf/").headers["Location"] == "/staf/kantor/"
    assert "Disdukcapil Kota Balikpapan" in client.get("/staf/kantor/").content.decode()
    personas["admin"].is_superuser = True  # a superuser *of an office* is still office staff
    personas["admin"].save()
    for name in personas:
        client.force_login(personas[name])
        assert client.get("/staf/kantor/").status_code == 403, name
        assert client.post("/staf/kantor/baru/", SAMARINDA).status_code == 403, name
    assert not Office.objects.filter(slug="samarinda").exists()


def test_a_new_office_gets_hours_an_open_policy_and_its_region_name(client, it_admin):
    response = client.post("/staf/kantor/baru/", SAMARINDA)
    office = Office.objects.get(slug="samarinda")
    assert response.headers["Location"] == f"/staf/kantor/{office.pk}/"
    assert office.city_name == "Kota Samarinda"  # from the Kemendagri region data
    assert office.phone_number_id == "109200000000777"
    assert [h.weekday for h in office.hours.all()] == [0, 1, 2, 3, 4]
    policy = policy_in_force(office)
    assert policy is not None and not policy.rules.exists()
    assert all(
        service_status(office, s).mode == "normal" for s in Service.objects.all()
    )  # everything open, whatever the other office's emergency policy says
    entry = AuditEntry.objects.get(action="office.created")
    assert entry.actor == it_admin and entry.object_id == str(office.pk)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"region_code": "99.99"}, "region_code", "tidak ada di data Kemendagri"),
        ({"region_code": "6472"}, "region_code", "ditulis seperti 64.71"),
        ({"slug": "balikpapan"}, "slug", "sudah dipakai kantor lain"),
        ({"slug": "Kota Samarinda"}, "slug", "huruf kecil"),
        ({"name": ""}, "name", "Wajib diisi"),
        ({"phone_number_id": "abc"}, "phone_number_id", "hanya berisi angka"),
        ({"whatsapp_display_number": ""}, "whatsapp_display_number", "nomor yang dilihat warga"),
        ({"timezone_name": "Europe/Paris"}, "timezone_name", "Pilihan tidak valid"),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_nothing_is_saved(
    client, it_admin, change, field, message
):
    response = client.post("/staf/kantor/baru/", {**SAMARINDA, **change})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Periksa isian yang ditandai" in response.content.decode()
    assert Office.objects.count() == 1
    assert not AuditEntry.objects.filter(action="office.created").exists()


def test_two_offices_cannot_share_a_whatsapp_number(client, it_admin, office):
    taken = {**SAMARINDA, "phone_number_id": office.phone_number_id}
    response = client.post("/staf/kantor/baru/", taken)
    assert "sudah dipakai kantor lain" in response.context["form"].errors["phone_number_id"][0]


def test_edit_hours_services_and_first_kepala_are_audited(client, it_admin):
    client.post("/staf/kantor/baru/", SAMARINDA)
    office = Office.objects.get(slug="samarinda")
    base = f"/staf/kantor/{office.pk}/"

    client.post(base, {**SAMARINDA, "address": "Jl. Kesuma Bangsa 2"})
    office.refresh_from_db()
    assert office.address == "Jl. Kesuma Bangsa 2"
    changed = AuditEntry.objects.get(action="office.changed")
    assert "Jl. Kesuma Bangsa 2" in changed.detail["what"][0]

    hours = {
        f"{p}_{d}": "" for d in range(7) for p in ("opens", "closes", "break_start", "break_end")
    }
    hours.update({"opens_5": "08:00", "closes_5": "12:00"})  # Sabtu only
    client.post(f"{base}jam/", hours)
    assert [h.weekday for h in office.hours.all()] == [5]
    assert AuditEntry.objects.filter(action="policy.hours", object_id=str(office.pk)).exists()

    legalisir = Service.objects.get(code="legalisir")
    kk = Service.objects.get(code="kk-baru")
    services = {}
    for s in Service.objects.all():
        if s != legalisir:
            services[f"offered_{s.pk}"] = "on"
        services[f"note_{s.pk}"] = "Bawa juga surat pengantar RT." if s == kk else ""
    client.post(f"{base}layanan/", services)
    assert not OfficeService.objects.get(office=office, service=legalisir).offered
    assert service_status(office, legalisir).offered is False
    assert service_status(office, kk).note == "Bawa juga surat pengantar RT."
    assert AuditEntry.objects.filter(action="office.services").count() == 1

    weak = client.post(
        f"{base}staf/baru/",
        {
            "username": "kadis-smd",
            "full_name": "Rahmat Hidayat",
            "role": "kepala",
            "password": "123",
        },
    )
    assert weak.status_code == 400 and not StaffMember.objects.filter(office=office).exists()
    client.post(
        f"{base}staf/baru/",
        {
            "username": "kadis-smd",
            "full_name": "Rahmat Hidayat",
            "role": "kepala",
            "password": "Mahakam-tepian-2026",
        },
    )
    member = StaffMember.objects.get(office=office)
    assert (member.role, member.user.get_full_name()) == (Role.KEPALA, "Rahmat Hidayat")
    assert member.user.check_password("Mahakam-tepian-2026")
    assert AuditEntry.objects.get(action="staff.member_added").actor == it_admin

    loose = get_user_model().objects.create_user("operator-baru", password="x")
    client.post(f"{base}staf/akun/", {"user": loose.pk, "role": "admin"})
    assert StaffMember.objects.get(user=loose).office == office
    assert AuditEntry.objects.filter(action="staff.member_assigned").exists()


def test_an_unknown_office_is_404(client, it_admin):
    assert client.get("/staf/kantor/999999/").status_code == 404
