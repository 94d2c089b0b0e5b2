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
