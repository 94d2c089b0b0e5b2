"""Personal links sent to citizens: signed, expiring tokens, no guessable ids."""

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

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
        self.reason = reason  # "expired" or "invalid"


def make_token(contact_id: int, service_code: str, **extra) -> str:
    return signing.dumps({"c": contact_id, "s": service_code, **extra}, salt=SALT, compress=True)


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
    extra = {k: v for k, v in data.items() if k not in ("c", "s")}
    issued = dt.datetime.fromtimestamp(signing.b62_decode(token.split(":")[-2]), tz=dt.UTC)
    return LinkClaims(
        contact_id=int(data["c"]),
        service_code=str(data["s"]),
        extra=extra,
        expires_at=issued + max_age,
    )


def absolute(path: str) -> str:
    return f"{settings.LOKET_PUBLIC_URL}{path}"
