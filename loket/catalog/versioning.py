"""The catalog version: changed in the same transaction as every saved change it covers.

Covered: Service, OfficeService, ServicePolicy, PolicyRule (save and delete, through the ORM's
signals; a queryset `.update()` bypasses them, and the catalog's own code never uses one on
these models). Readers: `catalog.policy`'s process cache.
"""

import secrets

from django.db import connection
from django.db.models.signals import post_delete, post_save

ROW = 1


def current() -> int:
    """The version now (one primary-key read; 0 before the first change)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM catalog_catalogversion WHERE id = %s", [ROW])
        row = cursor.fetchone()
    return row[0] if row else 0


def bump(**kwargs) -> None:
    """A new random number, not +1: a rolled-back change or a restored backup can then never
    bring back a number a process has cached other contents under."""
    from loket.catalog.models import CatalogVersion

    value = secrets.randbits(62)
    if not CatalogVersion.objects.filter(pk=ROW).update(value=value):
        CatalogVersion.objects.update_or_create(pk=ROW, defaults={"value": value})


def connect() -> None:
    from loket.catalog.models import OfficeService, PolicyRule, Service, ServicePolicy

    for model in (Service, OfficeService, ServicePolicy, PolicyRule):
        post_save.connect(bump, sender=model, dispatch_uid=f"catalog-version-save-{model.__name__}")
        post_delete.connect(
            bump, sender=model, dispatch_uid=f"catalog-version-delete-{model.__name__}"
        )
