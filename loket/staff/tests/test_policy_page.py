"""The head of office changes the policy, hours and closures on /staf/kebijakan/."""

import datetime as dt

import pytest
from django.utils import timezone

from loket.catalog import policy_editor as editor
from loket.catalog.models import Mode, OfficeClosure, PolicyChange, Service, ServicePolicy
from loket.catalog.policy import policy_in_force, service_status
from loket.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def draft_form(policy, **changes) -> dict:
    """The draft page's fields as a browser would send them, with `changes` applied."""
    data = {
        "name": policy.name,
        "starts_at": timezone.localtime(policy.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(policy.ends_at).strftime("%Y-%m-%dT%H:%M")
        if policy.ends_at
        else "",
        "message": policy.message,
        "legal_basis": policy.legal_basis,
    }
    rules = {r.service_id: r for r in policy.rules.all()}
    for service in Service.objects.all():
        rule = rules.get(service.pk)
        data[f"mode_{service.pk}"] = rule.mode if rule else Mode.NORMAL
        data[f"purposes_{service.pk}"] = "\n".join(rule.purposes) if rule else ""
        data[f"message_{service.pk}"] = rule.message if rule else ""
        data[f"alternative_{service.pk}"] = rule.alternative if rule else ""
    data.update(changes)
    return data


def test_only_kepala_and_admin_open_the_policy_page(client, personas):
    for name, status in [("sari", 403), ("dewi", 403), ("kepala", 200), ("admin", 200)]:
        client.force_login(personas[name])
        assert client.get("/staf/kebijakan/").status_code == status, name
    client.force_login(personas["kepala"])
    assert "Kebijakan layanan" in client.get("/staf/").content.decode()


def test_kepala_reopens_ktp_rekam_previews_the_bot_answer_and_publishes(client, office, personas):
    ktp = Service.objects.get(code="ktp-rekam")
    old = policy_in_force(office)
    assert service_status(office, ktp).mode == Mode.SUSPENDED
    client.force_login(personas["kepala"])
    response = client.post("/staf/kebijakan/draf-baru/")
    draft = ServicePolicy.objects.get(is_draft=True)
    assert response["Location"] == f"/staf/kebijakan/{draft.pk}/"
    assert draft.rules.count() == old.rules.count()  # a copy of the policy in force

    form = draft_form(
        draft,
        **{
            f"mode_{ktp.pk}": Mode.LIMITED,
            f"purposes_{ktp.pk}": "Pemilih pemula\nPendaftaran TNI/Polri",
            f"message_{ktp.pk}": "Perekaman dibuka terbatas mulai hari ini.",
        },
    )
    client.post(f"/staf/kebijakan/{draft.pk}/", form)
    assert service_status(office, ktp).mode == Mode.SUSPENDED  # a draft changes nothing yet
    page = client.get(f"/staf/kebijakan/{draft.pk}/").content.decode()
    # the preview is the bot's own answer, WhatsApp formatting shown
    assert "Di loket hanya untuk keperluan: Pemilih pemula, Pendaftaran TNI/Polri." in page
    assert f"<strong>{ktp.name}</strong>" in page

    client.post(f"/staf/kebijakan/{draft.pk}/terbitkan/")
    status = service_status(office, ktp)
    assert status.mode == Mode.LIMITED and status.purposes[0] == "Pemilih pemula"
    assert policy_in_force(office).pk == draft.pk
    old.refresh_from_db()
    assert old.ends_at <= timezone.now() + dt.timedelta(minutes=1)

    history = client.get("/staf/kebijakan/").content.decode()
    assert "Diterbitkan" in history and "Kepala" in history
    assert f"{ktp.name}: Dihentikan sementara → Tatap muka terbatas" in history
    assert AuditEntry.objects.filter(action="policy.published", actor=personas["kepala"]).exists()


def test_a_limited_service_needs_its_purposes_and_until_comes_after_from(client, office, personas):
    client.force_login(personas["admin"])
    client.post("/staf/kebijakan/draf-baru/")
    draft = ServicePolicy.objects.get(is_draft=True)
    kk = Service.objects.get(code="kk-baru")
    html = client.post(
        f"/staf/kebijakan/{draft.pk}/", draft_form(draft, **{f"mode_{kk.pk}": Mode.LIMITED})
    ).content.decode()
    assert "tuliskan keperluan yang tetap dilayani" in html
    html = client.post(
        f"/staf/kebijakan/{draft.pk}/",
        draft_form(draft, starts_at="2026-12-10T08:00", ends_at="2026-12-01T08:00"),
    ).content.decode()
    assert "Tanggal selesai harus sesudah tanggal mulai." in html
    html = client.post(f"/staf/kebijakan/{draft.pk}/", draft_form(draft, name="")).content
    assert "Wajib diisi." in html.decode()


def test_ending_the_policy_needs_a_confirmation_and_everything_is_normal_again(
    client, office, personas
):
    policy = policy_in_force(office)
    client.force_login(personas["kepala"])
    client.post(f"/staf/kebijakan/{policy.pk}/akhiri/")
    assert policy_in_force(office) == policy
    client.post(f"/staf/kebijakan/{policy.pk}/akhiri/", {"confirm": "1"})
    assert policy_in_force(office) is None
    assert PolicyChange.objects.filter(action="ended", actor=personas["kepala"]).exists()


def test_hours_and_closures_are_changed_with_history(client, office, personas):
    client.force_login(personas["kepala"])
    form = {}
    for day in range(7):
        hours = office.hours.filter(weekday=day).first()
        for part in ("opens", "closes", "break_start", "break_end"):
            value = getattr(hours, part) if hours else None
            form[f"{part}_{day}"] = value.strftime("%H:%M") if value else ""
    form["opens_5"], form["closes_5"] = "08:00", "12:00"  # Saturday mornings
    client.post("/staf/kebijakan/jam/", form)
    saturday = office.hours.get(weekday=5)
    assert saturday.opens == dt.time(8) and saturday.closes == dt.time(12)
    form["closes_4"] = "07:00"
    html = client.post("/staf/kebijakan/jam/", form).content.decode()
    assert "Jumat: jam tutup harus sesudah jam buka." in html

    day = timezone.localdate() + dt.timedelta(days=3)
    client.post("/staf/kebijakan/tutup/", {"date": day.isoformat(), "reason": "Banjir"})
    closure = OfficeClosure.objects.get(office=office, date=day)
    assert office.hours_on(day) is None
    client.post(f"/staf/kebijakan/tutup/{closure.pk}/hapus/")
    assert not OfficeClosure.objects.filter(pk=closure.pk).exists()
    actions = list(PolicyChange.objects.values_list("action", flat=True))
    assert actions == ["closure_removed", "closure_added", "hours"]
    page = client.get("/staf/kebijakan/").content.decode()
    assert "Sabtu: tutup → 08:00–12:00" in page and f"{day:%d-%m-%Y}: Banjir" in page


def test_a_published_policy_cannot_be_edited_or_discarded(office, personas):
    policy = policy_in_force(office)
    with pytest.raises(editor.PolicyError):
        editor.discard(policy, personas["kepala"])
    draft = editor.start_draft(office, personas["kepala"])
    editor.publish(draft, personas["kepala"])
    with pytest.raises(editor.PolicyError, match="sudah diterbitkan"):
        editor.publish(draft, personas["kepala"])
