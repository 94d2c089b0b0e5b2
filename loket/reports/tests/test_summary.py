"""The kepala's daily WhatsApp summary: a template, once a day, from the configured hour."""

import datetime as dt

import time_machine

from loket.reports import summary
from loket.reports.models import SummarySent
from loket.reports.tests.conftest import WITA
from loket.roster.models import Employee
from loket.staff.models import StaffMember
from loket.whatsapp.models import OutboundMessage


def kepala_on_whatsapp(office, personas) -> Employee:
    member = StaffMember.objects.get(user=personas["kepala"])
    return Employee.objects.create(
        office=office,
        name="Kepala Dinas",
        unit="Pimpinan",
        whatsapp="6281299990000",
        staff_member=member,
    )


def test_it_is_sent_once_a_day_from_the_configured_hour(
    world, personas, settings, fake_graph, tasks
):
    settings.LOKET_REPORT_SUMMARY_HOUR = 16
    kepala_on_whatsapp(world, personas)
    assert summary.send_due(dt.datetime(2026, 3, 25, 15, 59, tzinfo=WITA)) == 0
    with time_machine.travel(dt.datetime(2026, 3, 25, 16, 5, tzinfo=WITA), tick=False):
        assert summary.send_due() == 1
        assert summary.send_due() == 0  # the day's claim is taken
        tasks()
    message = OutboundMessage.objects.get(source="reports")
    assert message.kind == "template"
    params = [p["text"] for p in message.body["template"]["components"][0]["parameters"]]
    # today 25 March: T3 online (08:00) ; baseline 24 March: T2, T4 online, 2 booked, 1 walk-in
    assert params[:2] == ["Disdukcapil Kota Balikpapan", "25-03-2026"]
    assert params[2] == "1 (-80%)"
    assert params[3:5] == ["3", "1"]  # open, overdue
    assert params[5].endswith("/staf/laporan/?periode=today")
    assert "Ringkasan harian" in message.preview
    sent = fake_graph.messages()
    assert sent[0]["template"]["name"] == "ringkasan_kepala" and sent[0]["to"] == "6281299990000"
    with time_machine.travel(dt.datetime(2026, 3, 26, 16, 0, tzinfo=WITA), tick=False):
        assert summary.send_due() == 1  # the next day, again once
    assert SummarySent.objects.count() == 2


def test_no_number_no_message(world, personas, settings):
    settings.LOKET_REPORT_SUMMARY_HOUR = 0
    assert summary.send_due() == 0
    assert not OutboundMessage.objects.filter(source="reports").exists()
