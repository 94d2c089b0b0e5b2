"""The upload check around the engine: one row per requirement photo, run once in the worker.

- `document_saved` (post_save of applications.Document) creates the row and enqueues the task
  when the transaction commits; `enqueue_stale` (periodic) enqueues rows whose task was lost.
- `run` claims the row with a conditional update, reads the photo, runs the engine with a time
  limit and records the analysis (encrypted) or "tidak dapat diperiksa". A worker killed in the
  middle: the lease hands the task back and `run` finishes it; the final write is conditional,
  so the result is recorded once. A photo that killed the worker MAX_ATTEMPTS times is failed.
- `report` compares the stored analysis with what the citizen typed *now* (compare() is cheap),
  so a NIK corrected after the upload is judged by its current value.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from loket.catalog.models import ExpectedDocument
from loket.doccheck.models import DocumentCheck

logger = logging.getLogger(__name__)

IMAGE_TYPES = ("image/jpeg", "image/png")
MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(minutes=5)


def document_saved(sender, instance, created: bool, **kwargs) -> None:
    """A new requirement photo: a pending check, enqueued once the upload is committed."""
    if not created or kwargs.get("raw") or not is_checkable(instance):
        return
    check = create_check(instance)
    transaction.on_commit(lambda: enqueue(check.pk))


def is_checkable(document) -> bool:
    return document.kind == "requirement" and document.content_type in IMAGE_TYPES


def create_check(document) -> DocumentCheck:
    index = document.requirement_index if document.requirement_index is not None else -1
    expected = document.application.service.document_kind(index)
    check, _ = DocumentCheck.objects.get_or_create(
        document=document, defaults={"expected": expected[:100]}
    )
    return check


def enqueue(check_pk: int) -> None:
    from loket.doccheck.tasks import run_check

    run_check.enqueue(check_pk)


def enqueue_stale() -> int:
    """Periodic safety net: checks still unfinished long after the upload (the enqueue was lost
    with a crash between commit and enqueue). `run` is idempotent: a doubled task does nothing."""
    cutoff = timezone.now() - STALE_AFTER
    pending = Q(state=DocumentCheck.State.PENDING, created_at__lt=cutoff)
    # running far longer than the time limit: its worker died (and the lease did not catch it)
    running = Q(state=DocumentCheck.State.RUNNING, started_at__lt=cutoff)
    stale = DocumentCheck.objects.filter(pending | running)
    pks = list(stale.values_list("pk", flat=True)[:100])
    for pk in pks:
        enqueue(pk)
    return len(pks)


def run(check_pk: int) -> str:
    """Runs one check; returns what happened (for the task result and the logs)."""
    now = timezone.now()
    claimed = DocumentCheck.objects.filter(
        pk=check_pk, state__in=(DocumentCheck.State.PENDING, DocumentCheck.State.RUNNING)
    ).update(state=DocumentCheck.State.RUNNING, started_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "already finished"
    check = DocumentCheck.objects.select_related("document").get(pk=check_pk)
    if check.attempts > MAX_ATTEMPTS:
        return _finish(check, None, "stopped the worker too often", 0.0)
    from loket.doccheck import engine

    started = time.process_time()
    try:
        analysis = engine.analyse(check.document.read(), time_limit=time_limit())
    except Exception as error:  # DocCheckError, a timeout, a broken file: never blocks anything
        logger.warning("document check %s failed: %s", check_pk, error)
        return _finish(check, None, f"{type(error).__name__}: {error}"[:200], 0.0)
    return _finish(check, analysis.to_dict(), "", analysis.seconds or time.process_time() - started)


def time_limit() -> float:
    return float(getattr(settings, "LOKET_DOCCHECK_SECONDS", 20.0))


def _finish(check: DocumentCheck, analysis: dict | None, error: str, seconds: float) -> str:
    state = DocumentCheck.State.DONE if analysis is not None else DocumentCheck.State.FAILED
    check.analysis = analysis or {}
    written = DocumentCheck.objects.filter(pk=check.pk, state=DocumentCheck.State.RUNNING).update(
        state=state,
        analysis=check.analysis,
        error=error,
        seconds=seconds,
        finished_at=timezone.now(),
    )
    return state if written else "already finished"


# --- what people see ----------------------------------------------------------------------------


@dataclass
class Report:
    """A check as the form and the staff page show it."""

    state: str
    final: bool
    findings: list = field(default_factory=list)  # engine.Finding
    doc_type: str = ""
    doc_type_label: str = ""
    text: str = ""
    failed: bool = False

    @property
    def ok(self) -> bool:
        return self.state == DocumentCheck.State.DONE and not self.findings


def report(check: DocumentCheck | None) -> Report | None:
    if check is None:
        return None
    if check.state == DocumentCheck.State.FAILED:
        return Report(state=check.state, final=True, failed=True)
    if check.state != DocumentCheck.State.DONE:
        return Report(state=check.state, final=False)
    from loket.doccheck import engine

    analysis = engine.Analysis.from_dict(check.analysis)
    wanted = ExpectedDocument.parse(check.expected)
    kinds, own = wanted.kinds, wanted.own
    if not kinds:
        expected = analysis.doc_type  # any document will do: only readability (and numbers)
    elif analysis.doc_type in kinds:
        expected = analysis.doc_type
    else:
        expected = kinds[0]
    application = check.document.application
    typed = {}
    if own:
        typed = {
            "typed_nik": application.nik or None,
            "typed_kk": application.kk or None,
            "typed_name": application.name or None,
        }
    findings = engine.compare(analysis, expected=expected, **typed)
    return Report(
        state=check.state,
        final=True,
        findings=findings,
        doc_type=analysis.doc_type,
        doc_type_label=engine.DOC_TYPE_LABELS.get(analysis.doc_type, analysis.doc_type),
        text=analysis.text,
    )


def check_of(document) -> DocumentCheck | None:
    try:
        return document.photo_check
    except DocumentCheck.DoesNotExist:
        return None
