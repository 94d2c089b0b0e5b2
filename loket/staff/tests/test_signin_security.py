"""Staff sign-in: throttled logins, the TOTP second factor, idle sessions end."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from loket.conftest import totp_now

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-123"


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(
        "/staf/masuk/", {"username": username, "password": password, "next": "/staf/"}, **extra
    )


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_one(personas):
    client = Client()
    statuses = [sign_in(client, "sari", "salah-terus").status_code for _ in range(10)]
    assert statuses == [200] * 9 + [429]  # the tenth failure locks
    locked = sign_in(client, "sari")  # the right password
    assert locked.status_code == 429
    assert "dikunci selama 15 menit" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_limit_also_holds_per_address_across_usernames(personas):
    client = Client()
    for n in range(10):
        sign_in(client, f"tebakan{n}", "salah", REMOTE_ADDR="203.0.113.5")
    assert sign_in(client, "dewi", REMOTE_ADDR="203.0.113.5").status_code == 429
    assert sign_in(Client(), "dewi", REMOTE_ADDR="198.51.100.1").status_code == 302


def test_the_lock_lifts_after_fifteen_minutes(personas):
    import time_machine

    client = Client()
    for _ in range(10):
        sign_in(client, "sari", "salah-terus")
    assert sign_in(client, "sari").status_code == 429
    with time_machine.travel(time.time() + 16 * 60, tick=False):
        assert sign_in(Client(), "sari").status_code == 302


def test_an_operator_signs_in_with_the_password_only(personas):
    client = Client()
    assert sign_in(client, "sari")["Location"] == "/staf/"
    assert client.get("/staf/").status_code == 200


def test_a_kepala_must_give_the_code_of_the_app(personas):
    client = Client()
    sign_in(client, "kepala")
    held = client.get("/staf/")
    assert held.status_code == 302
    assert held["Location"] == "/staf/2fa/?next=%2Fstaf%2F"
    assert client.get("/admin/").status_code == 302
    page = client.get(held["Location"]).content.decode()
    assert "Verifikasi dua langkah" in page

    wrong = client.post("/staf/2fa/", {"token": "000000", "next": "/staf/"})
    assert "Kode salah" in wrong.content.decode()
    device = TOTPDevice.objects.get(user=personas["kepala"])
    device.throttling_failure_count = 0  # the device's own backoff after the wrong code
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post("/staf/2fa/", {"token": totp_now(personas["kepala"]), "next": "/staf/"})
    assert right["Location"] == "/staf/"
    assert client.get("/staf/").status_code == 200


def test_an_admin_without_a_device_enrols_on_first_login_with_a_qr(personas):
    TOTPDevice.objects.filter(user=personas["admin"]).delete()
    client = Client()
    sign_in(client, "admin")
    held = client.get("/staf/piket/")
    assert held["Location"].startswith("/staf/2fa/daftar/")
    page = client.get(held["Location"]).content.decode()
    assert "Aktifkan verifikasi dua langkah" in page
    assert 'src="data:image/png;base64,' in page
    device = TOTPDevice.objects.get(user=personas["admin"], confirmed=False)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    done = client.post("/staf/2fa/daftar/", {"token": f"{code:06d}", "next": "/staf/piket/"})
    assert done["Location"] == "/staf/piket/"
    assert TOTPDevice.objects.get(user=personas["admin"]).confirmed
    assert client.get("/staf/piket/").status_code == 200


def test_an_operator_may_enrol_and_is_then_always_asked(personas):
    client = Client()
    sign_in(client, "sari")
    client.get("/staf/2fa/daftar/")
    device = TOTPDevice.objects.get(user=personas["sari"])
    code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    client.post("/staf/2fa/daftar/", {"token": f"{code:06d}"})
    again = Client()
    sign_in(again, "sari")
    assert again.get("/staf/")["Location"].startswith("/staf/2fa/?")


def test_the_next_address_never_leaves_the_site(personas):
    client = Client()
    sign_in(client, "kepala")
    answer = client.post(
        "/staf/2fa/", {"token": totp_now(personas["kepala"]), "next": "https://evil.example/"}
    )
    assert answer["Location"] == "/staf/"


def test_an_idle_session_ends(personas, settings):
    import time_machine

    client = Client()
    sign_in(client, "sari")
    assert client.get("/staf/").status_code == 200
    with time_machine.travel(time.time() + 20 * 60, tick=False):
        assert client.get("/staf/").status_code == 200  # 20 minutes: still there
    with time_machine.travel(time.time() + 20 * 60 + 31 * 60, tick=False):
        ended = client.get("/staf/")
        assert ended.status_code == 302
        assert ended["Location"].startswith("/staf/masuk/")
        assert "_auth_user_id" not in client.session


def test_polling_does_not_keep_an_idle_session_alive(personas):
    import time_machine

    client = Client()
    sign_in(client, "sari")
    client.get("/staf/")
    start = time.time()
    for minutes in (10, 20, 29):
        with time_machine.travel(start + minutes * 60, tick=False):
            client.get("/staf/inbox/daftar/", HTTP_HX_REQUEST="true")
    with time_machine.travel(start + 31 * 60, tick=False):
        ended = client.get("/staf/inbox/daftar/", HTTP_HX_REQUEST="true")
    assert ended["HX-Redirect"].startswith("/staf/masuk/")


def test_sessions_are_short(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.LOKET_SESSION_IDLE_SECONDS == 30 * 60
