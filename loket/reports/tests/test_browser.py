"""The kepala opens the dashboard in a real browser, downloads a table and the daily rekap."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from loket.conftest import staff_login
from loket.reports import history
from loket.staff.models import Role, StaffMember

pytestmark = pytest.mark.browser


@pytest.fixture
def kepala(live_app):
    user = get_user_model().objects.create_user("kepala", password="rahasia-123")
    StaffMember.objects.create(user=user, office=live_app.office, role=Role.KEPALA)
    history.seed_history(live_app.office, 20, scale=0.05)
    return user


@pytest.mark.parametrize("locale", ["en-US", "id-ID"])
def test_the_kepala_sees_the_dashboard_and_downloads_an_export_and_the_rekap(
    live_app, kepala, browser, locale
):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=locale, accept_downloads=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        staff_login(page, live_app.url, "kepala")
        page.click("nav.staff >> text=Laporan")
        page.wait_for_url(f"{live_app.url}/staf/laporan/")
        assert page.locator("h1").inner_text() == "Laporan kepala dinas"
        assert page.locator("svg.chart").count() >= 10
        assert page.locator("#t-kanal td").first.inner_text() == "WhatsApp (daring)"

        page.check("input[value=custom]")
        page.fill("input[name=dari]", "2020-03-01")
        page.fill("input[name=sampai]", "2020-03-31")
        page.click("button:has-text('Tampilkan')")
        assert "01-03-2020 s.d. 31-03-2020" in page.locator("main").inner_text()

        with page.expect_download() as download:
            page.click("#t-kanal >> text=Unduh XLSX")
        path = download.value.path()
        workbook = load_workbook(io.BytesIO(Path(path).read_bytes()))
        rows = list(workbook.active.iter_rows(values_only=True))
        assert rows[1][0] == "Periode: 01-03-2020 s.d. 31-03-2020"

        with page.expect_download() as download:
            page.click("text=Rekap harian hari ini (PDF)")
        assert download.value.suggested_filename.startswith("rekap-harian-")
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    finally:
        context.close()
