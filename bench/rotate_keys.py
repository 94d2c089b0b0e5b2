"""How long `loket rotate-keys` takes: N applications (encrypted NIK, KK and data, hashes and
the name index) and M encrypted files, rotated from key A to key B, on a fresh SQLite database.

    .venv/bin/python bench/rotate_keys.py            # 2,000 applications, 500 files
    BENCH_ROWS=20000 BENCH_FILES=2000 .venv/bin/python bench/rotate_keys.py

Runs in its own temporary data dir; touches nothing else.
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(os.environ.get("BENCH_ROWS", "2000"))
FILES = int(os.environ.get("BENCH_FILES", "500"))

data_dir = tempfile.mkdtemp(prefix="loket-rotate-bench-")
os.environ.update(LOKET_ENV="test", LOKET_DATA_DIR=data_dir, DATABASE_URL="")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")

import django  # noqa: E402

django.setup()

from cryptography.fernet import Fernet  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402

from loket.core import rotation  # noqa: E402
from loket.core.crypto import encrypt_bytes  # noqa: E402

call_command("migrate", verbosity=0)
from loket.applications.models import Application, State  # noqa: E402
from loket.catalog import demo  # noqa: E402
from loket.catalog.models import Service  # noqa: E402
from loket.whatsapp.models import Contact  # noqa: E402

key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
settings.LOKET_ENCRYPTION_KEYS = [key_a]
office = demo.seed()
service = Service.objects.get(code="akta-lahir")
for n in range(ROWS):
    contact = Contact.objects.create(office=office, wa_id=f"62812{n:08d}")
    application = Application(office=office, contact=contact, service=service, state=State.DRAFT)
    application.set_nik(f"6471051203{n:06d}")
    application.set_kk(f"6471050101{n:06d}")
    application.set_data(
        {"name": f"Warga Nomor {n}", "address": "Jl. Mawar 5", "x_mother_name": "Siti Aminah"}
    )
    application.save()
for n in range(FILES):
    default_storage.save(f"bench/{n}.bin", ContentFile(encrypt_bytes(os.urandom(200_000))))

settings.LOKET_ENCRYPTION_KEYS = [key_b, key_a]
started = time.perf_counter()
report = rotation.rotate(lambda *args: None)
seconds = time.perf_counter() - started
assert not report.failed, report.failed
settings.LOKET_ENCRYPTION_KEYS = [key_b]
check = rotation.rotate(lambda *args: None, check=True)
assert not check.failed and not check.old_key
shutil.rmtree(data_dir, ignore_errors=True)
print(
    f"rotated {report.rows} rows and {report.files} files (200 KB each) in {seconds:.1f} s "
    f"({report.rows / seconds:.0f} rows/s incl. files); check after dropping key A: clean"
)
