"""The head of office's dashboard: every section's figures for one office, or offices side by
side for the province view. Read-only over the other apps' data."""

from loket.catalog.models import Office
from loket.reports import backlog, chat, delivery, demand, desk, staffing
from loket.reports.periods import Period
from loket.reports.tables import Section, Table

SECTIONS = (demand, backlog, chat, desk, staffing, delivery)


def build(office: Office, period: Period, baseline: Period) -> list[Section]:
    return [module.section(office, period, baseline) for module in SECTIONS]


def find_table(sections: list[Section], key: str) -> Table | None:
    return next((t for s in sections for t in s.tables if t.key == key), None)


def all_tables(sections: list[Section]) -> list[Table]:
    """Every table, the headline figures of each section first."""
    summary = Table(
        "ringkasan",
        "Ringkasan",
        ["Bagian", "Angka", "Nilai"],
        [[s.title, label, value] for s in sections for label, value in s.headline],
        chart="none",
    )
    return [summary, *(t for s in sections for t in s.tables)]


def province_offices(office: Office) -> list[Office]:
    """Every office of the installation in the same province (first part of the region code)."""
    province = office.region_code.split(".")[0]
    return [o for o in Office.objects.order_by("name") if o.region_code.split(".")[0] == province]


def side_by_side(offices: list[Office], choose) -> tuple[list[str], list[list], list[list]]:
    """Headline figures and applications per service, one column per office.

    `choose(office)` gives that office's periods (each office compares with its own policy).
    """
    headlines: dict[tuple[str, str], list] = {}
    services: dict[str, list] = {}
    for i, office in enumerate(offices):
        choice = choose(office)
        sections = build(office, choice.period, choice.baseline)
        for section in sections:
            for label, value in section.headline:
                headlines.setdefault((section.title, label), [None] * len(offices))[i] = value
        for row in find_table(sections, "layanan").rows:
            services.setdefault(row[0], [0] * len(offices))[i] = row[4]
    header = [o.name for o in offices]
    headline_rows = [[title, label, *values] for (title, label), values in headlines.items()]
    service_rows = sorted(([name, *v] for name, v in services.items()), key=lambda r: -sum(r[1:]))
    return header, headline_rows, service_rows
