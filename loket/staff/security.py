"""Staff sign-in security: throttled logins, a TOTP second factor, sessions that end when idle.

- Logins go through django-axes (LOKET_LOGIN_FAILURE_LIMIT failures per user or per address
  lock both out for LOKET_LOGIN_COOLOFF_MINUTES; the page says so, HTTP 429).
- The second factor is django-otp's TOTP: required for the roles in LOKET_OTP_REQUIRED_ROLES
  (and superusers), optional for the others; once a member has a device it is always asked.
  A member of a required role without a device is sent to enrol on their first page.
- A signed-in session idle for LOKET_SESSION_IDLE_SECONDS ends (htmx polling does not count).
"""

import base64
import io
import time

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from loket.core.locale import is_staff_path
from loket.staff.models import StaffMember

SEEN_KEY = "loket_seen"
REQUIRED_KEY = "loket_2fa_required"  # decided once at sign-in: no query on every page
OPEN_PATHS = ("/staf/masuk/", "/staf/keluar/", "/staf/2fa/", "/admin/login/", "/admin/logout/")


class ThrottledBackend(AxesStandaloneBackend):
    """django-axes for every login that comes with a request (the login pages). A login called
    from code without a request (management commands, the test client) is not a web attempt."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def second_factor_required(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user_has_device(user):
        return True
    role = StaffMember.objects.filter(user=user).values_list("role", flat=True).first()
    return role in settings.LOKET_OTP_REQUIRED_ROLES


def new_device(user) -> TOTPDevice:
    """The member's device being enrolled (unconfirmed until a first code matches)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name="Aplikasi autentikator", confirmed=False
    )


def qr_data_uri(text: str) -> str:
    import qrcode

    buffer = io.BytesIO()
    qrcode.make(text, box_size=6, border=2).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into the app by hand."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def confirm(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Checks a code of a device and, when it matches, marks the session as verified."""
    token = "".join(ch for ch in token or "" if ch.isdigit())
    if not token or not device.verify_token(token):
        return False
    if not device.confirmed:
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def with_next(url: str, target: str) -> str:
    return f"{url}?{urlencode({'next': target})}"


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or settings.LOGIN_REDIRECT_URL
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def on_login(sender, request, user, **kwargs) -> None:
    """At sign-in: the session starts now, and whether it owes a second factor is decided."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
        request.session[REQUIRED_KEY] = second_factor_required(user)


class StaffSessionMiddleware:
    """Ends idle staff sessions and holds every staff page until the second factor is given."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            expired = self._idle_expired(request)
            if expired is not None:
                return expired
            if self._held(request):
                target = "staff:2fa" if user_has_device(user) else "staff:2fa-enrol"
                return _to(request, redirect(with_next(_url(target), request.path)))
        return self.get_response(request)

    @staticmethod
    def _held(request: HttpRequest) -> bool:
        """A staff page, for a member who owes the second factor."""
        path = request.path
        if not is_staff_path(path) or path.startswith(OPEN_PATHS):
            return False
        if request.user.is_verified():
            return False
        if REQUIRED_KEY not in request.session:  # a session from before this rule
            request.session[REQUIRED_KEY] = second_factor_required(request.user)
        return request.session[REQUIRED_KEY]

    def _idle_expired(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        seen = request.session.get(SEEN_KEY)
        if seen is not None and now - seen > settings.LOKET_SESSION_IDLE_SECONDS:
            logout(request)
            messages.info(
                request, "Sesi Anda berakhir karena lama tidak aktif. Silakan masuk lagi."
            )
            return _to(request, redirect_to_login(request.get_full_path()))
        polling = request.headers.get("HX-Request") == "true"
        if not polling and (seen is None or now - seen > 30):
            request.session[SEEN_KEY] = now
        return None


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def _to(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """htmx polling gets the redirect as HX-Redirect, so the whole page moves, not one div."""
    if request.headers.get("HX-Request") == "true":
        answer = HttpResponse(status=204)
        answer["HX-Redirect"] = response["Location"]
        return answer
    return response
