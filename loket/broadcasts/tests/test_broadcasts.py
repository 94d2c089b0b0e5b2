import datetime as dt
import io
import json
from collections import Counter

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from loket.bot.models import ReopenSubscription
from loket.broadcasts import sending
from loket.broadcasts.models import (
    Broadcast,
    BroadcastRecipient,
    MessageTemplate,
    Official,
    OptOut,
    Subscription,
)
from loket.catalog.models import PolicyRule, Service
from loket.conftest import sent_texts
from loket.whatsapp.models import Contact, OutboundMessage, SendAttempt
from loket.whatsapp.signature import sign

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="rahasia-123")
    return client


@pytest.fixture
def template(office):
    return MessageTemplate.objects.create(
        office=office,
        name="info_layanan",
        body="Yth. Bapak/Ibu, {{1}}. Info: Disdukcapil {{2}}.",
        status=MessageTemplate.Status.APPROVED,
    )


def subscribers(office, count: int) -> list[Contact]:
    contacts = Contact.objects.bulk_create(
        Contact(office=office, wa_id=f"62811{n:07d}", phone=f"62811{n:07d}") for n in range(count)
    )
    contacts = list(Contact.objects.filter(wa_id__startswith="62811").order_by("wa_id"))
    Subscription.objects.bulk_create(Subscription(office=office, contact=c) for c in contacts)
    return contacts


def broadcast_to_subscribers(office, template) -> Broadcast:
    return Broadcast.objects.create(
        office=office,
        title="Layanan online",
        template=template,
        parameters=["KTP-el kini bisa diurus lewat WhatsApp", "Balikpapan"],
        audience=Broadcast.Audience.SUBSCRIBERS,
    )


def template_recipients(graph) -> Counter:
    return Counter(b["to"] for b in graph.messages() if b["type"] == "template")


def test_stop_words_opt_out_and_are_confirmed(budi, fake_graph, tasks):
    budi.says("Berhenti")
    tasks()
    assert OptOut.objects.filter(contact__wa_id=budi.wa_id, word="berhenti").exists()
    assert "tidak akan menerima siaran" in sent_texts(fake_graph)[-1]
    budi.says("mau dapat info")
    tasks()
    assert not OptOut.objects.exists()
    assert Subscription.objects.filter(contact__wa_id=budi.wa_id).exists()
    budi.says("STOP")
    tasks()
    assert OptOut.objects.filter(contact__wa_id=budi.wa_id).exists()
    assert not Subscription.objects.exists()


def test_a_broadcast_reaches_everyone_once_through_an_outage_and_never_the_opted_out(
    office, template, fake_graph, tasks
):
    contacts = subscribers(office, 100)
    opted_out = contacts[::20]  # 5 people said "berhenti"
    for contact in opted_out[:3]:
        OptOut.objects.create(contact=contact, word="berhenti")
    broadcast = broadcast_to_subscribers(office, template)
    assert sending.schedule(broadcast) == 97
    for contact in opted_out[3:]:  # two more stop after the list was frozen
        OptOut.objects.create(contact=contact, word="stop")

    with time_machine.travel(timezone.now(), tick=True) as traveller:
        for step in range(60):
            fake_graph.down = 2 <= step < 6  # Meta answers 503 for a while
            sending.send_due()
            tasks()
            traveller.shift(dt.timedelta(seconds=20))
            broadcast.refresh_from_db()
            in_flight = OutboundMessage.objects.filter(
                source=broadcast.source, status__in=sending.IN_FLIGHT
            )
            if broadcast.status == Broadcast.Status.DONE and not in_flight.exists():
                break

    reached = template_recipients(fake_graph)
    expected = {c.wa_id for c in contacts} - {c.wa_id for c in opted_out}
    assert set(reached) == expected
    assert max(reached.values()) == 1  # nobody twice
    assert SendAttempt.objects.filter(outcome="retry").exists()  # the outage really happened
    report = sending.report(broadcast)
    assert report["accepted"] == 95 and report["skipped"] == 2 and report["pending"] == 0


