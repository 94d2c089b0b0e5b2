"""Weight and time-to-usable of the citizen's pages on an emulated slow 3G connection.

    .venv/bin/python bench/page_weight.py     # SQLite; BENCH_DATABASE_URL=postgres://... for PG

Starts `loket serve` on port 18764 (BENCH_PORT), makes one citizen with an empty form and one
with a sent application, then loads the form, the receipt and the /cek/ status page in Debian's
Chromium with the cache disabled and the network throttled through CDP
(Network.emulateNetworkConditions: 400 kbit/s down and up, 400 ms round trip). Prints the bytes
transferred (HTML, CSS, everything; before any upload by the citizen) and the time until the
page is usable (load event: HTML parsed, CSS applied, form ready).
"""

import os
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.apps_support import (  # noqa: E402
    csrf_of,
    make_contacts,
    pdf_bytes,
    photo_bytes,
    prepare,
    start_server,
    stop_server,
    submit,
)

PORT = int(os.environ.get("BENCH_PORT", "18764"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
KBIT = 400
RTT_MS = 400
BUDGET_BYTES = 100_000
BUDGET_SECONDS = 3.0


def measure(browser, url: str) -> tuple[int, int, float, float]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": RTT_MS,
            "downloadThroughput": KBIT * 1000 / 8,
            "uploadThroughput": KBIT * 1000 / 8,
        },
    )
    transferred = {"bytes": 0, "requests": 0}

    def finished(event: dict) -> None:
        transferred["bytes"] += int(event.get("encodedDataLength", 0))
        transferred["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load")
    timing = page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return [n.domInteractive, n.loadEventEnd]; })()"
    )
    page.wait_for_timeout(300)  # let the last loadingFinished events arrive
    context.close()
    return transferred["bytes"], transferred["requests"], timing[0] / 1000, timing[1] / 1000


def main() -> None:
    from playwright.sync_api import sync_playwright

    env = prepare("/tmp/loket-apps-weight", DATABASE_URL)
    form_path, receipt_path = make_contacts(2, prefix="62812000")
    server = start_server(env, PORT, workers=2)
    base = f"http://127.0.0.1:{PORT}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            csrf = csrf_of(client, receipt_path)
            submit(client, receipt_path, photo_bytes(), pdf_bytes(), csrf)
        from loket.applications.models import Application

        ticket = Application.objects.exclude(ticket=None).latest("submitted_at").ticket
        pages = [
            ("form (/l/<token>/)", base + form_path),
            ("receipt (/l/<token>/ after sending)", base + receipt_path),
            (f"status (/cek/{ticket}/)", f"{base}/cek/{ticket}/"),
        ]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            print(f"network: {KBIT} kbit/s down/up, {RTT_MS} ms RTT, cache disabled")
            print(f"{'page':40} {'bytes':>8} {'requests':>8} {'interactive':>12} {'usable':>8}")
            ok = True
            for name, url in pages:
                size, requests, interactive, usable = measure(browser, url)
                ok &= size < BUDGET_BYTES and usable < BUDGET_SECONDS
                print(f"{name:40} {size:8d} {requests:8d} {interactive:11.2f}s {usable:7.2f}s")
            browser.close()
    finally:
        stop_server(server)
    print(
        "RESULT:",
        f"all under {BUDGET_BYTES // 1000} KB and {BUDGET_SECONDS:.0f} s" if ok else "OVER BUDGET",
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
