"""The installation admin adds a second office in Chromium with an English-language browser:
a wrong region code is refused in Indonesian, then the office, its hours, one service it does
not offer and its first kepala are set through the pages."""

import pytest
from django.contrib.auth import get_user_model

from loket.catalog.models import Office, Service
from loket.catalog.policy import service_status
from loket.conftest import staff_login
from loket.staff.models import Role, StaffMember

pytestmark = pytest.mark.browser


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_it_admin_adds_an_office_through_the_pages(live_app, desktop):
    get_user_model().objects.create_user(
        "it-provinsi", password="rahasia-123", is_staff=True, is_superuser=True
    )
    page = desktop
    staff_login(page, live_app.url, "it-provinsi")
    page.goto(f"{live_app.url}/staf/")
    assert page.url.endswith("/staf/kantor/")
    assert page.locator("#offices").inner_text().count("Balikpapan") >= 1

    page.click("#new-office")
    page.fill("#id_name", "Disdukcapil Kota Samarinda")
    page.fill("#id_slug", "samarinda")
    page.fill("#id_region_code", "99.99")
    page.select_option("#id_timezone_name", "Asia/Makassar")
    page.fill("#id_phone_number_id", "109200000000777")
    page.fill("#id_whatsapp_display_number", "+62 541 700777")
    page.click("#save-office")
    assert "tidak ada di data Kemendagri" in page.locator("#office-form").inner_text()
    assert not Office.objects.filter(slug="samarinda").exists()

    page.fill("#id_region_code", "64.72")
    page.click("#save-office")
    page.wait_for_url("**/staf/kantor/*/")
    office = Office.objects.get(slug="samarinda")
    assert office.city_name == "Kota Samarinda"
    assert "Jumat: 08:00–15:00" in page.locator("#office-hours").inner_text()

    page.click("#office-services a")
    legalisir = Service.objects.get(code="legalisir")
    page.uncheck(f"#id_offered_{legalisir.pk}")
    page.fill(f"#id_note_{legalisir.pk}", "Legalisir di kantor kecamatan.")
    page.click("#save-services")
    page.wait_for_url(f"**/staf/kantor/{office.pk}/")
    assert "tidak dilayani" in page.locator("#office-services").inner_text()
    assert not service_status(office, legalisir).offered

    page.click("#manage-staff")
    page.fill("#id_username", "kadis-smd")
    page.fill("#id_full_name", "Rahmat Hidayat")
    page.select_option("#id_role", Role.KEPALA)
    page.fill("#id_password", "Mahakam-tepian-2026")
    page.click("#add-member")
    page.wait_for_url(f"**/staf/kantor/{office.pk}/staf/")
    assert "Rahmat Hidayat" in page.locator("#members").inner_text()
    assert StaffMember.objects.get(user__username="kadis-smd").office == office
