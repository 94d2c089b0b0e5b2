"""Two offices on one installation: each WhatsApp number gets its own office's answers
(hours, the services it offers and its notes, its policy), through the real webhook."""

import datetime as dt
import json

import pytest
import time_machine
from django.conf import settings

from loket.catalog import offices, policy_editor
from loket.catalog.models import Service
from loket.conftest import Citizen, sent_texts
from loket.whatsapp import inbound

pytestmark = pytest.mark.django_db

SAMARINDA_NUMBER = "109200000000777"
MONDAY_MORNING = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class SamarindaCitizen(Citizen):
    """A citizen writing to the second office's number."""

    phone_number_id = SAMARINDA_NUMBER
    display_number = "+62 541 700777"


@pytest.fixture
def samarinda(office):
    smd = offices.create_office(
        offices.OfficeInput(
            name="Disdukcapil Kota Samarinda",
            slug="samarinda",
            region_code="64.72",
            timezone_name="Asia/Makassar",
            phone_number_id=SAMARINDA_NUMBER,
            whatsapp_display_number="+62 541 700777",
        ),
        by=None,
    )
    days = [
        policy_editor.DayHours(weekday=d, opens=dt.time(7, 30), closes=dt.time(13, 30))
        for d in range(6)  # Senin–Sabtu
    ] + [policy_editor.DayHours(weekday=6, opens=None, closes=None)]
    policy_editor.set_hours(smd, days, None)
    offices.set_offerings(
        smd,
        [
            offices.OfferingInput(Service.objects.get(code="legalisir"), offered=False),
            offices.OfferingInput(
                Service.objects.get(code="kk-baru"), note="Bawa surat pengantar RT/RW."
            ),
        ],
        None,
    )
    inbound._office_cache.clear()
    return smd


def answers_to(graph, number: str, wa_id: str) -> list[str]:
    """Texts the fake Graph API was asked to send from `number` to `wa_id`."""
    bodies = [
        json.loads(r.body) if isinstance(r.body, (bytes, str)) else r.body
        for r in graph.received
        if r.path.endswith(f"/{number}/messages")
    ]
    graph_view = type("G", (), {"messages": lambda self: bodies})()
    return sent_texts(graph_view, wa_id)


@time_machine.travel(MONDAY_MORNING, tick=True)
def test_each_number_answers_with_its_own_office(client, office, samarinda, fake_graph, tasks):
    budi = Citizen(client, wa_id="6281111111111", name="Budi")
    rina = SamarindaCitizen(client, wa_id="6282222222222", name="Rina")
    for citizen in (budi, rina):
        citizen.taps("jadwal")
        citizen.taps("svc:ktp-rekam")
        citizen.taps("svc:legalisir")
        citizen.taps("svc:kk-baru")
    tasks()

    bpn = answers_to(fake_graph, settings.WHATSAPP_PHONE_NUMBER_ID, budi.wa_id)
    smd = answers_to(fake_graph, SAMARINDA_NUMBER, rina.wa_id)
    assert not answers_to(fake_graph, SAMARINDA_NUMBER, budi.wa_id)
    assert not answers_to(fake_graph, settings.WHATSAPP_PHONE_NUMBER_ID, rina.wa_id)
    bpn_text, smd_text = "\n".join(bpn), "\n".join(smd)

    # hours: Samarinda's own, Saturday open
    assert "Jam layanan Disdukcapil Kota Samarinda" in smd_text
    assert "Sabtu: 07:30–13:30" in smd_text and "Minggu dan hari libur nasional tutup" in smd_text
    assert "Jam layanan Disdukcapil Kota Balikpapan" in bpn_text and "07:30" not in bpn_text

    # policy: Balikpapan's emergency stops KTP recording, Samarinda's default policy does not
    ktp_bpn = next(t for t in bpn if t.startswith("*Perekaman KTP") or "KTP" in t.split("\n")[0])
    ktp_smd = next(t for t in smd if t.startswith("*Perekaman KTP") or "KTP" in t.split("\n")[0])
    assert "dihentikan" in ktp_bpn
    assert "Dilayani seperti biasa" in ktp_smd

    # catalog variations: Samarinda does not legalise, and adds its own note to KK
    assert "Tidak dilayani* di Disdukcapil Kota Samarinda" in smd_text
    assert "Tidak dilayani" not in bpn_text
    assert "Catatan Disdukcapil Kota Samarinda: Bawa surat pengantar RT/RW." in smd_text
    assert "pengantar RT/RW" not in bpn_text


@time_machine.travel(MONDAY_MORNING, tick=True)
def test_a_service_the_office_does_not_offer_is_not_in_its_menu(
    client, office, samarinda, fake_graph, tasks
):
    rina = SamarindaCitizen(client, wa_id="6282222222222", name="Rina")
    budi = Citizen(client, wa_id="6281111111111", name="Budi")
    group = Service.objects.get(code="legalisir").group
    rina.taps(f"grp:{group}")
    budi.taps(f"grp:{group}")
    tasks()

    def rows(number, wa_id):
        found = []
        for r in fake_graph.received:
            body = r.body if isinstance(r.body, dict) else json.loads(r.body)
            if r.path.endswith(f"/{number}/messages") and body.get("to") == wa_id:
                if body["type"] == "interactive" and body["interactive"]["type"] == "list":
                    for section in body["interactive"]["action"]["sections"]:
                        found += [row["id"] for row in section["rows"]]
                elif body["type"] == "text":
                    found.append(body["text"]["body"].split("\n")[0])
        return found

    bpn_rows = rows(settings.WHATSAPP_PHONE_NUMBER_ID, budi.wa_id)
    assert "svc:legalisir" in bpn_rows or any("Legalisir" in r for r in bpn_rows)
    smd_rows = rows(SAMARINDA_NUMBER, rina.wa_id)
    assert smd_rows and "svc:legalisir" not in smd_rows
    assert not any("Legalisir" in r for r in smd_rows)
