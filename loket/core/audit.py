"""The audit trail: one function to write it, used by every app that changes or reveals data."""

from typing import Any

from django.db import models

from loket.core.clientip import client_ip
from loket.core.models import AuditEntry

__all__ = ["client_ip", "log_action"]


def log_action(
    action: str,
    obj: models.Model,
    *,
    actor=None,
    request=None,
    **detail: Any,
) -> AuditEntry:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEntry.objects.create(
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        actor=actor if actor is not None and actor.is_authenticated else None,
        detail=detail,
        ip_address=client_ip(request),
    )


READ_DEDUP_MINUTES = 10


def log_read(
    action: str,
    obj: models.Model | type[models.Model],
    *,
    request=None,
    actor=None,
    **detail: Any,
) -> AuditEntry | None:
    """Records that staff read personal data (`obj` a row, or a model class for a search).

    A page polled by htmx reads the same row again and again: one entry per actor, action and
    row every READ_DEDUP_MINUTES is enough to answer "who saw it, when". Returns the new entry,
    or None when a recent one already says so.
    """
    from datetime import timedelta

    from django.utils import timezone

    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    object_type = obj._meta.label_lower
    object_id = "" if isinstance(obj, type) else str(obj.pk)
    if object_id and actor is not None:
        recent = AuditEntry.objects.filter(
            object_type=object_type,
            object_id=object_id,
            action=action,
            actor=actor,
            created_at__gte=timezone.now() - timedelta(minutes=READ_DEDUP_MINUTES),
        )
        if recent.exists():
            return None
    return AuditEntry.objects.create(
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        detail=detail,
        ip_address=client_ip(request),
    )
