"""Unknown addresses, failures and the favicon: Indonesian pages, whatever the browser says."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_an_unknown_address_gets_an_indonesian_page(client, settings):
    settings.DEBUG = False
    response = client.get("/tidak-ada-di-sini/", **ENGLISH)
    html = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html
    assert "Not Found" not in html
    assert 'href="/cek/"' in html


def test_a_server_failure_gets_an_indonesian_page():
    response = server_error(RequestFactory().get("/", **ENGLISH))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Maaf, terjadi gangguan" in html and "Server Error" not in html


def test_the_favicon_is_a_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("loket/favicon.ico")
    assert 'rel="icon"' in client.get("/cek/").content.decode()


def test_staff_pages_stay_indonesian_whatever_the_staff_browser(client, personas):
    client.force_login(personas["sari"])
    response = client.get("/staf/", **ENGLISH)
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
