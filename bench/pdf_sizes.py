"""Size and drawing time of every PDF Loket makes (reportlab), on an in-memory SQLite demo.

    .venv/bin/python bench/pdf_sizes.py

Prints one line per PDF: bytes, pages and the median of 20 drawings in milliseconds. Runs in a
few seconds; figures measured on a loaded shared machine vary by 2x.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LOKET_DATA_DIR", tempfile.mkdtemp(prefix="loket-pdf-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402


def measure(name: str, draw) -> None:
    times = []
    for _ in range(20):
        start = time.perf_counter()
        data = draw()
        times.append((time.perf_counter() - start) * 1000)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(f"{name:28} {len(data):7,d} bytes  {pages} page(s)  {statistics.median(times):6.1f} ms")


def main() -> None:
    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from loket.applications import blankforms
    from loket.applications.models import Application
    from loket.applications.receipt import receipt_pdf
    from loket.broadcasts.poster import poster_pdf
    from loket.catalog import demo
    from loket.catalog.models import Service
    from loket.whatsapp.models import Contact

    office = demo.seed()
    contact = Contact.objects.create(office=office, wa_id="6281234567890", profile_name="Budi")
    service = Service.objects.get(code="akta-lahir")
    now = timezone.now()
    application = Application.objects.create(
        office=office, contact=contact, service=service, state="submitted", ticket="BPN-567-6MF",
        name="Budi Santoso", submitted_at=now, due_at=now + timezone.timedelta(hours=24),
    )  # fmt: skip
    measure("tanda terima (receipt)", lambda: receipt_pdf(application))
    measure("poster", lambda: poster_pdf(office, "https://wa.me/625420000001", "Halo"))
    for code, form in blankforms.FORMS.items():
        measure(f"formulir {code}", lambda form=form: blankforms.draw(form, office))


if __name__ == "__main__":
    main()
