"""Shared fixtures: the demo office, the personas, a real fake Graph API, running tasks."""

import json
import time

import pytest
from django.conf import settings
from django.test import Client

from loket.simulator import webhook as simulated
from loket.whatsapp.fakegraph import FakeGraph
from loket.whatsapp.signature import sign


@pytest.fixture
def office(db):
    from loket.catalog import demo

    office = demo.seed()
    office.phone_number_id = settings.WHATSAPP_PHONE_NUMBER_ID
    office.save()
    from loket.whatsapp import inbound

    inbound._office_cache.clear()
    return office


@pytest.fixture
def personas(office):
    """Sari (operator), Dewi (verifikator), Kepala (kepala dinas), Admin; password 'rahasia-123'."""
    from django.contrib.auth import get_user_model

    from loket.staff.models import Role, StaffMember

    users = {}
    for username, role in [
        ("sari", Role.OPERATOR),
        ("dewi", Role.VERIFIKATOR),
        ("kepala", Role.KEPALA),
        ("admin", Role.ADMIN),
    ]:
        user = get_user_model().objects.create_user(
            username, password="rahasia-123", first_name=username.title()
        )
        StaffMember.objects.create(user=user, office=office, role=role)
        users[username] = user
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for username in ("kepala", "admin"):  # their roles need the second factor: enrolled
        TOTPDevice.objects.create(user=users[username], name="HP", confirmed=True)
    return users


def totp_now(user, confirmed: bool = True) -> str:
    """The code the member's authenticator app shows now, computed from the device key."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=confirmed)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture(autouse=True)
def _test_client_login_includes_the_second_factor():
    """The test client's login()/force_login() stand for the whole sign-in, second factor
    included (as they stand for the password). Real logins through the pages are unaffected:
    they carry a request path, the test client's bare request has none."""
    from django.contrib.auth.signals import user_logged_in
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def verified(sender, request, user, **kwargs):
        from loket.staff.security import second_factor_required

        if request is not None and request.path == "" and second_factor_required(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:  # e.g. an admin made in a test: enrolled as on first sign-in
                device = TOTPDevice.objects.create(user=user, name="HP", confirmed=True)
            request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id

    user_logged_in.connect(verified, dispatch_uid="loket-test-otp")
    yield
    user_logged_in.disconnect(dispatch_uid="loket-test-otp")


@pytest.fixture
def fake_graph(settings):
    graph = FakeGraph(token="test-token").start()
    settings.WHATSAPP_GRAPH_URL = graph.url
    settings.WHATSAPP_ACCESS_TOKEN = "test-token"
    yield graph
    graph.stop()


def _close_old_connections_outside_tests() -> None:
    """The worker's housekeeping closes a connection inside a test's transaction: skip it."""
    from django.db import close_old_connections, connection

    if not connection.in_atomic_block:
        close_old_connections()


def run_tasks() -> int:
    """Runs every task that is due, in this process, until the queue is empty."""
    from django_tasks_db.management.commands import db_worker

    from loket.core.tasks import make_worker

    db_worker.close_old_connections = _close_old_connections_outside_tests

    worker = make_worker("pytest", batch=True, interval=0)
    worker.run()
    return worker._run_tasks


@pytest.fixture
def tasks():
    return run_tasks


class Citizen:
    """A citizen on WhatsApp: sends signed webhooks to the app like Meta would."""

    phone_number_id = ""  # the office's number written to; "" is the configured one
    display_number = "+62 542 0"

    def __init__(self, client: Client, wa_id: str = "6281234567890", name: str = "Budi"):
        self.client, self.wa_id, self.name = client, wa_id, name

    def post(self, message: dict):
        body = simulated.message_body(
            self.phone_number_id or settings.WHATSAPP_PHONE_NUMBER_ID,
            self.display_number,
            self.wa_id,
            self.name,
            message,
        )
        raw = json.dumps(body).encode()
        return self.client.post(
            "/webhooks/whatsapp/",
            raw,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=sign(raw, settings.WHATSAPP_APP_SECRET),
        )

    def says(self, text: str):
        return self.post(simulated.text_message(text))

    def taps(self, reply_id: str, title: str = "", kind: str = "list_reply"):
        return self.post(simulated.reply_message(kind, reply_id, title))


@pytest.fixture
def budi(client, office):
    return Citizen(client)


def sent_texts(graph: FakeGraph, wa_id: str | None = None) -> list[str]:
    """What the fake Graph API was asked to send, as text (bodies of interactive messages too)."""
    texts = []
    for body in graph.messages():
        if wa_id and body.get("to") != wa_id:
            continue
        if body["type"] == "text":
            texts.append(body["text"]["body"])
        elif body["type"] == "interactive":
            texts.append(body["interactive"]["body"]["text"])
        else:
            texts.append(json.dumps(body[body["type"]]))
    return texts


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


# --- Browser tests: Debian's chromium driven by Playwright, against a live server ----------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Debian's chromium is not installed (apt install chromium): browser test skipped"
        )
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + the ORM
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield instance
    instance.close()
    playwright.stop()


def _phone_page(browser, locale: str):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser):
    """A 390-px phone whose browser speaks Indonesian."""
    yield from _phone_page(browser, "id-ID")


@pytest.fixture
def english_page(browser):
    """A 390-px phone in its usual English locale (most phones' default)."""
    yield from _phone_page(browser, "en-US")


class _TaskThread:
    """Runs due tasks every 100 ms in a thread, like `loket worker` does next to the server."""

    def __init__(self) -> None:
        import threading

        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self) -> None:
        from django.db import connection

        while not self.stopped.is_set():
            try:
                run_tasks()
            except Exception:  # a test's DB flush can race a task: try again next tick
                pass
            self.stopped.wait(0.1)
        connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)


@pytest.fixture
def live_app(live_server, settings, transactional_db):
    """The whole system on a live server: web, a task worker thread and the simulator."""
    from types import SimpleNamespace

    from loket.catalog import demo
    from loket.whatsapp import inbound

    settings.LOKET_PUBLIC_URL = live_server.url
    settings.WHATSAPP_GRAPH_URL = f"{live_server.url}/simulator/graph"
    settings.WHATSAPP_ACCESS_TOKEN = "simulator-token"
    office = demo.seed()
    office.phone_number_id = settings.WHATSAPP_PHONE_NUMBER_ID
    office.save()
    inbound._office_cache.clear()
    # The live server answers in short-lived threads: their connections must close at the end
    # of each request, or PostgreSQL cannot drop the test database afterwards.
    from django.db import connections

    database = connections.settings["default"]
    max_age = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    try:
        with _TaskThread():
            yield SimpleNamespace(url=live_server.url, office=office)
    finally:
        database["CONN_MAX_AGE"] = max_age


def staff_login(page, base_url: str, username: str, password: str = "rahasia-123") -> None:
    """Signs in through the pages; a member with a device types the code their app shows."""
    from django.contrib.auth import get_user_model

    page.goto(f"{base_url}/staf/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button:has-text('Masuk')")
    page.wait_for_load_state()
    user = get_user_model().objects.get(username=username)
    if "/staf/2fa/daftar/" in page.url:  # admin and kepala enrol a device on first sign-in
        page.fill("#id_token", totp_now(user, confirmed=False))
        page.click("button:has-text('Aktifkan')")
        page.wait_for_load_state()
    elif "/staf/2fa/" in page.url:
        page.fill("#id_token", totp_now(user))
        page.click("button:has-text('Verifikasi')")
