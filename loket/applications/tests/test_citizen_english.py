"""A citizen who chose English in the chat reads English on every page of their personal links;
everyone else reads Indonesian whatever their browser asks for; the catalog is compiled."""

import datetime as dt
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from loket.applications import pin as pins
from loket.applications.files import store_output
from loket.applications.models import Application, ApplicationEvent
from loket.applications.tests.conftest import akta_form, link_path, pdf_bytes
from loket.bot.models import Conversation
from loket.catalog.models import Service
from loket.core.links import make_token

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
INDONESIAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "id-ID,id;q=0.9"}
# words of the pages' own Indonesian (not of catalog data, names or places)
INDONESIAN_UI = re.compile(
    r"\b(Kirim|Simpan|Unduh|Riwayat|Dokumen|Permohonan|berlaku|sampai|Anda|yang|belum|"
    r"sudah|wajib|Tanggal|Nama|Alamat|Pilih|Janji|Batalkan|Ganti|jadwal|sisa|Buat|Kode|"
    r"Tidak|Bidang|Persyaratan|Unggah|Lahir|lahir|Masukkan|terdaftar|dibatalkan|Halaman)\b"
)
LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture
def english(contact):
    """Budi typed "english" in the chat (the bot's language choice)."""
    return Conversation.objects.create(contact=contact, language="en")


def catalog_texts(service: Service, office) -> list[str]:
    """Texts that come from the catalog and the office (Indonesian by design: no English
    version exists in the catalog besides the service name)."""
    texts = [*service.requirements, service.name, service.short_name, service.output]
    texts += [office.name, office.address, office.city_name]
    return [t for t in texts if t]


def leftover_indonesian(html: str, service: Service, office) -> list[str]:
    main = html.split("<main>", 1)[-1].split("</main>", 1)[0]
    main = re.sub(
        r"<script.*?</script>|<style.*?</style>|<select.*?</select>", "", main, flags=re.S
    )
    for text in sorted(catalog_texts(service, office), key=len, reverse=True):
        main = main.replace(text, "")
    main = re.sub(r"<[^>]+>", " ", main)  # text only, not attributes or names
    return INDONESIAN_UI.findall(main)


def test_the_form_speaks_english_to_a_citizen_who_chose_english(client, contact, english):
    akta = Service.objects.get(code="akta-lahir")
    response = client.get(link_path(contact), **INDONESIAN_BROWSER)
    html = response.content.decode()
    assert response["Content-Language"] == "en" and '<html lang="en">' in html
    assert f"<h1>{akta.name_en}</h1>" in html
    for text in (
        "Applicant&#x27;s NIK",
        "Child&#x27;s date of birth",
        "Send application",
        "Save draft",
        "Download blank form F-2.01 (PDF)",
        "(if you have it)",
    ):
        assert text in html, text
    assert "valid until" in html and re.search(r"valid until \d+ [A-Z][a-z]+ \d{4}", html)
    assert not leftover_indonesian(html, akta, contact.office)


def test_english_errors_dates_and_warnings_on_the_form(client, contact, english, fake_graph):
    empty = client.post(link_path(contact), {"action": "submit"}).content.decode()
    assert "This field is required." in empty and "Not sent yet." in empty
    assert "This document must be uploaded before you send the application." in empty
    assert "Upload: " in empty
    with time_machine.travel(dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)):
        future = client.post(link_path(contact), akta_form(x_child_birth_date="2030-01-01"))
        late = client.post(
            link_path(contact),
            akta_form(birth_date="1991-03-12", x_child_birth_date="2026-06-01", action="save"),
        )
    html = future.content.decode()
    assert "Child&#x27;s date of birth cannot be later than today (1 December 2026)." in html
    html = late.content.decode()
    assert "More than 60 days ago (1 June 2026)" in html
    assert "The date of birth in the NIK is 12-03-1990" in html
    assert "Draft saved." in html
    bad_nik = client.post(link_path(contact), akta_form(nik="123", action="save"))
    assert "The NIK must be 16 digits" in bad_nik.content.decode()


def test_the_receipt_and_history_are_english_but_stored_in_indonesian(
    client, contact, english, fake_graph
):
    response = client.post(link_path(contact), akta_form())
    assert response.status_code == 302
    html = client.get(link_path(contact), **INDONESIAN_BROWSER).content.decode()
    akta = Service.objects.get(code="akta-lahir")
    assert "<h1>Application sent</h1>" in html and "Your ticket number:" in html
    assert "Received, waiting to be checked" in html and "Download the receipt (PDF)" in html
    assert not leftover_indonesian(html, akta, contact.office)
    application = Application.objects.get(contact=contact)
    # what is kept is Indonesian: staff read it, and so does a citizen who switches back
    assert ApplicationEvent.objects.get(application=application).label == (
        "Diterima, menunggu verifikasi"
    )
    # the public status page has no token: Indonesian for everyone
    public = client.get(f"/cek/{application.ticket}/", **ENGLISH_BROWSER).content.decode()
    assert "Diterima, menunggu verifikasi" in public and "Received" not in public


def test_the_pin_page_and_its_errors_are_english(client, contact, english, submitted):
    document = store_output(submitted, pdf_bytes())
    pins.issue_pin(document)
    path = f"/l/{make_token(contact.pk, 'akta-lahir')}/berkas/{document.pk}/"
    page = client.get(path).content.decode()
    assert "Enter the 6-digit PIN we sent you on WhatsApp" in page
    wrong = client.post(path, {"pin": "000000"}).content.decode()
    assert "Wrong PIN. Attempts left: 4." in wrong


def test_a_citizen_who_did_not_choose_english_reads_indonesian_everywhere(client, contact):
    html = client.get(link_path(contact), **ENGLISH_BROWSER).content.decode()
    assert "<h1>Pencatatan kelahiran" in html or "Kirim permohonan" in html
    assert "Send application" not in html and "Applicant" not in html
    Conversation.objects.create(contact=contact, language="")  # switched back to Indonesian
    assert "Kirim permohonan" in client.get(link_path(contact), **ENGLISH_BROWSER).content.decode()


def test_a_bad_link_is_explained_in_indonesian(client, contact, english):
    html = client.get("/l/rusak/", **ENGLISH_BROWSER).content.decode()
    assert "Link tidak valid" in html


def test_the_english_catalog_is_complete_and_the_committed_mo_matches_the_po():
    polib = pytest.importorskip("polib")
    po = polib.pofile(str(LOCALE / "django.po"))
    assert not po.untranslated_entries() and not po.fuzzy_entries()
    for entry in po:  # the same placeholders on both sides
        assert sorted(re.findall(r"%\(\w+\)", entry.msgid)) == sorted(
            re.findall(r"%\(\w+\)", entry.msgstr)
        ), entry.msgid
    with open(LOCALE / "django.mo", "rb") as handle:
        committed = gettext.GNUTranslations(handle)
    for entry in po:
        assert committed.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext tools not installed")
def test_every_marked_text_is_in_the_english_catalog(tmp_path):
    """Nobody marked a text for translation and forgot to translate it (makemessages -> diff)."""
    polib = pytest.importorskip("polib")
    package = Path(settings.BASE_DIR)
    copy = tmp_path / "loket"
    shutil.copytree(
        package, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo", "static")
    )
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "loket.settings", "LOKET_ENV": "test", "PATH": "/usr/bin"},
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))}
    kept = {e.msgid for e in polib.pofile(str(LOCALE / "django.po"))}
    assert fresh - kept == set(), "translate the new texts in django.po, then `make messages`"
