"""`loket check --deploy`: every office that receives WhatsApp messages names its number."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database, deploy=True)
def offices_have_numbers(app_configs, **kwargs):
    from loket.catalog.models import Office

    try:
        offices = list(Office.objects.order_by("pk").values_list("name", "phone_number_id"))
    except DatabaseError:
        return [
            Warning(
                "kantor tidak bisa dibaca (sudah loket migrate?) — "
                "offices cannot be read (did loket migrate run?)",
                hint="docs/deploy.md",
                id="loket.W120",
            )
        ]
    if not offices:
        return [
            Warning(
                "belum ada kantor: tambahkan di /admin/ — no office yet: add one in /admin/",
                hint="docs/deploy.md",
                id="loket.W121",
            )
        ]
    return [
        Warning(
            f"kantor {name!r} belum punya WhatsApp phone number id: pesan ke nomornya tidak "
            f"dikenali — office {name!r} has no WhatsApp phone number id: messages to its "
            "number are not recognised",
            hint="Admin → Kantor → WhatsApp phone number id (docs/deploy.md)",
            id="loket.W119",
        )
        for name, number in offices
        if not number
    ]
