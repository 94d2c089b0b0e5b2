"""Memory of one upload check for a decompression bomb: refused from its header vs decoded.

Builds a real 9,400 x 9,400 RGBA PNG (~344 KB), then in a fresh process runs the upload check
(`applications.files.clean`) and prints the process's peak memory. Run twice: with Loket's
limit (refused before decoding) and with the limit lifted (what decoding it costs).

    .venv/bin/python bench/upload_limits.py
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import resource, sys, django
django.setup()
from loket.applications.files import UploadError, clean
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    clean(data)
    outcome = "accepted (decoded and re-encoded)"
except UploadError as error:
    outcome = "refused: " + error.message[:60]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{outcome} | peak RSS {peak / 1024:.0f} MB (before the check {before / 1024:.0f} MB)")
"""


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from loket.core.tests.test_limits import huge_png

    bomb = huge_png(9400)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bomb.png"
        path.write_bytes(bomb)
        print(f"PNG 9400 x 9400 RGBA, {len(bomb) / 1024:.0f} KB on disk")
        for label, pixels in (("Loket's limit (40 MP)", ""), ("limit lifted", "200000000")):
            env = dict(os.environ, DJANGO_SETTINGS_MODULE="loket.settings", LOKET_ENV="test")
            env["LOKET_DATA_DIR"] = tmp
            if pixels:
                env["LOKET_MAX_IMAGE_PIXELS"] = pixels
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            print(f"{label:24} {out.stdout.strip()}")


if __name__ == "__main__":
    main()
