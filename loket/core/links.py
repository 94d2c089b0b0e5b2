"""Personal links sent to citizens: signed, expiring, revocable tokens, no guessable ids.

A token names one contact and one service (and optionally a purpose and a row); the pages behind
it show nothing of the contact's other services. Each token carries the contact's link
generation: `revoke_links()` bumps it, and every token made before is refused ("revoked").
"""

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

from loket.core import memo

SALT = "loket.personal-link"


@dataclass(frozen=True)
class LinkClaims:
    contact_id: int
    service_code: str
    extra: dict
    expires_at: dt.datetime


class LinkError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired", "revoked" or "invalid"


def current_generation(contact_id: int) -> int:
    return memo.remember(("link-generation", contact_id), lambda: _generation(contact_id))


def _generation(contact_id: int) -> int:
    from loket.core.models import LinkGeneration

    row = LinkGeneration.objects.filter(contact_id=contact_id).values("generation").first()
    return row["generation"] if row else 0


def prefetch_generations(contact_ids: set[int], known_new: set[int] = frozenset()) -> None:
    """Inside `memo.memoized()`: the link generations of many contacts, in one query
    (`known_new`: contacts created in this transaction, none revoked yet: no query)."""
    from loket.core.models import LinkGeneration

    if not memo.active():
        return
    found = {}
    if contact_ids:
        rows = LinkGeneration.objects.filter(contact_id__in=contact_ids)
        found = dict(rows.values_list("contact_id", "generation"))
    memo.prefill({("link-generation", c): found.get(c, 0) for c in contact_ids | known_new})


def revoke_links(contact_id: int) -> int:
    """Makes every personal link of the contact made until now invalid; the new generation."""
    from django.db.models import F
    from django.utils import timezone

    from loket.core.models import LinkGeneration

    row, _ = LinkGeneration.objects.get_or_create(contact_id=contact_id)
    LinkGeneration.objects.filter(pk=row.pk).update(
        generation=F("generation") + 1, revoked_at=timezone.now()
    )
    memo.forget(("link-generation", contact_id))
    return current_generation(contact_id)


def make_token(contact_id: int, service_code: str, **extra) -> str:
    claims = {"c": contact_id, "s": service_code, **extra}
    generation = current_generation(contact_id)
    if generation:
        claims["g"] = generation
    return signing.dumps(claims, salt=SALT, compress=True)


def read_token(token: str, max_age: timedelta | None = None) -> LinkClaims:
    max_age = max_age or timedelta(days=settings.LOKET_LINK_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except signing.BadSignature:
        raise LinkError("invalid") from None
    if not isinstance(data, dict) or "c" not in data or "s" not in data:
        raise LinkError("invalid")
    try:
        contact_id = int(data["c"])
    except (TypeError, ValueError):
        raise LinkError("invalid") from None
    if data.get("g", 0) != current_generation(contact_id):
        raise LinkError("revoked")
    extra = {k: v for k, v in data.items() if k not in ("c", "s", "g")}
    issued = dt.datetime.fromtimestamp(signing.b62_decode(token.split(":")[-2]), tz=dt.UTC)
    return LinkClaims(
        contact_id=contact_id,
        service_code=str(data["s"]),
        extra=extra,
        expires_at=issued + max_age,
    )


def absolute(path: str) -> str:
    return f"{settings.LOKET_PUBLIC_URL}{path}"
