"""A fake WhatsApp Cloud API (Graph API) on a real HTTP server: for tests and benchmarks.

It speaks the real protocol: POST /{version}/{phone-number-id}/messages with a bearer token
answers {"messages": [{"id": "wamid..."}]}; errors come as Meta shapes them
({"error": {"message", "type", "code", "error_data": {"details"}}}). Failures can be scripted.
"""

import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: dict
    at: float
    wa_message_id: str = ""


@dataclass
class FakeGraph:
    token: str = "test-token"
    host: str = "127.0.0.1"
    received: list[Received] = field(default_factory=list)
    failures: deque = field(default_factory=deque)  # (http_status, code) consumed one a request
    down: bool = False  # answer 503 to everything (an outage)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body are two writes: without TCP_NODELAY, Nagle's algorithm and the
            # client's delayed ACK add ~40 ms to every answer (Meta's servers do not).
            disable_nagle_algorithm = True

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                fake._post(self)

            def do_GET(self) -> None:  # noqa: N802
                fake._get(self)

        self.server = ThreadingHTTPServer((self.host, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{self.host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "FakeGraph":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, count: int, http_status: int = 500, code: int = 1) -> None:
        for _ in range(count):
            self.failures.append((http_status, code))

    def messages(self) -> list[dict]:
        with self.lock:
            return [r.body for r in self.received if r.path.endswith("/messages")]

    @staticmethod
    def _reply(handler, status: int, payload: dict | bytes, content_type="application/json"):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    @staticmethod
    def error(code: int, message: str, details: str = "") -> dict:
        return {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": details},
                "fbtrace_id": "FAKE",
            }
        }

    def _authorized(self, handler) -> bool:
        return handler.headers.get("Authorization") == f"Bearer {self.token}"

    def _post(self, handler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        if not self._authorized(handler):
            return self._reply(handler, 401, self.error(190, "Invalid OAuth access token."))
        if self.down:
            return self._reply(handler, 503, self.error(2, "Service temporarily unavailable"))
        with self.lock:
            failure = self.failures.popleft() if self.failures else None
        if failure:
            status, code = failure
            return self._reply(
                handler, status, self.error(code, "Scripted failure", "scripted by the test")
            )
        try:
            body = json.loads(raw)
        except ValueError:
            return self._reply(handler, 400, self.error(100, "Invalid JSON"))
        if body.get("messaging_product") != "whatsapp" or not (
            body.get("to") or body.get("recipient")
        ):
            return self._reply(handler, 400, self.error(100, "(#100) Invalid parameter"))
        message_id = f"wamid.FAKE{uuid.uuid4().hex}"
        with self.lock:
            self.received.append(
                Received(handler.path, dict(handler.headers), body, time.monotonic(), message_id)
            )
        to = body.get("to") or body.get("recipient")
        self._reply(
            handler,
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": message_id}],
            },
        )

    def _get(self, handler) -> None:
        if not self._authorized(handler):
            return self._reply(handler, 401, self.error(190, "Invalid OAuth access token."))
        path = handler.path.split("?")[0]
        if path == "/__received":  # for benchmarks running the fake in another process
            with self.lock:
                rows = [
                    {"to": r.body.get("to") or r.body.get("recipient"), "at": r.at}
                    for r in self.received
                ]
            return self._reply(handler, 200, {"received": rows})
        if path.startswith("/media-bytes/"):
            media_id = path.rsplit("/", 1)[-1]
            if media_id in self.media:
                data, mime = self.media[media_id]
                return self._reply(handler, 200, data, mime)
            return self._reply(handler, 404, self.error(100, "not found"))
        media_id = path.rsplit("/", 1)[-1]
        if media_id in self.media:
            data, mime = self.media[media_id]
            return self._reply(
                handler,
                200,
                {
                    "messaging_product": "whatsapp",
                    "url": f"{self.url}/media-bytes/{media_id}",
                    "mime_type": mime,
                    "file_size": len(data),
                    "id": media_id,
                },
            )
        return self._reply(handler, 404, self.error(100, "Unsupported get request."))
