"""Templates in step with Meta: sync with paging, submit with examples, delete, the template
webhooks (idempotent, in order), and broadcasts paced by the number's tier and quality."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from loket.broadcasts import metasync, sending
from loket.broadcasts.models import Broadcast, MessageTemplate, Subscription
from loket.core.models import AuditEntry
from loket.whatsapp.models import BusinessNumber, Contact, OutboundMessage
from loket.whatsapp.tests.accountevents import WABA, post_account_change

pytestmark = pytest.mark.django_db
BODY = "Yth. Bapak/Ibu {{1}}, layanan {{2}} sudah dibuka."


@pytest.fixture(autouse=True)
def waba(settings):
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = WABA


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="rahasia-123")
    return client


def status_change(template, event: str, reason: str = "NONE") -> dict:
    return {
        "event": event,
        "message_template_id": int(template.meta_id or template.id),
        "message_template_name": template.name,
        "message_template_language": template.language,
        "reason": reason,
    }


# --- sync ------------------------------------------------------------------------------------


def test_sync_reads_every_page_and_mirrors_status_reason_and_quality(office, fake_graph):
    for n in range(230):
        fake_graph.add_template(WABA, f"info_{n:03d}", f"Info nomor {n}: {{{{1}}}}")
    fake_graph.add_template(WABA, "ditolak", "Promo!", status="REJECTED", category="MARKETING")
    fake_graph.template(WABA, "ditolak").rejected_reason = "INVALID_FORMAT"
    fake_graph.add_template(WABA, "dijeda", "Halo {{1}}", status="PAUSED", quality="RED")
    fake_graph.set_number(office.phone_number_id, "GREEN", "TIER_1K")
    stale = MessageTemplate.objects.create(
        office=office, name="diketik_tangan", body="x", status=MessageTemplate.Status.APPROVED
    )
    lines: list[str] = []

    result = metasync.sync(office, progress=lines.append)

    assert (result.pages, result.seen, result.created, result.gone) == (3, 232, 232, 1)
    assert lines[0].startswith("halaman 1: 100 template") and "halaman 3: 32" in lines[2]
    rejected = MessageTemplate.objects.get(name="ditolak")
    assert rejected.status == "rejected" and rejected.rejected_reason == "INVALID_FORMAT"
    assert rejected.category == "marketing"
    paused = MessageTemplate.objects.get(name="dijeda")
    assert (paused.status, paused.quality) == ("paused", "RED")
    assert MessageTemplate.objects.get(name="info_007").body == "Info nomor 7: {{1}}"
    stale.refresh_from_db()
    assert stale.status == MessageTemplate.Status.NOT_ON_META and not stale.approved
    number = BusinessNumber.objects.get(office=office)
    assert (number.quality_rating, number.daily_limit) == ("GREEN", 1000)

    # a second sync changes nothing and creates nothing
    assert metasync.sync(office).created == 0
    assert MessageTemplate.objects.filter(office=office).count() == 233


def test_the_sync_command_shows_progress_and_a_summary(office, fake_graph):
    fake_graph.add_template(WABA, "permohonan_selesai", "Permohonan {{1}} selesai.")
    fake_graph.set_number(office.phone_number_id, "YELLOW", "TIER_250")
    out, err = io.StringIO(), io.StringIO()
    call_command("templates", "sync", stdout=out, stderr=err)
    assert "halaman 1: 1 template" in err.getvalue()
    assert "1 template dari 1 halaman" in out.getvalue() and "YELLOW TIER_250" in out.getvalue()


def test_a_graph_error_stops_the_sync_with_an_indonesian_message(office, fake_graph):
    fake_graph.add_template(WABA, "a", "A")
    fake_graph.token = "revoked"
    with pytest.raises(metasync.TemplateError, match="tidak bisa dibaca"):
        metasync.sync(office)
    with pytest.raises(CommandError):
        call_command("templates", "sync", stdout=io.StringIO(), stderr=io.StringIO())


def test_without_an_account_id_staff_are_told_what_to_configure(office, settings):
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = ""
    with pytest.raises(metasync.TemplateError, match="WHATSAPP_BUSINESS_ACCOUNT_ID"):
        metasync.sync(office)


# --- submit and delete -------------------------------------------------------------------------


def test_submit_sends_the_examples_and_stores_metas_answer(office, fake_graph, personas):
    template = metasync.submit(
        office, "layanan_buka", "id", "utility", BODY, ["Budi", "KTP-el"], actor=personas["sari"]
    )
    at_meta = fake_graph.template(WABA, "layanan_buka")
    assert at_meta.components == [
        {"type": "BODY", "text": BODY, "example": {"body_text": [["Budi", "KTP-el"]]}}
    ]
    assert at_meta.category == "UTILITY"
    assert (template.status, template.meta_id) == ("pending", at_meta.id)
    assert AuditEntry.objects.filter(action="template.submit", actor=personas["sari"]).exists()


def test_submit_refuses_missing_examples_before_asking_meta(office, fake_graph):
    with pytest.raises(metasync.TemplateError, match="isi 2 contoh"):
        metasync.submit(office, "layanan_buka", "id", "utility", BODY, ["Budi"])
    with pytest.raises(metasync.TemplateError, match="huruf kecil"):
        metasync.submit(office, "Layanan Buka", "id", "utility", "Halo", [])
    assert fake_graph.templates == {}


def test_metas_refusal_is_shown_with_its_reason(office, fake_graph):
    fake_graph.add_template(WABA, "layanan_buka", "Sudah ada")
    with pytest.raises(metasync.TemplateError, match="already exists"):
        metasync.submit(office, "layanan_buka", "id", "utility", "Halo", [])
    # Meta's own check on examples (a client that skipped ours) is reported too
    fake_graph.fail_next(1, 400, 100)
    with pytest.raises(metasync.TemplateError, match="Meta menolak"):
        metasync.submit(office, "lain", "id", "utility", "Halo", [])


def test_delete_removes_every_language_at_meta_and_keeps_rows_broadcasts_use(office, fake_graph):
    fake_graph.add_template(WABA, "info", "Info {{1}}", language="id")
    fake_graph.add_template(WABA, "info", "Info {{1}}", language="en")
    metasync.sync(office)
    used = MessageTemplate.objects.get(name="info", language="id")
    Broadcast.objects.create(office=office, title="t", template=used, audience="subscribers")
    metasync.delete(used)
    assert fake_graph.templates[WABA] == []
    assert list(MessageTemplate.objects.filter(name="info").values_list("language", "status")) == [
        ("id", "deleted")
    ]
    # already gone at Meta: not an error
    fake_graph.add_template(WABA, "lagi", "x")
    metasync.sync(office)
    fake_graph.templates[WABA] = []
    metasync.delete(MessageTemplate.objects.get(name="lagi"))
    assert not MessageTemplate.objects.filter(name="lagi").exists()


def test_staff_sync_submit_and_delete_from_the_template_page(office, personas, fake_graph):
    fake_graph.add_template(WABA, "info_layanan", "Info: {{1}}")
    sari = login("sari")
    page = sari.get("/staf/siaran/template/").content.decode()
    assert "Sinkronkan dengan Meta" in page and "Ajukan template baru" in page
    response = sari.post("/staf/siaran/template/sinkron/", follow=True)
    assert "Sinkron dengan Meta: 1 template" in response.content.decode()
    response = sari.post(
        "/staf/siaran/template/",
        {
            "name": "jadwal_piket",
            "language": "id",
            "category": "utility",
            "body": BODY,
            "examples": "Budi\nKTP-el",
        },
        follow=True,
    )
    assert "dikirim ke Meta: menunggu persetujuan" in response.content.decode()
    response = sari.post(
        "/staf/siaran/template/",
        {"name": "kurang", "language": "id", "category": "utility", "body": BODY},
    )
    assert "isi 2 contoh isian" in response.content.decode()
    template = MessageTemplate.objects.get(name="jadwal_piket")
    sari.post(f"/staf/siaran/template/{template.pk}/hapus/")
    assert fake_graph.template(WABA, "jadwal_piket") is None
    # the kepala reads, does not manage
    kepala = Client()
    kepala.force_login(personas["kepala"])
    assert kepala.post("/staf/siaran/template/sinkron/").status_code == 403


def test_the_status_is_read_only_in_the_admin(office, personas):
    template = MessageTemplate.objects.create(office=office, name="x", body="x")
    user = personas["admin"]
    user.is_staff = user.is_superuser = True
    user.save()
    admin = Client()
    assert admin.login(username="admin", password="rahasia-123")
    page = admin.get(f"/admin/broadcasts/messagetemplate/{template.pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    assert admin.get("/admin/broadcasts/messagetemplate/add/").status_code == 403


# --- webhooks ----------------------------------------------------------------------------------


def test_approval_rejection_and_pause_arrive_by_webhook_idempotently_and_in_order(
    client, office, fake_graph
):
    template = metasync.submit(office, "info", "id", "utility", "Info {{1}}", ["KTP"])
    now = int(timezone.now().timestamp()) + 10
    change = status_change(template, "APPROVED")
    for _ in range(2):  # Meta redelivers
        assert (
            post_account_change(client, "message_template_status_update", change, time=now).content
            == b"ok"
        )
    template.refresh_from_db()
    assert template.status == "approved"
    assert AuditEntry.objects.filter(action="template.status").count() == 1

    paused = status_change(template, "PAUSED")
    post_account_change(client, "message_template_status_update", paused, time=now + 60)
    # the approval redelivered late must not undo the pause
    post_account_change(client, "message_template_status_update", change, time=now)
    template.refresh_from_db()
    assert template.status == "paused"

    rejected = status_change(template, "REJECTED", reason="INCORRECT_CATEGORY")
    post_account_change(client, "message_template_status_update", rejected, time=now + 120)
    template.refresh_from_db()
    assert (template.status, template.rejected_reason) == ("rejected", "INCORRECT_CATEGORY")


def test_quality_updates_and_templates_made_in_whatsapp_manager(client, office):
    now = int(timezone.now().timestamp())
    value = {
        "previous_quality_score": "GREEN",
        "new_quality_score": "YELLOW",
        "message_template_id": 806312974732579,
        "message_template_name": "dibuat_di_manager",
        "message_template_language": "id",
    }
    post_account_change(client, "message_template_quality_update", value, time=now)
    template = MessageTemplate.objects.get(name="dibuat_di_manager")
    assert (template.quality, template.meta_id, template.status) == (
        "YELLOW",
        "806312974732579",
        "pending",
    )
    older = value | {"new_quality_score": "RED"}
    post_account_change(client, "message_template_quality_update", older, time=now - 30)
    template.refresh_from_db()
    assert template.quality == "YELLOW"
    post_account_change(
        client, "message_template_quality_update", value | {"new_quality_score": "BLUE"}
    )
    from loket.whatsapp.models import RejectedWebhookItem

    assert RejectedWebhookItem.objects.filter(reason__contains="quality").count() == 1


# --- broadcasts paced by Meta -------------------------------------------------------------------


def subscribers(office, count: int) -> list[Contact]:
    Contact.objects.bulk_create(
        Contact(office=office, wa_id=f"62812{n:07d}", phone=f"62812{n:07d}") for n in range(count)
    )
    contacts = list(Contact.objects.filter(wa_id__startswith="62812"))
    Subscription.objects.bulk_create(Subscription(office=office, contact=c) for c in contacts)
    return contacts


@pytest.fixture
def approved(office):
    return MessageTemplate.objects.create(
        office=office, name="info", body="Info {{1}}", status=MessageTemplate.Status.APPROVED
    )


def broadcast(office, template) -> Broadcast:
    return Broadcast.objects.create(
        office=office, title="Info", template=template, parameters=["KTP"], audience="subscribers"
    )


def run(seconds: int, step: int = 5):
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        for _ in range(seconds // step):
            sending.send_due()
            traveller.shift(dt.timedelta(seconds=step))


def test_a_template_not_approved_is_refused_in_indonesian(office, approved):
    MessageTemplate.objects.filter(pk=approved.pk).update(status="paused")
    approved.refresh_from_db()
    with pytest.raises(sending.BroadcastError, match="“dijeda Meta”"):
        sending.schedule(broadcast(office, approved))


def test_the_tier_caps_unique_recipients_per_24_hours(client, office, approved, settings):
    settings.LOKET_BROADCAST_DAILY_NEW_CONTACTS = 1000  # the setting is only the fallback
    post_account_change(
        client,
        "phone_number_quality_update",
        {
            "display_phone_number": office.whatsapp_display_number,
            "event": "DOWNGRADE",
            "current_limit": "TIER_50",
        },
    )
    subscribers(office, 80)
    sending.schedule(broadcast(office, approved))
    run(60)
    reached = OutboundMessage.objects.filter(kind="template").values("contact").distinct()
    assert reached.count() == 50
    assert sending.daily_limit(office) == 50


def test_a_red_number_or_a_paused_template_holds_the_broadcast_and_it_resumes(
    client, office, approved
):
    subscribers(office, 10)
    b = broadcast(office, approved)
    sending.schedule(b)
    number = {"display_phone_number": office.whatsapp_display_number}
    now = int(timezone.now().timestamp())
    post_account_change(
        client, "phone_number_quality_update", number | {"event": "FLAGGED"}, time=now
    )
    run(20)
    assert not OutboundMessage.objects.exists()
    assert "MERAH" in sending.pace(b)[1]
    post_account_change(
        client, "phone_number_quality_update", number | {"event": "UNFLAGGED"}, time=now + 1
    )
    approved.meta_id = "555"
    approved.save()
    post_account_change(
        client, "message_template_status_update", status_change(approved, "PAUSED"), time=now + 2
    )
    run(20)
    assert not OutboundMessage.objects.exists()
    assert "dijeda Meta" in sending.pace(b)[1]
    post_account_change(
        client,
        "message_template_status_update",
        status_change(approved, "REINSTATED"),
        time=now + 3,
    )
    run(20)
    assert OutboundMessage.objects.filter(kind="template").count() == 10


def test_yellow_quality_halves_the_rate(office, approved, settings):
    settings.LOKET_BROADCAST_RATE_PER_SECOND = 4
    settings.LOKET_BROADCAST_MAX_IN_FLIGHT_SECONDS = 1000  # no outbox here: only the rate counts
    subscribers(office, 200)
    b = broadcast(office, approved)
    sending.schedule(b)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sending.send_due()
        traveller.shift(dt.timedelta(seconds=5))
        full = sending.send_due()
        BusinessNumber.objects.create(office=office, quality_rating="YELLOW")
        traveller.shift(dt.timedelta(seconds=5))
        half = sending.send_due()
    assert (full, half) == (20, 10)
