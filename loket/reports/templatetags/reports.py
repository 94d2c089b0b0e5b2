from django import template
from django.utils.safestring import SafeString

from loket.reports import svg
from loket.reports.tables import Table

register = template.Library()


@register.filter
def cell(value) -> str:
    """A figure as people read it: 1.234, 12,5; None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        text = f"{value:,.1f}"
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return str(value)


@register.filter
def numeric(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.simple_tag
def chart(table: Table) -> SafeString:
    return svg.chart(table) if table.chart in ("bars", "columns") else SafeString("")
