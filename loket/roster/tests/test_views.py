"""The staff pages of the piket, through the test client with the personas."""

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from loket.roster import skills
from loket.roster.models import Assignment, Attendance, Employee, RosterPeriod, SwapRequest
from loket.roster.planning import publish, solve_period
from loket.roster.tests.helpers import harmless_swap

PASSWORD = "rahasia-123"


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def linked(personas, employees):
    """Sari (operator) is Dian in the directory; Dewi (verifikator) is Andi, a supervisor."""
    dian, andi = employees["Dian"], employees["Andi"]
    dian.staff_member = personas["sari"].staff_member
    dian.save()
    andi.staff_member = personas["dewi"].staff_member
    andi.save()
    return employees


def test_admin_creates_solves_and_publishes_a_period(personas, employees, fake_graph, tasks):
    admin = login("admin")
    data = {
        "name": "Piket Maret 2020",
        "start": "2020-03-16",
        "end": "2020-03-29",
        "office_every": 2,
        "max_in_office": 6,
        "supervisor_per_unit": "on",
        "min_perekaman": 1,
        "min_capil": 1,
    }
    response = admin.post("/staf/piket/periode/baru/", data)
    period = RosterPeriod.objects.get()
    assert response.status_code == 302
    assert period.min_per_skill == {"perekaman": 1, "capil": 1}

    admin.post(f"/staf/piket/periode/{period.pk}/susun/")
    page = admin.get(f"/staf/piket/?periode={period.pk}").content.decode()
    assert "semua aturan terpenuhi" in page
    assert "Andi" in page and "libur" in page

    admin.post(f"/staf/piket/periode/{period.pk}/umumkan/", {"through": ""})
    tasks()
    sent = fake_graph.messages()
    assert len(sent) == len(employees)
    assert {m["type"] for m in sent} == {"template"}


def test_an_impossible_period_is_explained_on_the_page(personas, period, employees):
    period.min_per_skill["perekaman"] = 5
    period.save()
    admin = login("admin")

    admin.post(f"/staf/piket/periode/{period.pk}/susun/")
    page = admin.get(f"/staf/piket/?periode={period.pk}").content.decode()

    assert "Aturan yang tidak terpenuhi" in page
    assert "Senin 16-03-2020: kurang" in page and "Perekaman KTP-el" in page
    assert "OPTIMAL" not in page and "aturan tidak terpenuhi (lihat daftar di bawah)" in page


def test_the_calendar_names_skills_and_warns_about_a_minimum_nobody_can_meet(
    personas, period, employees
):
    Employee.objects.filter(name__in=["Hadi", "Lina"]).update(active=False)  # the legalisir pair
    admin = login("admin")
    page = admin.get(f"/staf/piket/?periode={period.pk}").content.decode()
    assert "Belum ada pegawai dengan keahlian ini" in page
    assert "---------" not in page and "Employee" not in page and ">Pegawai" in page
    admin.post(f"/staf/piket/periode/{period.pk}/susun/")
    page = admin.get(f"/staf/piket/?periode={period.pk}").content.decode()
    assert "Perekaman KTP-el 1" in page or "Perekaman KTP-el 2" in page
    assert " cs 1" not in page and ">capil" not in page and "capil 1" not in page
    nobody = next(
        code for code, label in skills.CHOICES if code not in skills.people_with(period.office)
    )
    form = {
        "name": "April",
        "start": "2020-04-01",
        "end": "2020-04-10",
        "office_every": 2,
        "max_in_office": "",
        "supervisor_per_unit": "",
        f"min_{nobody}": 1,
    }
    html = admin.post("/staf/piket/periode/baru/", form).content.decode()
    assert f"Hanya 0 pegawai punya keahlian {skills.LABELS[nobody]}" in html


def test_only_admin_may_solve(personas, period):
    assert login("sari").post(f"/staf/piket/periode/{period.pk}/susun/").status_code == 403
    assert login("kepala").get(f"/staf/piket/?periode={period.pk}").status_code == 200


def test_print_and_xlsx_export(personas, period, employees):
    solve_period(period)
    kepala = login("kepala")

    printed = kepala.get(f"/staf/piket/periode/{period.pk}/cetak/").content.decode()
    xlsx = kepala.get(f"/staf/piket/periode/{period.pk}/jadwal.xlsx")

    assert "Gita" in printed and "K = di kantor" in printed
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Nama", "NIP", "Bidang", "16/03"]
    letters = {c.value for row in sheet.iter_rows(min_row=2, max_row=13) for c in row[3:]}
    assert letters == {"K", "R", "-"}


