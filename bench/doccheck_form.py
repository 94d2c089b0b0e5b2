"""The photo check on the citizen's form: what the web request costs, what the worker costs.

    .venv/bin/python bench/doccheck_form.py      # SQLite in a temporary directory

Makes a demo database and one citizen, then for a few generated photos (synth.py) posts the
htmx upload of the akta-lahir form (`/l/<token>/unggah/3/`, the KK slot), polls the status once,
and runs the check the worker would run (`checks.run`). Prints per photo the CPU seconds and SQL
statements of the upload request and of one poll, the bytes of their answers, and the CPU
seconds of the check in the worker: the request never waits for the OCR.
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.apps_support import FORM, make_contacts, prepare  # noqa: E402

PHOTOS = [("kk", 1, None), ("kk", 2, None), ("kk", 3, "blur"), ("ktp", 4, None), ("kk", 5, "dark")]


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        prepare(data_dir)
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection
        from django.test import Client

        from loket.applications.models import Document
        from loket.doccheck import checks, engine
        from loket.doccheck.models import DocumentCheck
        from loket.doccheck.synth import make_document

        path = make_contacts(1)[0]
        client = Client(HTTP_HOST="127.0.0.1", HTTP_HX_REQUEST="true")
        form = {k: v for k, v in FORM.items() if not k.startswith("doc_") and k != "action"}
        engine.analyse(make_document("other", seed=0)[0])  # the OCR model loads once per worker
        warm = SimpleUploadedFile(
            "kk.jpg", make_document("kk", seed=0)[0], content_type="image/jpeg"
        )
        client.post(f"{path}unggah/3/", {**form, "doc_3": warm})  # imports, templates: once
        print(
            f"{'photo':<14}{'upload cpu':>11}{'sql':>5}{'bytes':>7}{'poll cpu':>10}{'sql':>5}"
            f"{'bytes':>7}{'worker cpu':>12}  findings"
        )
        for kind, seed, degrade in PHOTOS:
            data, _ = make_document(kind, seed=seed, degrade=degrade)
            upload = SimpleUploadedFile(f"{kind}.jpg", data, content_type="image/jpeg")
            with Counter(connection) as upload_sql:
                started = time.process_time()
                response = client.post(f"{path}unggah/3/", {**form, "doc_3": upload})
                upload_cpu = time.process_time() - started
            assert response.status_code == 200, response.status_code
            document = Document.objects.filter(requirement_index=3).latest("pk")
            poll = f"{path}berkas/{document.pk}/periksa/"
            with Counter(connection) as poll_sql:
                started = time.process_time()
                polled = client.get(poll)
                poll_cpu = time.process_time() - started
            check = DocumentCheck.objects.get(document=document)
            started = time.process_time()
            checks.run(check.pk)
            worker_cpu = time.process_time() - started
            done = client.get(poll).content.decode()
            codes = engine_codes(done)
            print(
                f"{kind + '/' + (degrade or 'good'):<14}{upload_cpu:>10.3f}s{len(upload_sql):>5}"
                f"{len(response.content):>7}{poll_cpu:>9.3f}s{len(poll_sql):>5}"
                f"{len(polled.content):>7}{worker_cpu:>11.2f}s  {','.join(codes) or '-'}"
            )


class Counter:
    """SQL statements run on `connection` inside the block (the test client resets
    connection.queries at each request, so count with an execute wrapper)."""

    def __init__(self, connection) -> None:
        self.connection, self.count = connection, 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> "Counter":
        self.wrapper = self.connection.execute_wrapper(self)
        self.wrapper.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.wrapper.__exit__(*exc)

    def __len__(self) -> int:
        return self.count


def engine_codes(html: str) -> list[str]:
    import re

    return re.findall(r'class="finding-(\w+)"', html)


if __name__ == "__main__":
    main()
