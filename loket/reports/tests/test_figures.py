"""The dashboard's numbers against the hand-counted world of conftest.py."""

import datetime as dt

from loket.reports import backlog, chat, dashboard, delivery, demand, desk, periods
from loket.reports.periods import Period
from loket.reports.tables import percentile

PERIOD = Period(dt.date(2026, 3, 23), dt.date(2026, 3, 25))
BASELINE = Period(dt.date(2026, 3, 16), dt.date(2026, 3, 18))


def rows_by_label(table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


def test_it_counts_applications_by_channel_against_the_baseline(world):
    now, before = demand.by_service(world, PERIOD), demand.by_service(world, BASELINE)
    channels = rows_by_label(demand.channel_table(now, before))
    assert channels["WhatsApp (daring)"] == [4, 1, 300.0]
    assert channels["Janji temu"] == [2, 0, None]  # the cancelled booking does not count
    assert channels["Datang langsung"] == [1, 0, None]


def test_it_counts_applications_by_service(world):
    now, before = demand.by_service(world, PERIOD), demand.by_service(world, BASELINE)
    services = rows_by_label(demand.service_table(world, now, before))
    # online, booking, walk-in, total, baseline, change
    akta = next(v for k, v in services.items() if "elahiran" in k)
    assert akta == [3, 0, 0, 3, 1, 200.0]
    legalisir = next(v for k, v in services.items() if "egalisir" in k or "egalisasi" in k)
    assert legalisir == [0, 2, 1, 3, 0, None]


def test_it_counts_online_applications_by_kecamatan_and_kelurahan(world, villages):
    kecamatan, kelurahan = demand.region_tables(world, PERIOD, BASELINE)
    by_kecamatan = rows_by_label(kecamatan)
    assert by_kecamatan[villages["kec_a"].name] == [2, 1, 100.0]  # T1, T2 against T5
    assert by_kecamatan[villages["kec_b"].name] == [2, 0, None]  # T3, T4
    by_kelurahan = rows_by_label(kelurahan)
    assert by_kelurahan[villages["a"].name] == [villages["kec_a"].name, 2, 1, 100.0]


def test_it_shows_the_backlog_overdue_first_and_the_time_to_finish(world, frozen):
    tables, counts = backlog.backlog_tables(world, frozen)
    # open: T1, T3, T4 (submitted); T2 rejected, the rest finished
    assert counts == {"open": 3, "overdue": 1}
    overdue = tables[2]
    assert [row[0] for row in overdue.rows] == ["T4"]
    table, times = backlog.durations(world, PERIOD)
    assert times == {"finished": 1, "median": 30.0, "p90": 30.0, "in_time": 100.0}
    table, times = backlog.durations(world, Period(dt.date(2026, 3, 20), dt.date(2026, 3, 25)))
    assert (times["finished"], times["median"], times["p90"]) == (2, 10.0, 30.0)


def test_it_lists_corrections_and_rejections_with_their_reasons(world):
    tables, counts = backlog.reasons(world, PERIOD)
    assert counts == {"corrections": 1, "rejections": 1}
    assert tables[0].rows == [["Foto KK buram", 1]]
    assert tables[1].rows == [["Ganda", 1]]


def test_it_counts_what_the_bot_did(world):
    table, counts = chat.messages(world, PERIOD)
    assert counts == {"in": 3, "out": 4}
    assert rows_by_label(table)["Pesan keluar: Bot"] == [2]
    tables, outcome = chat.turns(world, PERIOD)
    assert outcome == {"answered": 2, "asked_back": 1, "handed": 0, "not_understood": 33.3}
    assert tables[1].rows[0][1] == 2  # the top intent: akta-lahir twice
    inbox, waiting = chat.inbox(world, PERIOD)
    assert inbox.rows[0][1:] == [1, 5.0, 5.0] and waiting == {"reply_median": 8.0}


def test_it_counts_bookings_against_capacity_no_shows_and_the_queue(world):
    table, counts = desk.capacity(world, PERIOD)
    assert counts == {"capacity": 10, "booked": 2, "no_show": 1, "cancelled": 1}
    assert table.rows[0][1:] == [10, 2, 1, 30.0, 1]  # capacity, booked, walk-in, % used, no-show
    away, n = desk.turned_away(world, PERIOD)
    assert n == 1
    queue, figures = desk.waiting(world, PERIOD)
    assert rows_by_label(queue)["Dengan janji"] == [1, 4.0, 4.0]
    assert rows_by_label(queue)["Datang langsung"] == [1, 10.0, 10.0]


def test_it_counts_whatsapp_delivery_failures_and_cost_categories(world):
    section = delivery.section(world, PERIOD, BASELINE)
    status, failures, costs = section.tables
    assert rows_by_label(status)["Terkirim (sent/delivered/read)"] == [3]
    assert rows_by_label(status)["Sampai di ponsel (delivered/read)"] == [2]
    assert failures.rows == [["131026", "Message undeliverable", 1]]
    categories = rows_by_label(costs)
    assert categories["Layanan (jendela 24 jam, gratis)"] == [3]
    assert categories["Utilitas (template)"] == [1]


def test_another_offices_data_never_counts(world, other_office):
    now = demand.totals(demand.by_service(world, PERIOD))
    assert now["online"] == 4
    sections = dashboard.build(other_office, PERIOD, BASELINE)
    assert sections[0].headline[0] == ("Permohonan (semua kanal)", 2)


def test_the_default_baseline_is_the_same_length_before_the_emergency_policy(world):
    # the demo policy starts on 25 March: "today" is compared with 24 March
    choice = periods.choose(world, {"periode": "today"})
    assert choice.period == Period(dt.date(2026, 3, 25), dt.date(2026, 3, 25))
    assert choice.baseline == Period(dt.date(2026, 3, 24), dt.date(2026, 3, 24))
    # a week in April after the policy began: the seven days before 25 March
    later = periods.choose(
        world, {"periode": "custom", "dari": "2026-04-06", "sampai": "2026-04-12"}
    )
    assert later.baseline == Period(dt.date(2026, 3, 18), dt.date(2026, 3, 24))
    # before any policy: the span just before
    early = periods.choose(
        world, {"periode": "custom", "dari": "2026-01-10", "sampai": "2026-01-11"}
    )
    assert early.baseline == Period(dt.date(2026, 1, 8), dt.date(2026, 1, 9))


def test_bad_dates_fall_back_with_a_message(world):
    choice = periods.choose(world, {"periode": "custom", "dari": "kemarin", "sampai": "2026-13-01"})
    assert choice.kind == "month" and "tidak valid" in choice.error


def test_percentiles_are_nearest_rank():
    assert percentile([], 0.5) is None
    assert percentile([5, 1, 3], 0.5) == 3
    assert percentile(list(range(1, 11)), 0.9) == 9
