"""Dates as citizens read them: one helper for pages, PDFs and WhatsApp messages.

``long_date(d)`` gives "7 Desember 2026", ``long_date(d, weekday=True)`` "Senin, 7 Desember 2026"
in the active language (Indonesian unless a citizen chose English); ``in_indonesian`` forces
Indonesian for texts that exist only in Indonesian (notifications, PDFs).
"""

import datetime as dt

from django.utils import dateformat, timezone, translation


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value: dt.date | dt.datetime | None, weekday: bool = False) -> str:
    if value is None:
        return ""
    return dateformat.format(_local(value), "l, j F Y" if weekday else "j F Y")


def long_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return dateformat.format(_local(value), "j F Y, H:i")


def in_indonesian(value: dt.date | dt.datetime | None, weekday: bool = False) -> str:
    with translation.override("id"):
        return long_date(value, weekday=weekday)
