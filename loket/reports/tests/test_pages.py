"""Who sees the reports, the exports with their filters, the rekap PDF, SIAK data, province."""

import base64
import csv
import io
import re
import zlib

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from loket.core.models import AuditEntry
from loket.reports.exports import SIAK_COLUMNS
from loket.reports.tests.conftest import BASELINE, PERIOD
from loket.staff.models import Role, StaffMember

URL = "/staf/laporan/"


def pdf_text(pdf: bytes) -> str:
    """The text shown by a PDF's content streams (reportlab writes strings as `(text) Tj`)."""
    chunks = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        if raw.rstrip().endswith(b"~>"):  # reportlab's /ASCII85Decode /FlateDecode
            raw = zlib.decompress(base64.a85decode(raw.rstrip(), adobe=True))
        chunks += re.findall(rb"\((.*?)\) Tj", raw)
    return " ".join(c.decode("latin-1") for c in chunks)


def login(client, user):
    client.force_login(user)
    return client


def test_the_kepala_sees_the_dashboard_with_charts_and_tables(client, world, personas):
    response = login(client, personas["kepala"]).get(f"{URL}?{PERIOD}&{BASELINE}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Laporan kepala dinas" in html and "23-03-2026 s.d. 25-03-2026" in html
    scripts = re.findall(r"<script[^>]*>", html)  # only the site's own small behaviours file
    assert html.count("<svg") >= 10 and scripts == ['<script src="/static/loket/loket.js" defer>']
    assert "Foto KK buram" in html and "131026" in html
    assert len(response.content) < 200_000


@pytest.mark.parametrize("role", ["sari", "dewi"])
def test_other_roles_get_403(client, world, personas, role):
    login(client, personas[role])
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}unduh/semua.xlsx").status_code == 403
    assert client.get(f"{URL}rekap.pdf").status_code == 403


def test_the_admin_sees_it_and_a_stranger_is_sent_to_log_in(client, world, personas):
    assert client.get(URL).status_code == 302
    assert login(client, personas["admin"]).get(URL).status_code == 200


def test_another_offices_kepala_sees_only_their_own_office(client, world, other_office):
    user = get_user_model().objects.create_user("kepala2")
    StaffMember.objects.create(user=user, office=other_office, role=Role.KEPALA)
    html = login(client, user).get(f"{URL}?{PERIOD}&{BASELINE}").content.decode()
    assert "Foto KK buram" not in html and "131026" not in html
    workbook = load_workbook(io.BytesIO(client.get(f"{URL}unduh/kanal.xlsx?{PERIOD}").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Disdukcapil Kota Samarinda"
    assert ("WhatsApp (daring)", 2, 0, None) in rows


def test_a_table_exports_to_xlsx_with_the_filters_applied(client, world, personas):
    response = login(client, personas["kepala"]).get(f"{URL}unduh/kanal.xlsx?{PERIOD}&{BASELINE}")
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Periode: 23-03-2026 s.d. 25-03-2026"
    assert ("WhatsApp (daring)", 4, 1, 300.0) in rows
    everything = load_workbook(io.BytesIO(client.get(f"{URL}unduh/semua.xlsx?{PERIOD}").content))
    assert len(everything.sheetnames) > 15
    assert client.get(f"{URL}unduh/tidak-ada.xlsx").status_code == 404


def test_the_daily_rekap_is_a_text_pdf(client, world, personas):
    response = login(client, personas["kepala"]).get(f"{URL}rekap.pdf?tanggal=2026-03-24")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "REKAPITULASI PELAYANAN HARIAN" in text and "Selasa, 24 Maret 2026" in text
    assert "PEMERINTAH KOTA BALIKPAPAN" in text


def test_operators_download_the_days_verified_applications_for_siak(client, world, personas):
    login(client, personas["sari"])
    page = client.get(f"{URL}siak/?tanggal=2026-03-24").content.decode()
    assert '<strong id="siak-count">1</strong>' in page
    response = client.get(f"{URL}siak/unduh.csv?tanggal=2026-03-24")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == SIAK_COLUMNS
    assert rows[1][1:6] == ["T3", rows[1][2], "6471051203900001", "6471050101200003", "Siti Aminah"]
    sheet = load_workbook(
        io.BytesIO(client.get(f"{URL}siak/unduh.xlsx?tanggal=2026-03-24").content)
    ).active
    assert sheet.cell(row=3, column=4).value == "6471051203900001"  # text, not 6.47E+15
    assert AuditEntry.objects.filter(action="reports.siak_export").count() == 2


def test_the_siak_csv_never_carries_a_formula(client, world, personas):
    from loket.applications.models import Application

    Application.objects.filter(ticket="T3").update(data={"address": '=HYPERLINK("x")'})
    login(client, personas["sari"])
    text = client.get(f"{URL}siak/unduh.csv?tanggal=2026-03-24").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_the_province_sees_every_office_side_by_side(client, world, other_office):
    user = get_user_model().objects.create_user("prov")
    StaffMember.objects.create(user=user, office=world, role=Role.PROVINSI)
    login(client, user)
    response = client.get(f"{URL}provinsi/?{PERIOD}&{BASELINE}")
    html = response.content.decode()
    assert "Disdukcapil Kota Balikpapan" in html and "Disdukcapil Kota Samarinda" in html
    # all applications: Balikpapan 7 (4 online, 2 booked, 1 walk-in), Samarinda 2
    assert '<td>Permohonan (semua kanal)</td><td class="n">7</td><td class="n">2</td>' in html
    # the province role reads reports only: not one office's dashboard, not the staff pages
    assert client.get(URL).status_code == 403
    assert client.get("/staf/inbox/").status_code == 403
    home = client.get("/staf/").content.decode()  # where the login lands: a link to the view
    assert 'href="/staf/laporan/provinsi/"' in home and "/staf/inbox/" not in home


def test_the_kepala_cannot_open_the_province_view(client, world, personas):
    assert login(client, personas["kepala"]).get(f"{URL}provinsi/").status_code == 403
