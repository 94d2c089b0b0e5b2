"""Citizens read Indonesian whatever their phone's language, unless they chose English in the
chat; dates checked against today; receipts and blank forms are real PDFs."""

import datetime as dt
import io
import re

import pytest
import time_machine
from pypdf import PdfReader

from loket.applications.models import Application
from loket.applications.receipt import expected_finish_day
from loket.applications.tests.conftest import akta_form, link_path
from loket.bot.models import Conversation
from loket.core.dates import in_indonesian

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
# English words that are not Indonesian too (April, September, November are both)
ENGLISH_WORDS = re.compile(
    r"\b(January|February|March|May|June|July|August|October|December|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday|This field|Enter a valid)\b"
)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_an_english_phone_gets_indonesian_errors_and_dates(client, contact):
    response = client.post(link_path(contact), {"action": "submit"}, **ENGLISH)
    html = response.content.decode()
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in html
    assert "Bidang ini tidak boleh kosong." in html
    assert not ENGLISH_WORDS.search(html), ENGLISH_WORDS.search(html)


def test_a_future_birth_date_is_refused_with_an_indonesian_message(client, contact, fake_graph):
    with time_machine.travel(dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)):
        response = client.post(
            link_path(contact), akta_form(x_child_birth_date="2030-01-01"), **ENGLISH
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tanggal lahir anak tidak boleh setelah hari ini (1 Desember 2026)." in html
    assert not Application.objects.filter(contact=contact).exclude(state="draft").exists()


def test_implausible_ages_and_late_reports_are_warned_but_accepted(client, contact, fake_graph):
    with time_machine.travel(dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)):
        response = client.post(
            link_path(contact),
            akta_form(birth_date="1890-03-12", x_child_birth_date="2026-06-01", action="save"),
        )
        html = response.content.decode()
        assert "tidak boleh sebelum tahun 1900" in html  # 1890: refused
        response = client.post(
            link_path(contact),
            akta_form(birth_date="2020-03-12", x_child_birth_date="2026-06-01", action="save"),
        )
    html = response.content.decode()
    assert "pemohon berusia 6 tahun saat anak lahir" in html
    assert "Sudah lebih dari 60 hari (1 Juni 2026)" in html
    assert "Tanggal lahir di NIK adalah 12-03-1990" in html  # the NIK disagrees too


def test_a_citizen_who_chose_english_in_the_chat_gets_english_on_their_pages(client, contact):
    Conversation.objects.create(contact=contact, language="en")
    response = client.post(
        link_path(contact), {"action": "submit"}, HTTP_ACCEPT_LANGUAGE="id-ID,id"
    )
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "This field is required." in html


def test_the_receipt_pdf_is_text_with_the_office_contact_and_expected_finish(
    client, contact, submitted
):
    submitted.office.whatsapp_display_number = "+62 542 000 0001"
    submitted.office.save()
    response = client.get(f"/l/{link_path(contact).split('/')[2]}/tanda-terima.pdf", **ENGLISH)
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = pdf_text(response.content)
    assert submitted.ticket in text  # copyable text, not pixels
    assert not reader.pages[0].images
    assert "Jl. Jenderal Sudirman No. 1, Balikpapan" in text
    assert "WhatsApp: +62 542 000 0001" in text
    assert "Perkiraan selesai" in text
    assert in_indonesian(expected_finish_day(submitted), weekday=True) in text
    assert "target layanan 24 jam" in text
    assert reader.metadata.title == f"Tanda terima {submitted.ticket}"
    assert len(response.content) < 20_000


@pytest.mark.parametrize(
    ("code", "field"),
    [
        ("F-2.01", "Jenis pelaporan"),
        ("F-2.03", "Surat Pernyataan Tanggung Jawab Mutlak"),
        ("F-2.04", "Pasangan Suami Istri"),
    ],
)
def test_the_blank_forms_are_pdfs_with_their_fields(client, office, code, field):
    response = client.get(f"/formulir/{code}.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert code in text and field in text and "NIK" in text
    assert client.get("/formulir/F-9.99.pdf").status_code == 404


def test_the_akta_form_offers_the_blank_forms_it_asks_for(client, contact):
    html = client.get(link_path(contact), **ENGLISH).content.decode()
    for code in ("F-2.01", "F-2.03", "F-2.04"):
        assert f'href="/formulir/{code}.pdf"' in html


def test_the_bots_answer_links_the_blank_forms(budi, fake_graph, tasks):
    budi.says("mau bikin akta kelahiran anak")
    tasks()
    from loket.conftest import sent_texts

    answer = next(t for t in sent_texts(fake_graph) if "Persyaratan" in t)
    assert "Formulir kosong untuk dicetak" in answer
    assert re.search(r"F-2\.03: http://\S+/formulir/F-2\.03\.pdf", answer)


def test_catalog_texts_on_citizen_pages_are_indonesian(client, contact):
    html = client.get(link_path(contact, "ambil-dokumen"), **ENGLISH).content.decode()
    assert "Physical" not in html and "PIN" not in html
    assert "dicetak sendiri dari PDF" in html
    from loket.catalog.models import Service

    assert Service.objects.get(code="legalisir").output.startswith("Fotokopi yang dilegalisir")


def test_the_expected_finish_skips_the_weekend(submitted):
    friday_afternoon = dt.datetime(2026, 12, 4, 7, tzinfo=dt.UTC)  # 15:00 WITA
    submitted.due_at = friday_afternoon + dt.timedelta(hours=24)
    assert expected_finish_day(submitted) == dt.date(2026, 12, 7)  # Monday
