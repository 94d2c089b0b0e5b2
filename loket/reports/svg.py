"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, they print and work offline."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from loket.reports.tables import Table

COLORS = ("#0b6e4f", "#9bc4b2", "#d98c2b", "#6c7a89")
WIDTH = 640
LABEL_WIDTH = 190
ROW = 18


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def chart(table: Table) -> SafeString:
    if not table.rows:
        return mark_safe("")
    if table.chart == "columns":
        return columns(table)
    return bars(table)


def bars(table: Table) -> SafeString:
    """Horizontal bars, one group per row; the first series solid, the others lighter."""
    series = table.series
    top = max((_number(row[i]) for row in table.rows for i in series), default=0) or 1
    group = ROW * len(series) + 6
    height = group * len(table.rows) + 6
    scale = (WIDTH - LABEL_WIDTH - 50) / top
    parts = []
    for r, row in enumerate(table.rows):
        y = 4 + r * group
        label = str(row[0])[:30]
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + ROW - 5}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        for s, index in enumerate(series):
            value = _number(row[index])
            width = max(value * scale, 0)
            yy = y + s * ROW
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{yy + 2}" width="{width:.1f}" height="{ROW - 5}" '
                f'fill="{COLORS[s % len(COLORS)]}"/>'
                f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{yy + ROW - 5}">{_fmt(value)}</text>'
            )
    return _svg(table, height, "".join(parts))


def columns(table: Table) -> SafeString:
    """A series over days (or weeks): columns, stacked when the table says so."""
    n = len(table.rows)
    height, bottom, left = 170, 150, 36
    step = (WIDTH - left - 4) / n
    totals = [
        sum(_number(row[i]) for i in table.series)
        if table.stacked
        else max(_number(row[i]) for i in table.series)
        for row in table.rows
    ]
    top = max(totals, default=0) or 1
    scale = (bottom - 10) / top
    parts = [
        f'<line x1="{left}" y1="{bottom}" x2="{WIDTH}" y2="{bottom}" stroke="#889"/>',
        f'<text x="{left - 4}" y="14" text-anchor="end">{_fmt(top)}</text>',
        f'<text x="{left - 4}" y="{bottom}" text-anchor="end">0</text>',
    ]
    width = max(step * (0.85 if table.stacked else 0.85 / len(table.series)), 0.5)
    for r, row in enumerate(table.rows):
        x, base = left + r * step, bottom
        for s, index in enumerate(table.series):
            value = _number(row[index]) * scale
            if table.stacked:
                base -= value
                y, xx = base, x
            else:
                y, xx = bottom - value, x + s * width
            if value > 0:
                parts.append(
                    f'<rect x="{xx:.1f}" y="{y:.1f}" width="{width:.1f}" height="{value:.1f}" '
                    f'fill="{COLORS[s % len(COLORS)]}"/>'
                )
        if n <= 16 or r % max(n // 8, 1) == 0:
            parts.append(f'<text x="{x:.1f}" y="{bottom + 14}">{escape(str(row[0])[:10])}</text>')
    legend = "".join(
        f'<rect x="{left + s * 150}" y="{height - 8}" width="10" height="8" '
        f'fill="{COLORS[s % len(COLORS)]}"/><text x="{left + s * 150 + 14}" y="{height}">'
        f"{escape(table.columns[i])}</text>"
        for s, i in enumerate(table.series)
    )
    return _svg(table, height + 4, "".join(parts) + legend)


def _svg(table: Table, height: int, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text inside is escaped above
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(table.title)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="11" font-family="sans-serif"><title>{escape(table.title)}</title>{body}</svg>'
    )