def test_my_schedule_shows_published_days_and_takes_attendance(personas, period, linked):
    solve_period(period)
    publish(period)
    dian = linked["Dian"]
    office_day = Assignment.objects.filter(employee=dian, mode="office").first().date
    home_day = Assignment.objects.filter(employee=dian, mode="wfh").first().date
    sari = login("sari")

    with time_machine.travel(
        dt.datetime.combine(office_day, dt.time(8, 0)).astimezone(), tick=False
    ):
        page = sari.get("/staf/piket/saya/").content.decode()
        assert "Absen datang" in page
        sari.post("/staf/piket/saya/absen/", {"action": "in"})
        missing = login("dewi").get(f"/staf/piket/kehadiran/?tanggal={office_day}")
    assert Attendance.objects.get(employee=dian, date=office_day).check_in is not None
    assert "Dian" not in missing.content.decode()

    with time_machine.travel(dt.datetime.combine(home_day, dt.time(9, 0)).astimezone(), tick=False):
        before = login("dewi").get(f"/staf/piket/kehadiran/?tanggal={home_day}").content.decode()
        sari.post("/staf/piket/saya/absen/", {"action": "in"})
        sari.post("/staf/piket/saya/absen/", {"action": "report", "text": "Verifikasi 12 berkas"})
    assert "belum mengirim laporan WFH" in before and "Dian" in before
    record = Attendance.objects.get(employee=dian, date=home_day)
    assert record.check_in is None and record.wfh_report == "Verifikasi 12 berkas"


def test_staff_request_a_swap_and_a_supervisor_decides(personas, period, employees):
    period.max_in_office = 4
    period.save()
    solve_period(period)
    publish(period)
    requester, partner, day = harmless_swap(period)
    supervisor = next(
        e for e in employees.values()
        if e.is_supervisor and e.unit == requester.unit and e not in (requester, partner)
    )  # fmt: skip
    requester.staff_member = personas["sari"].staff_member
    requester.save()
    supervisor.staff_member = personas["dewi"].staff_member
    supervisor.save()

    response = login("sari").post(
        "/staf/piket/saya/",
        {"partner": partner.pk, "give_date": day.isoformat(), "reason": "anak sakit"},
    )
    assert response.status_code == 302
    swap = SwapRequest.objects.get()
    assert login("sari").post(f"/staf/piket/tukar/{swap.pk}/putuskan/").status_code == 403

    dewi = login("dewi")
    assert "anak sakit" in dewi.get("/staf/piket/tukar/").content.decode()
    dewi.post(f"/staf/piket/tukar/{swap.pk}/putuskan/", {"decision": "approve"})

    swap.refresh_from_db()
    assert swap.status == "approved"
    assert Assignment.objects.get(employee=partner, date=day).mode == "office"


def test_a_swap_request_for_a_home_day_is_refused_with_a_reason(personas, period, linked):
    solve_period(period)
    publish(period)
    home = Assignment.objects.filter(employee=linked["Dian"], mode="wfh").first().date

    response = login("sari").post(
        "/staf/piket/saya/", {"partner": linked["Andi"].pk, "give_date": home.isoformat()}
    )

    assert response.status_code == 400
    assert "Anda tidak piket di kantor" in response.content.decode()
    assert not SwapRequest.objects.exists()


def test_the_directory_imports_and_lists_bad_rows(personas, office):
    admin = login("admin")
    template = admin.get("/staf/piket/pegawai/templat.xlsx").content

    ok = admin.post("/staf/piket/pegawai/", {"file": io.BytesIO(template)})
    bad = admin.post("/staf/piket/pegawai/", {"file": io.BytesIO(b"bukan excel")})

    assert ok.status_code == 302
    assert "Sari Wulandari" in admin.get("/staf/piket/pegawai/").content.decode()
    assert bad.status_code == 400
    assert "Berkas bukan file Excel" in bad.content.decode()
    assert login("sari").post("/staf/piket/pegawai/", {}).status_code == 403


def test_the_navigation_links_the_piket(personas):
    page = login("sari").get("/staf/").content.decode()
    assert 'href="/staf/piket/"' in page and 'href="/staf/piket/saya/"' in page


def test_admin_records_leave_and_the_resolve_keeps_it(personas, period, employees):
    solve_period(period)
    admin = login("admin")
    dian = employees["Dian"]

    response = admin.post(
        "/staf/piket/cuti/",
        {"employee": dian.pk, "kind": "sakit", "start": "2020-03-17", "end": "2020-03-18",
         "next": "https://evil.example/"},
    )  # fmt: skip
    admin.post(f"/staf/piket/periode/{period.pk}/susun/")

    assert response.status_code == 302 and response["Location"] == "/staf/piket/"
    modes = set(
        Assignment.objects.filter(
            employee=dian, date__in=[dt.date(2020, 3, 17), dt.date(2020, 3, 18)]
        ).values_list("mode", flat=True)
    )
    assert modes == {"leave"}
    bad = admin.post(
        "/staf/piket/cuti/",
        {"employee": dian.pk, "kind": "cuti", "start": "2020-03-20", "end": "2020-03-19"},
        follow=True,
    )
    assert "Cuti tidak dicatat" in bad.content.decode()


def test_periods_of_an_office_do_not_overlap(personas, period):
    response = login("admin").post(
        "/staf/piket/periode/baru/",
        {"name": "Tumpuk", "start": "2020-03-20", "end": "2020-04-05", "office_every": 2},
    )
    assert response.status_code == 400
    assert "bertumpuk" in response.content.decode()
    assert RosterPeriod.objects.count() == 1
