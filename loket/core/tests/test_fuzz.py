"""Fuzzing the public surface with hypothesis: signed webhooks, /cek/, personal links, bookings,
/healthz and the simulator. A fixed small budget here (LOKET_FUZZ_EXAMPLES for more: see
bench/fuzz.py). The only property: no server error, whatever the input."""

import json

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from loket.core.fuzzing import (
    REQUESTS,
    budget,
    clean_for_http,
    form_data,
    json_values,
    nasty_text,
    path_segment,
    webhook_bodies,
)
from loket.core.links import make_token
from loket.whatsapp.signature import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(office):
    """A client that never raises on a server error, a contact and its valid personal links."""
    from loket.catalog.models import Service
    from loket.whatsapp.models import Contact

    contact = Contact.objects.create(office=office, wa_id="628111", phone="628111")
    service = Service.objects.filter(needs_presence=True).first() or Service.objects.first()
    return {
        "client": Client(raise_request_exception=False),
        "link": make_token(contact.pk, service.code),
        "booking": make_token(contact.pk, service.code, purpose="booking"),
    }


def no_server_error(response, what: str) -> None:
    REQUESTS[what] += 1
    assert response.status_code < 500, f"{what}: {response.status_code}"


def form(data: dict) -> dict:
    return {
        clean_for_http(k): [clean_for_http(x) for x in v]
        if isinstance(v, list)
        else clean_for_http(v)
        for k, v in data.items()
    }


@budget(60)
@given(body=webhook_bodies(settings.WHATSAPP_PHONE_NUMBER_ID))
def test_fuzz_signed_webhooks(site, body):
    signature = sign(body, settings.WHATSAPP_APP_SECRET)
    response = site["client"].post(
        "/webhooks/whatsapp/",
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=signature,
    )
    no_server_error(response, "webhook")
    assert response.status_code == 200


@budget(40)
@given(ticket=nasty_text, segment=path_segment())
def test_fuzz_ticket_check(site, ticket, segment):
    client = site["client"]
    no_server_error(client.get("/cek/", {"tiket": clean_for_http(ticket)}), "cek")
    no_server_error(client.get(f"/cek/{segment}/"), "cek")


@budget(40)
@given(
    which=st.sampled_from(["link", "booking", "garbage"]),
    segment=path_segment(),
    query=form_data(),
    data=form_data(),
    as_json=json_values(),
)
def test_fuzz_personal_links_and_bookings(site, which, segment, query, data, as_json):
    client = site["client"]
    token = site.get(which) or segment
    no_server_error(client.get(f"/l/{token}/", form(query)), "link")
    no_server_error(client.post(f"/l/{token}/", form(data)), "link")
    no_server_error(client.get(f"/janji/{token}/", form(query)), "janji")
    no_server_error(client.post(f"/janji/{token}/pesan/", form(data)), "janji")
    no_server_error(
        client.post(f"/janji/{token}/pesan/", json.dumps(as_json), content_type="application/json"),
        "janji",
    )
    no_server_error(client.get(f"/janji-saya/{segment}/"), "janji")
    no_server_error(client.get(f"/l/{token}/berkas/1/"), "link")
    no_server_error(client.get(f"/l/{token}/tanda-terima.pdf"), "link")


@budget(30)
@given(query=form_data(), data=form_data(), segment=path_segment(), as_json=json_values())
def test_fuzz_health_display_and_simulator(site, query, data, segment, as_json):
    client = site["client"]
    no_server_error(client.get("/healthz", form(query)), "healthz")
    no_server_error(client.get(f"/antrian/{segment}/layar/"), "display")
    no_server_error(client.get(f"/antrian/{segment}/layar/isi/"), "display")
    if settings.SIMULATOR_ENABLED:
        no_server_error(client.get("/simulator/feed", form(query)), "simulator")
        no_server_error(client.post("/simulator/compose", form(data)), "simulator")
        no_server_error(
            client.post(
                "/simulator/graph/v23.0/1/messages",
                json.dumps(as_json),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}",
            ),
            "simulator",
        )


KNOWN_ODD = ["\x00", "-", "A\x00B", "\ud800", "9" * 400, "<svg onload=alert(1)>", ""]


@pytest.mark.parametrize("value", KNOWN_ODD)
def test_known_odd_inputs_everywhere(site, value):
    """The inputs that broke something once, on every public form (both databases in CI)."""
    client, text = site["client"], clean_for_http(value)
    fields = {name: text for name in ["nik", "kk", "name", "slot", "purpose", "text", "title"]}
    no_server_error(client.get("/cek/", {"tiket": text}), "cek")
    no_server_error(client.post(f"/l/{site['link']}/", {**fields, "action": "submit"}), "link")
    no_server_error(client.post(f"/l/{site['link']}/", {**fields, "action": "save"}), "link")
    no_server_error(client.post(f"/janji/{site['booking']}/pesan/", fields), "janji")
    no_server_error(
        client.post(
            f"/janji/{site['booking']}/pesan/",
            json.dumps({**fields, "slot": value}),
            content_type="application/json",
        ),
        "janji",
    )
    if settings.SIMULATOR_ENABLED:
        no_server_error(client.post("/simulator/compose", fields), "simulator")
        no_server_error(client.post("/simulator/compose", {"reply_id": text}), "simulator")
