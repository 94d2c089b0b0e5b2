import hashlib
import hmac


def sign(body: bytes, app_secret: str) -> str:
    """The X-Hub-Signature-256 header Meta sends with a webhook body."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def is_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    if not header or not app_secret:
        return False
    return hmac.compare_digest(sign(body, app_secret), header.strip())
