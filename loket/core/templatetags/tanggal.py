"""{% load tanggal %}: {{ d|tanggal }} "7 Desember 2026", {{ d|hari_tanggal }} with the weekday,
{{ dt|tanggal_jam }} "7 Desember 2026, 09:30" (loket.core.dates, the active language)."""

from django import template

from loket.core import dates

register = template.Library()


@register.filter
def tanggal(value):
    return dates.long_date(value)


@register.filter
def hari_tanggal(value):
    return dates.long_date(value, weekday=True)


@register.filter
def tanggal_jam(value):
    return dates.long_datetime(value)
