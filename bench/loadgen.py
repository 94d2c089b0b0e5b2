"""A lean load generator and Graph API sink for bench/webhook.py (no Django, standard library).

The ladder shares the 2 cores with what it measures, so what it spends is taken from Loket:
httpx's async client and the test suite's FakeGraph (http.server, a thread per connection) cost
about 3.5 ms of CPU per message between them. Here both sides are plain asyncio streams over
HTTP/1.1 keep-alive: requests are built before the clock starts, answers are read by
Content-Length.

The sink answers POST /{version}/{phone-number-id}/messages as the Cloud API does
({"messaging_product", "contacts", "messages": [{"id"}]}; 401 without the bearer token, 400 for
a body that is not a message) and records (to, monotonic time). GET /__received lists them.
"""

import asyncio
import json
import multiprocessing
import os
import signal
import time
import uuid
from collections.abc import Awaitable, Callable

Request = bytes


def post(host: str, port: int, path: str, body: bytes, headers: dict[str, str]) -> Request:
    """An HTTP/1.1 keep-alive POST, ready to write."""
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, the server keeps the connection)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, keep = 0, True
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value.strip().lower() == "close":
            keep = False
    body = await reader.readexactly(length) if length else b""
    return status, body, keep


class Pool:
    """Keep-alive connections to one server, opened as needed up to `size`."""

    def __init__(self, host: str, port: int, size: int) -> None:
        self.host, self.port = host, port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.slots = asyncio.Semaphore(size)

    async def send(self, request: Request) -> int:
        """The answer's status; raises OSError/IncompleteReadError when the server hung up."""
        async with self.slots:
            for attempt in (0, 1):
                fresh = attempt == 1 or not self.idle
                if fresh:
                    reader, writer = await asyncio.open_connection(self.host, self.port)
                else:
                    reader, writer = self.idle.pop()
                try:
                    writer.write(request)
                    status, _, keep = await _read_answer(reader)
                except (OSError, asyncio.IncompleteReadError):
                    writer.close()
                    if fresh:
                        raise
                    continue  # a kept connection the server had closed: once more, on a new one
                if keep:
                    self.idle.append((reader, writer))
                else:
                    writer.close()
                return status
        raise AssertionError("unreachable")

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()


async def open_loop(
    items: list,
    rate: float,
    send: Callable[[object], Awaitable[int]],
    errors: type[BaseException] | tuple[type[BaseException], ...],
    at: dict[int, Callable[[], None]] | None = None,
) -> tuple[list[float], list[float], list, float]:
    """Calls `send(item)` for each item at `rate`/s without waiting for the answers (an open
    loop); returns send times, ACK latencies (ms) of the 200s, failures (a status, or the name
    of one of `errors`) and the seconds it took.

    `at`: {index: callable} run just before that item is sent (the rolling restart)."""
    sent_at = [0.0] * len(items)
    latencies: list[float] = []
    failures: list = []

    async def one(index: int, item) -> None:
        sent_at[index] = time.monotonic()
        try:
            status = await send(item)
        except errors as error:
            failures.append(type(error).__name__)
            return
        if status != 200:
            failures.append(status)
            return
        latencies.append((time.monotonic() - sent_at[index]) * 1000)

    start = time.monotonic()
    pending = []
    for i, item in enumerate(items):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        if at and i in at:
            at[i]()
        pending.append(asyncio.create_task(one(i, item)))
    await asyncio.gather(*pending)
    return sent_at, latencies, failures, time.monotonic() - start


async def fire(
    host: str,
    port: int,
    requests: list[Request],
    rate: float,
    concurrency: int,
    at: dict[int, Callable[[], None]] | None = None,
) -> tuple[list[float], list[float], list, float]:
    """`open_loop` over keep-alive connections to host:port."""
    pool = Pool(host, port, concurrency)
    try:
        return await open_loop(
            requests, rate, pool.send, (OSError, asyncio.IncompleteReadError), at
        )
    finally:
        pool.close()


# --- the sink: the Cloud API's messages endpoint ----------------------------------------------


def _answer(status: int, payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
    return head.encode() + b"\r\n\r\n" + body


def _error(status: int, code: int, message: str) -> bytes:
    return _answer(status, {"error": {"message": message, "type": "OAuthException", "code": code}})


class Sink:
    def __init__(self, token: str) -> None:
        self.authorization = f"Bearer {token}"
        self.received: list[dict] = []

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
        if method == "GET" and path == "/__received":
            return _answer(200, {"received": self.received})
        if headers.get("authorization") != self.authorization:
            return _error(401, 190, "Invalid OAuth access token.")
        if method != "POST" or not path.endswith("/messages"):
            return _error(400, 100, "Unsupported request")
        try:
            message = json.loads(body)
        except ValueError:
            return _error(400, 100, "Invalid JSON")
        to = message.get("to") if isinstance(message, dict) else None
        if message.get("messaging_product") != "whatsapp" or not to:
            return _error(400, 100, "(#100) Invalid parameter")
        self.received.append({"to": to, "at": time.monotonic()})
        return _answer(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.SINK{uuid.uuid4().hex}"}],
            },
        )

    async def connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length") or 0)
                body = await reader.readexactly(length) if length else b""
                writer.write(self.handle(method, path.split("?")[0], headers, body))
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()


def _serve(token: str, queue: multiprocessing.Queue) -> None:
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # stopped by the bench: nothing to keep

    async def main() -> None:
        sink = Sink(token)
        server = await asyncio.start_server(sink.connection, "127.0.0.1", 0)
        queue.put(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}")
        await server.serve_forever()

    asyncio.run(main())


def start_sink(token: str) -> tuple[multiprocessing.Process, str]:
    """The sink in its own process; (process, base URL)."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_serve, args=(token, queue), daemon=True)
    process.start()
    return process, queue.get(timeout=10)