def test_a_second_runner_at_the_same_moment_sends_nothing(office, template, fake_graph):
    subscribers(office, 10)
    broadcast = broadcast_to_subscribers(office, template)
    sending.schedule(broadcast)
    with time_machine.travel(timezone.now(), tick=False):
        first = sending.send_due()
        second = sending.send_due()
    assert (first, second) == (10, 0)
    assert BroadcastRecipient.objects.filter(state="queued").count() == 10
    with pytest.raises(sending.BroadcastError):
        sending.schedule(broadcast)


def test_the_daily_tier_of_new_contacts_is_respected(office, template, fake_graph, settings):
    settings.LOKET_BROADCAST_DAILY_NEW_CONTACTS = 10
    subscribers(office, 30)
    broadcast = broadcast_to_subscribers(office, template)
    sending.schedule(broadcast)
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        for _ in range(5):
            sending.send_due()
            traveller.shift(dt.timedelta(seconds=5))
        assert OutboundMessage.objects.filter(kind="template").count() == 10
        traveller.shift(dt.timedelta(hours=24, seconds=1))
        sending.send_due()
    assert OutboundMessage.objects.filter(kind="template").count() == 20


def status_webhook(client, wa_message_id: str, status: str, errors=None):
    item = {
        "id": wa_message_id,
        "status": status,
        "timestamp": str(int(timezone.now().timestamp())),
        "recipient_id": "0",
    }
    if errors:
        item["errors"] = errors
    body = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "W",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"phone_number_id": settings.WHATSAPP_PHONE_NUMBER_ID},
                            "statuses": [item],
                        },
                    }
                ],
            }
        ],
    }
    raw = json.dumps(body).encode()
    return client.post(
        "/webhooks/whatsapp/",
        raw,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(raw, settings.WHATSAPP_APP_SECRET),
    )


def test_the_delivery_report_counts_statuses_failures_and_replies(
    office, template, fake_graph, tasks, budi, personas
):
    budi.says("mau dapat info")
    tasks()
    subscribers(office, 2)
    broadcast = broadcast_to_subscribers(office, template)
    sending.schedule(broadcast)
    sending.send_due()
    tasks()
    first, second, third = OutboundMessage.objects.filter(source=broadcast.source).order_by("pk")
    status_webhook(budi.client, first.wa_message_id, "delivered")
    status_webhook(budi.client, second.wa_message_id, "read")
    status_webhook(
        budi.client,
        third.wa_message_id,
        "failed",
        errors=[{"code": 131026, "title": "Message undeliverable"}],
    )
    budi.says("terima kasih infonya")
    tasks()
    page = login("sari").get(f"/staf/siaran/{broadcast.pk}/").content.decode()
    report = sending.report(broadcast)
    assert (report["delivered"], report["read"], report["failed"]) == (2, 1, 1)
    assert report["failures"][0]["error_code"] == "131026"
    assert report["reply_count"] == 1
    assert "Message undeliverable" in page
    assert "terima kasih infonya" in page


def test_staff_create_preview_and_schedule_a_broadcast(office, template, personas):
    subscribers(office, 3)
    sari = login("sari")
    response = sari.post(
        "/staf/siaran/baru/",
        {
            "title": "Layanan online",
            "template": template.pk,
            "audience": "subscribers",
            "parameters_text": "KTP-el bisa lewat WA\nBalikpapan",
        },
    )
    broadcast = Broadcast.objects.get()
    page = sari.get(response.url).content.decode()
    assert "Yth. Bapak/Ibu, KTP-el bisa lewat WA. Info: Disdukcapil Balikpapan." in page
    assert "<strong>3</strong> orang" in page
    assert "kirim sekarang juga ke 3 penerima" in page
    response = sari.post(f"/staf/siaran/{broadcast.pk}/jadwalkan/", follow=True)
    assert "centang “Kirim sekarang”" in response.content.decode()  # an empty time is no "now"
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.DRAFT
    response = sari.post(f"/staf/siaran/{broadcast.pk}/jadwalkan/", {"now": "1"}, follow=True)
    assert "dijadwalkan untuk 3 penerima" in response.content.decode()
    wrong = sari.post(
        "/staf/siaran/baru/",
        {"title": "x", "template": template.pk, "audience": "subscribers", "parameters_text": ""},
    )
    assert "butuh 2 isian" in wrong.content.decode()
    assert login("kepala").get("/staf/siaran/baru/").status_code == 403


