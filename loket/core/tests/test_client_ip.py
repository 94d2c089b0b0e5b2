"""X-Forwarded-For is believed only from a configured proxy; garbage never reaches the audit."""

import pytest
from django.test import RequestFactory

from loket.core.audit import log_action
from loket.core.clientip import client_ip
from loket.core.models import AuditEntry


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.LOKET_TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_first_untrusted_hop(settings):
    settings.LOKET_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # the citizen forged "6.6.6.6"; their real address was added by our own proxy
    assert client_ip(request("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.2.3")) == "198.51.100.7"
    assert client_ip(request("127.0.0.1", "")) == "127.0.0.1"
    assert client_ip(request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"  # not our proxy


@pytest.mark.parametrize("garbage", ["unknown", "", "  ,  ", "999.1.1.1", "<script>", "::ffff:zz"])
def test_garbage_never_becomes_an_address(settings, garbage):
    settings.LOKET_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request("127.0.0.1", garbage)) == "127.0.0.1"
    assert client_ip(request("unknown", garbage)) is None


@pytest.mark.django_db
def test_the_audit_stores_a_valid_address_whatever_the_header_says(settings, office):
    settings.LOKET_TRUSTED_PROXIES = ["127.0.0.1"]
    req = request("127.0.0.1", "unknown")
    from django.contrib.auth.models import AnonymousUser

    req.user = AnonymousUser()
    entry = log_action("test.read", office, request=req)
    assert AuditEntry.objects.get(pk=entry.pk).ip_address == "127.0.0.1"


def test_a_bad_trusted_proxy_setting_refuses_to_start(tmp_path):
    import subprocess
    import sys

    env = {"LOKET_ENV": "test", "LOKET_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    env["LOKET_TRUSTED_PROXIES"] = "10.0.0.0/8,proxy.local"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; import os;"
            "os.environ['DJANGO_SETTINGS_MODULE']='loket.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "LOKET_TRUSTED_PROXIES" in result.stderr
