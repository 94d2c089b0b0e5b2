"""The door poster follows the policy in force; the recipients template shows real regions."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from loket.catalog.models import Mode, PolicyRule, ServicePolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def sari(client, personas):
    client.force_login(personas["sari"])
    return client


def poster_texts(client) -> tuple[str, str]:
    page = client.get("/staf/siaran/poster/").content.decode()
    pdf = client.get("/staf/siaran/poster/poster.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    return page, PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


def test_the_poster_does_not_advertise_a_suspended_service(office, sari):
    page, pdf = poster_texts(sari)
    for text in (page, pdf):
        assert "Urus KTP-el," not in text  # the whole group is not advertised
        assert "Urus KTP-el hilang/rusak/ubah, KK" in text.replace("\n", " ")  # online still
        assert "Dihentikan sementara sampai" in text
        assert "Perekaman KTP-el" in text and "Aktivasi IKD" in text
    assert "https://wa.me/" in pdf


def test_once_the_policy_ends_the_poster_advertises_ktp_el_again(office, sari):
    ServicePolicy.objects.all().delete()
    page, pdf = poster_texts(sari)
    assert "Urus KTP-el, KK, KIA" in page and "Urus KTP-el, KK, KIA" in pdf.replace("\n", " ")
    assert "Dihentikan" not in page


def test_a_newly_suspended_group_leaves_the_poster(office, sari):
    PolicyRule.objects.filter(service__code="kk-baru").update(mode=Mode.SUSPENDED)
    page, _ = poster_texts(sari)
    headline = page.split('id="headline">')[1].split("</p>")[0]
    assert "ubah, KK," not in headline and "ubah, Ubah/ganti KK, KIA" in headline


def test_the_recipients_template_has_real_codes_and_names(office, sari):
    data = sari.get("/staf/siaran/penerima/templat.xlsx").content
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))[1:]
    pairs = {(row[2], row[3]) for row in rows}
    assert ("64.71.01", "Balikpapan Timur") in pairs
    assert ("64.71.01.1001", "Manggar") in pairs


def test_region_names_are_spelled_as_the_office_writes_them(client, office):
    from loket.core.links import make_token
    from loket.whatsapp.models import Contact

    contact = Contact.objects.create(office=office, wa_id="628111", profile_name="Ani")
    html = client.get(f"/l/{make_token(contact.pk, 'kk-baru')}/").content.decode()
    assert ">Sungai Nangka<" in html and "Sungainangka" not in html
