"""A report table: what the dashboard shows, the chart draws and the XLSX export writes."""

from dataclasses import dataclass, field


@dataclass
class Table:
    key: str  # used in export URLs: letters, digits and dashes
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # the chart: "bars" (horizontal, label column 0) or "columns" (a series over days)
    chart: str = "bars"
    series: tuple[int, ...] = (1,)  # which columns the chart draws
    stacked: bool = False
    note: str = ""

    def column(self, index: int) -> list:
        return [row[index] for row in self.rows]


@dataclass
class Section:
    key: str
    title: str
    headline: list[tuple[str, object]] = field(default_factory=list)  # (label, value)
    tables: list[Table] = field(default_factory=list)


def change(now: float | int | None, before: float | int | None) -> float | None:
    """Relative change in percent, None when there is nothing to compare with."""
    if not before or now is None:
        return None
    return round((now - before) * 100.0 / before, 1)


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (share 0.5 = median, 0.9 = p90) of unsorted values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil(n * share), at least 1
    return ordered[int(rank) - 1]


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600.0, 1)


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 1)


def share(part: int, whole: int) -> float | None:
    return round(part * 100.0 / whole, 1) if whole else None
