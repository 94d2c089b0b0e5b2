"""Staff page dates: dd-mm-yyyy with Indonesian weekday names, whatever the browser says."""

import datetime as dt

from django import template

register = template.Library()

WEEKDAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


@register.filter
def hari(value: dt.date | None) -> str:
    """01-12-2026 → "Selasa, 01-12-2026"."""
    if not isinstance(value, dt.date):
        return ""
    return f"{WEEKDAYS[value.weekday()]}, {value:%d-%m-%Y}"
