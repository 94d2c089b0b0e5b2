"""In the browser: an admin enrols the authenticator from the QR page, then signs in with codes."""

import base64

import pytest
from django_otp.oath import TOTP

pytestmark = pytest.mark.browser


def code_from_key(secret_text: str) -> str:
    """What the phone's app shows for the key printed under the QR code."""
    key = secret_text.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{TOTP(base64.b32decode(key)).token():06d}"


@pytest.mark.parametrize("locale", ["id-ID", "en-US"])
def test_an_admin_enrols_from_the_qr_page_then_needs_a_code(live_server, browser, personas, locale):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=personas["admin"]).delete()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{live_server.url}/staf/masuk/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "rahasia-123")
    page.click("button:has-text('Masuk')")
    page.wait_for_url("**/staf/2fa/daftar/**")
    assert page.locator("h1").inner_text() == "Aktifkan verifikasi dua langkah"
    assert page.locator("#qr").evaluate("img => img.naturalWidth") > 0  # the QR is drawn
    page.fill("#id_token", code_from_key(page.inner_text("#secret")))
    page.click("button:has-text('Aktifkan')")
    page.wait_for_url(f"{live_server.url}/staf/")
    assert TOTPDevice.objects.get(user=personas["admin"]).confirmed

    # the next sign-in asks for the code
    secret = TOTPDevice.objects.get(user=personas["admin"])
    page.click("button:has-text('Keluar')")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "rahasia-123")
    page.click("button:has-text('Masuk')")
    page.wait_for_url("**/staf/2fa/?next=**")
    totp = TOTP(secret.bin_key, secret.step, secret.t0, secret.digits)
    totp.time = totp.time + secret.step  # the next code (the previous one is used up)
    page.fill("#id_token", f"{totp.token():06d}")
    page.click("button:has-text('Verifikasi')")
    page.wait_for_url(f"{live_server.url}/staf/")
    assert not [e for e in errors if "Content Security Policy" in e]
    context.close()


def test_the_lockout_page_says_so_in_indonesian(live_server, page, personas):
    for _ in range(10):
        page.goto(f"{live_server.url}/staf/masuk/")
        page.fill("#id_username", "sari")
        page.fill("#id_password", "salah")
        page.click("button:has-text('Masuk')")
    page.goto(f"{live_server.url}/staf/masuk/")
    page.fill("#id_username", "sari")
    page.fill("#id_password", "rahasia-123")
    page.click("button:has-text('Masuk')")
    assert "dikunci selama 15 menit" in page.inner_text("#locked")
