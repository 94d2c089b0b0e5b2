from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from loket.core.links import make_token
from loket.whatsapp.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(office):
    return Contact.objects.create(office=office, wa_id="6281234567890", profile_name="Budi")


def test_the_personal_link_shows_the_service_and_the_policy(client, contact):
    r = client.get(f"/l/{make_token(contact.pk, 'kk-baru')}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Penerbitan Kartu Keluarga baru" in html
    assert "Tanggap darurat COVID-19" in html


def test_a_tampered_link_gets_a_clear_page_and_404(client, contact):
    token = make_token(contact.pk, "kk-baru")
    r = client.get(f"/l/{token[:-3]}abc/")
    assert r.status_code == 404
    assert "Link tidak valid" in r.content.decode()


def test_an_expired_link_gets_410(client, contact, settings):
    settings.LOKET_LINK_MAX_AGE_DAYS = 7
    token = make_token(contact.pk, "kk-baru")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        r = client.get(f"/l/{token}/")
    assert r.status_code == 410
    assert "kedaluwarsa" in r.content.decode()


def test_a_link_for_an_unknown_service_is_invalid(client, contact):
    assert client.get(f"/l/{make_token(contact.pk, 'nope')}/").status_code == 404
