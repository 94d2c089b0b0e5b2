"""Staff pages and the Django admin are Indonesian even for a browser that asks for English."""

import pytest

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_the_admin_speaks_indonesian_to_an_english_browser(client, office, django_user_model):
    root = django_user_model.objects.create_superuser("it", password="rahasia-123")
    client.force_login(root)
    index = client.get("/admin/", **ENGLISH).content.decode()
    assert "Kebijakan layanan" in index and "Cuti / sakit / dinas" in index
    assert "Site administration" not in index and "Log out" not in index
    absence = client.get("/admin/roster/absence/add/", **ENGLISH).content.decode()
    assert "Pegawai" in absence and "Employee" not in absence
    from loket.broadcasts.models import MessageTemplate

    # templates are submitted to Meta from the staff page, never added in the admin: a change page
    row = MessageTemplate.objects.create(office=office, name="info", body="Info {{1}}")
    url = f"/admin/broadcasts/messagetemplate/{row.pk}/change/"
    template = client.get(url, **ENGLISH).content.decode()
    assert "Kategori" in template and "Category" not in template


def test_staff_form_errors_are_indonesian_for_an_english_browser(client, office, personas):
    html = client.post("/staf/masuk/", {"username": "sari", "password": "salah"}, **ENGLISH)
    assert "Please enter" not in html.content.decode()
    client.force_login(personas["kepala"])
    client.post("/staf/kebijakan/draf-baru/")
    from loket.catalog.models import ServicePolicy

    draft = ServicePolicy.objects.get(is_draft=True)
    page = client.post(f"/staf/kebijakan/{draft.pk}/", {"name": ""}, **ENGLISH).content.decode()
    assert "Wajib diisi." in page and "This field is required." not in page