def test_a_reopened_service_offers_its_waiting_list_as_a_ready_broadcast(
    office, personas, budi, fake_graph, tasks
):
    MessageTemplate.objects.create(
        office=office,
        name="layanan_dibuka",
        body="Kabar baik: layanan {{1}} sudah dibuka kembali.",
        status=MessageTemplate.Status.APPROVED,
    )
    budi.says("mau rekam ktp")
    tasks()
    budi.says("iya")
    tasks()
    assert ReopenSubscription.objects.filter(notified_at=None).count() == 1
    sari = login("sari")
    sari.get("/staf/siaran/")
    assert not Broadcast.objects.exists()  # still suspended: nothing to offer

    PolicyRule.objects.filter(service__code="ktp-rekam").update(mode="normal")
    page = sari.get("/staf/siaran/").content.decode()
    broadcast = Broadcast.objects.get()
    assert "siap dikirim" in page
    assert broadcast.service == Service.objects.get(code="ktp-rekam")
    assert (
        broadcast.preview() == f"Kabar baik: layanan {broadcast.service.name} sudah dibuka kembali."
    )
    sari.get("/staf/siaran/")
    assert Broadcast.objects.count() == 1  # offered once
    sending.schedule(broadcast)
    sending.send_due()
    tasks()
    assert template_recipients(fake_graph) == {budi.wa_id: 1}
    assert ReopenSubscription.objects.get().notified_at is not None


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    book.active.append(
        ["nama", "jabatan", "kode_wilayah", "nama_wilayah", "rt_rw", "nomor_whatsapp"]
    )
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/staf/siaran/penerima/",
        {"file": SimpleUploadedFile("penerima.xlsx", data)},
        follow=True,
    )


def test_officials_are_imported_from_xlsx_with_row_errors_in_indonesian(office, personas):
    sari = login("sari")
    template_file = sari.get("/staf/siaran/penerima/templat.xlsx")
    header = next(load_workbook(io.BytesIO(template_file.content)).active.iter_rows(values_only=1))
    assert list(header)[:3] == ["nama", "jabatan", "kode_wilayah"]

    good = ["Pak Camat", "camat", "64.71.01", "Balikpapan Timur", "", "081234500001"]
    bad = [
        ["Bu RT", "ketua rt", "64.71.01.1001", "Manggar", "RT 05", "12345"],
        ["Pak Lurah", "bupati", "63.01.01", "Somewhere", "", "081234500002"],
    ]
    page = upload(sari, xlsx([good, *bad])).content.decode()
    assert "Baris 3: nomor WhatsApp &#x27;12345&#x27; tidak valid." in page
    assert "jabatan &#x27;bupati&#x27; tidak dikenal" in page
    assert "bukan wilayah" in page
    assert not Official.objects.exists()  # all or nothing

    page = upload(sari, xlsx([good])).content.decode()
    assert "1 penerima baru" in page
    official = Official.objects.get()
    assert official.contact.wa_id == "6281234500001"
    assert "bukan XLSX" in upload(sari, b"not a workbook").content.decode()


def test_the_poster_opens_a_chat_with_the_office(office, personas):
    office.whatsapp_display_number = "+62 542 000 0001"
    office.save()
    sari = login("sari")
    page = sari.get("/staf/siaran/poster/").content.decode()
    assert "https://wa.me/625420000001?text=Halo%20Disdukcapil" in page
    qr = sari.get("/staf/siaran/poster/qr.png")
    assert qr["Content-Type"] == "image/png" and qr.content.startswith(b"\x89PNG")
