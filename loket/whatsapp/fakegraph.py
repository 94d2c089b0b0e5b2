"""A fake WhatsApp Cloud API (Graph API) on a real HTTP server: for tests and benchmarks.

It speaks the real protocol: POST /{version}/{phone-number-id}/messages with a bearer token
answers {"messages": [{"id": "wamid..."}]}; errors come as Meta shapes them
({"error": {"message", "type", "code", "error_data": {"details"}}}). Failures can be scripted.

The Business Management side too: message templates of a WhatsApp Business Account
(GET/POST/DELETE /{version}/{waba-id}/message_templates, cursor paging), media upload
(POST /{version}/{phone-number-id}/media, multipart) and the number's quality rating and
messaging limit (GET /{version}/{phone-number-id}?fields=quality_rating,messaging_limit_tier).
"""

import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")
CATEGORIES = {"UTILITY", "MARKETING", "AUTHENTICATION"}
MEDIA_TYPES = {
    "application/pdf": 100 * 1024 * 1024,
    "image/jpeg": 5 * 1024 * 1024,
    "image/png": 5 * 1024 * 1024,
}


@dataclass
class FakeTemplate:
    id: str
    name: str
    language: str
    category: str
    components: list
    status: str = "PENDING"
    rejected_reason: str = "NONE"
    quality: str = "UNKNOWN"

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "parameter_format": "POSITIONAL",
            "components": self.components,
            "language": self.language,
            "status": self.status,
            "category": self.category,
            "rejected_reason": self.rejected_reason,
            "quality_score": {"score": self.quality},
            "id": self.id,
        }


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
    # WhatsApp Business Account id -> its templates, in creation order
    templates: dict[str, list[FakeTemplate]] = field(default_factory=dict)
    # phone number id -> {"quality_rating": ..., "messaging_limit_tier": ...}
    numbers: dict[str, dict] = field(default_factory=dict)
    uploads: list[dict] = field(default_factory=list)  # every media upload (filename, type)
    path_failures: dict[str, deque] = field(default_factory=dict)

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

            def do_DELETE(self) -> None:  # noqa: N802
                fake._delete(self)

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

    def fail_next(
        self, count: int, http_status: int = 500, code: int = 1, path_suffix: str = ""
    ) -> None:
        """The next `count` POSTs (only those whose path ends with `path_suffix`, if given)
        answer this error."""
        for _ in range(count):
            if path_suffix:
                self.path_failures.setdefault(path_suffix, deque()).append((http_status, code))
            else:
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
    def error(
        code: int, message: str, details: str = "", subcode: int | None = None, user_msg: str = ""
    ) -> dict:
        error = {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details},
            "fbtrace_id": "FAKE",
        }
        if subcode is not None:
            error["error_subcode"] = subcode
        if user_msg:
            error["is_transient"] = False
            error["error_user_title"] = message
            error["error_user_msg"] = user_msg
        return {"error": error}

    # --- the test's side: templates and numbers as Meta would have them ---------------------

    def add_template(
        self,
        waba_id: str,
        name: str,
        body: str,
        language: str = "id",
        status: str = "APPROVED",
        category: str = "UTILITY",
        quality: str = "UNKNOWN",
    ) -> FakeTemplate:
        return self._store_template(
            waba_id,
            name=name,
            language=language,
            category=category,
            components=[{"type": "BODY", "text": body}],
            status=status,
            quality=quality,
        )

    def _store_template(self, waba_id: str, **fields) -> FakeTemplate:
        with self.lock:
            template = FakeTemplate(id=str(10**14 + _next_id()), **fields)
            self.templates.setdefault(waba_id, []).append(template)
        return template

    def template(self, waba_id: str, name: str, language: str = "id") -> FakeTemplate | None:
        with self.lock:
            for template in self.templates.get(waba_id, []):
                if template.name == name and template.language == language:
                    return template
        return None

    def set_number(self, phone_number_id: str, quality: str, tier: str) -> None:
        with self.lock:
            self.numbers[phone_number_id] = {
                "quality_rating": quality,
                "messaging_limit_tier": tier,
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
            path = handler.path.split("?")[0]
            scripted = next(
                (q for suffix, q in self.path_failures.items() if q and path.endswith(suffix)),
                None,
            )
            if scripted is not None:
                failure = scripted.popleft()
            else:
                failure = self.failures.popleft() if self.failures else None
        if failure:
            status, code = failure
            return self._reply(
                handler, status, self.error(code, "Scripted failure", "scripted by the test")
            )
        parts = urlsplit(handler.path).path.strip("/").split("/")
        if len(parts) == 3 and parts[2] == "media":
            return self._upload(handler, raw)
        try:
            body = json.loads(raw)
        except ValueError:
            return self._reply(handler, 400, self.error(100, "Invalid JSON"))
        if len(parts) == 3 and parts[2] == "message_templates":
            return self._create_template(handler, parts[1], body)
        if body.get("messaging_product") != "whatsapp" or not (
            body.get("to") or body.get("recipient")
        ):
            return self._reply(handler, 400, self.error(100, "(#100) Invalid parameter"))
        if body.get("type") == "document":
            document = body.get("document") or {}
            if not document.get("link") and document.get("id") not in self.media:
                return self._reply(
                    handler,
                    400,
                    self.error(131053, "Media upload error", "Unknown media id"),
                )
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
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[2] == "message_templates":
            return self._list_templates(handler, parts[1])
        if len(parts) == 2 and parts[1] in self.numbers:
            return self._number(handler, parts[1])
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

    # --- Business Management API ------------------------------------------------------------

    def _list_templates(self, handler, waba_id: str) -> None:
        query = parse_qs(urlsplit(handler.path).query)
        try:
            limit = max(1, min(int((query.get("limit") or ["25"])[0]), 100))
            start = int((query.get("after") or ["0"])[0] or 0)
        except ValueError:
            return self._reply(handler, 400, self.error(100, "(#100) Invalid parameter"))
        with self.lock:
            templates = list(self.templates.get(waba_id, []))
        page = templates[start : start + limit]
        payload: dict = {"data": [t.as_json() for t in page]}
        if page:
            payload["paging"] = {"cursors": {"before": str(start), "after": str(start + len(page))}}
            if start + len(page) < len(templates):
                base = handler.path.split("?")[0]
                payload["paging"]["next"] = (
                    f"{self.url}{base}?limit={limit}&after={start + len(page)}"
                )
        return self._reply(handler, 200, payload)

    def _create_template(self, handler, waba_id: str, body: dict) -> None:
        name = body.get("name")
        language = body.get("language")
        category = str(body.get("category") or "").upper()
        components = body.get("components")
        if not isinstance(name, str) or not TEMPLATE_NAME.match(name):
            return self._reply(
                handler,
                400,
                self.error(100, "Invalid parameter", subcode=2388042, user_msg="Invalid name"),
            )
        if not isinstance(language, str) or not language or category not in CATEGORIES:
            return self._reply(handler, 400, self.error(100, "(#100) Invalid parameter"))
        if not isinstance(components, list) or not any(
            isinstance(c, dict) and str(c.get("type", "")).upper() == "BODY" for c in components
        ):
            return self._reply(handler, 400, self.error(100, "(#100) Param components required"))
        for component in components:
            text = str(component.get("text") or "")
            count = len(set(PLACEHOLDER.findall(text)))
            if not count:
                continue
            examples = (component.get("example") or {}).get("body_text") or [[]]
            if not isinstance(examples, list) or len(examples[0] or []) != count:
                return self._reply(
                    handler,
                    400,
                    self.error(
                        100,
                        "Invalid parameter",
                        subcode=2388043,
                        user_msg="Message template variables need example values.",
                    ),
                )
        if self.template(waba_id, name, language) is not None:
            return self._reply(
                handler,
                400,
                self.error(
                    100,
                    "Invalid parameter",
                    subcode=2388024,
                    user_msg=f"Content in this language already exists for {name}.",
                ),
            )
        template = self._store_template(
            waba_id, name=name, language=language, category=category, components=components
        )
        return self._reply(
            handler, 200, {"id": template.id, "status": template.status, "category": category}
        )

    def _delete(self, handler) -> None:
        if not self._authorized(handler):
            return self._reply(handler, 401, self.error(190, "Invalid OAuth access token."))
        with self.lock:
            failure = self.failures.popleft() if self.failures else None
        if failure:
            status, code = failure
            return self._reply(handler, status, self.error(code, "Scripted failure"))
        split = urlsplit(handler.path)
        parts = split.path.strip("/").split("/")
        name = (parse_qs(split.query).get("name") or [""])[0]
        if len(parts) != 3 or parts[2] != "message_templates" or not name:
            return self._reply(handler, 400, self.error(100, "(#100) Invalid parameter"))
        with self.lock:
            templates = self.templates.get(parts[1], [])
            kept = [t for t in templates if t.name != name]
            found = len(kept) != len(templates)
            self.templates[parts[1]] = kept
        if not found:
            return self._reply(
                handler,
                400,
                self.error(
                    100, "Invalid parameter", subcode=2593002, user_msg="Template not found"
                ),
            )
        return self._reply(handler, 200, {"success": True})

    def _number(self, handler, phone_number_id: str) -> None:
        with self.lock:
            number = dict(self.numbers[phone_number_id])
        return self._reply(handler, 200, {**number, "id": phone_number_id})

    def _upload(self, handler, raw: bytes) -> None:
        content_type = handler.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            return self._reply(handler, 400, self.error(100, "(#100) Invalid parameter"))
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw
        )
        fields: dict[str, str] = {}
        file_part = None
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name == "file":
                file_part = part
            elif name:
                fields[name] = part.get_content().strip()
        if fields.get("messaging_product") != "whatsapp" or file_part is None:
            return self._reply(handler, 400, self.error(100, "(#100) Invalid parameter"))
        data = file_part.get_payload(decode=True) or b""
        mime = fields.get("type") or file_part.get_content_type()
        limit = MEDIA_TYPES.get(mime)
        if limit is None:
            return self._reply(
                handler, 400, self.error(131053, "Media upload error", f"Unsupported type {mime}")
            )
        if not data or len(data) > limit:
            return self._reply(
                handler, 400, self.error(131053, "Media upload error", "File size not allowed")
            )
        media_id = str(10**15 + _next_id())
        with self.lock:
            self.media[media_id] = (data, mime)
            self.uploads.append(
                {"id": media_id, "filename": file_part.get_filename(), "type": mime}
            )
        return self._reply(handler, 200, {"id": media_id})


_ids = iter(range(1, 10**9))
_ids_lock = threading.Lock()


def _next_id() -> int:
    with _ids_lock:
        return next(_ids)
