"""What production must have before Loket starts: checked on the final settings, at import.

Imported by settings.py (no Django import here): a list of problems, each one line saying
what to set.
"""

from typing import Any

CSP_MIDDLEWARE = "loket.core.middleware.ContentSecurityPolicyMiddleware"
SIZE_MIDDLEWARE = "loket.core.middleware.RequestSizeLimitMiddleware"


def production_problems(s: dict[str, Any]) -> list[str]:
    problems = []
    hosts = s.get("ALLOWED_HOSTS") or []
    if not hosts or "*" in hosts:
        problems.append(
            "ALLOWED_HOSTS must name the site's hosts (e.g. loket.disdukcapil.go.id), not '*'"
        )
    if not s.get("SECURE_SSL_REDIRECT"):
        problems.append("SECURE_SSL_REDIRECT must be on: citizens' data only over HTTPS")
    if (s.get("SECURE_HSTS_SECONDS") or 0) < 86400:
        problems.append("SECURE_HSTS_SECONDS must be at least 86400 (one day; default one year)")
    if not s.get("SESSION_COOKIE_SECURE") or not s.get("CSRF_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE must be on")
    if s.get("DEBUG"):
        problems.append("DEBUG must be off")
    middleware = s.get("MIDDLEWARE") or []
    if CSP_MIDDLEWARE not in middleware or "'unsafe-inline'" in _script_src(s.get("LOKET_CSP")):
        problems.append("the Content-Security-Policy must be on, with no inline scripts")
    if SIZE_MIDDLEWARE not in middleware:
        problems.append("the request size limit must be on")
    if not str(s.get("LOKET_PUBLIC_URL", "")).startswith("https://"):
        problems.append("LOKET_PUBLIC_URL must be an https:// address")
    return problems


def _script_src(policy: str | None) -> str:
    for part in (policy or "").split(";"):
        if part.strip().startswith("script-src"):
            return part
    return "'unsafe-inline'"  # no script-src at all: as open as inline
