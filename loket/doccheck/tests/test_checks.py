"""The upload check as a domain: one row per requirement photo, the real engine in the task,
findings compared with what is typed now, failures recorded without blocking anything."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from loket.applications.files import store_requirement
from loket.applications.models import Document
from loket.doccheck import checks
from loket.doccheck.models import DocumentCheck
from loket.doccheck.tests.conftest import KK_SLOT, KTP_SLOT, generated, other_digits, upload_of

pytestmark = pytest.mark.django_db


def upload(draft, index, kind, degrade=None, *, capture):
    with capture(execute=True):
        document = store_requirement(
            draft, index, draft.service.requirements[index], upload_of(kind, degrade=degrade)
        )
    return document


def codes(document) -> list[str]:
    document = Document.objects.get(pk=document.pk)  # fresh: the check ran in the worker
    return [f.code for f in checks.report(checks.check_of(document)).findings]


def test_a_kk_with_a_nik_typed_differently_is_flagged_with_the_differing_digits(
    draft, tasks, django_capture_on_commit_callbacks
):
    document = upload(draft, KK_SLOT, "kk", capture=django_capture_on_commit_callbacks)
    check = DocumentCheck.objects.get(document=document)
    assert check.state == DocumentCheck.State.PENDING and check.expected == "kk"
    assert checks.report(check).final is False

    assert tasks() >= 1
    check.refresh_from_db()
    assert check.state == DocumentCheck.State.DONE and check.attempts == 1
    report = checks.report(check)
    assert report.doc_type == "kk" and report.doc_type_label == "Kartu Keluarga"
    assert [f.code for f in report.findings] == ["nik_mismatch"]
    assert "digit ke-13 dan ke-15" in report.findings[0].message
    assert generated("kk")[1]["kk_number"] in report.text


def test_the_findings_follow_the_numbers_typed_now(
    draft, tasks, django_capture_on_commit_callbacks
):
    document = upload(draft, KK_SLOT, "kk", capture=django_capture_on_commit_callbacks)
    tasks()
    assert codes(document) == ["nik_mismatch"]
    truth = generated("kk")[1]
    draft.set_nik(truth["nik"])
    draft.set_kk(other_digits(truth["kk_number"], (15,)))
    draft.save()
    assert codes(document) == ["kk_mismatch"]
    report = checks.report(checks.check_of(Document.objects.get(pk=document.pk)))
    assert "digit ke-16" in report.findings[0].message


def test_a_blurred_photo_is_unreadable_and_a_ktp_is_not_a_kk(
    draft, tasks, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    blurred = upload(draft, KK_SLOT, "kk", "blur", capture=capture)
    tasks()
    report = checks.report(checks.check_of(Document.objects.get(pk=blurred.pk)))
    assert report.findings[0].code == "unreadable"
    assert "Foto kurang jelas" in report.findings[0].message
    assert "coba lagi di tempat terang, seluruh kertas masuk foto" in report.findings[0].message

    ktp = upload(draft, KK_SLOT, "ktp", capture=capture)  # replaces the blurred one
    tasks()
    assert not DocumentCheck.objects.filter(pk=blurred.photo_check.pk).exists()
    report = checks.report(checks.check_of(Document.objects.get(pk=ktp.pk)))
    assert [f.code for f in report.findings] == ["wrong_type"]
    assert "terlihat seperti KTP-el, bukan Kartu Keluarga" in report.findings[0].message


def test_another_persons_document_is_not_compared_with_the_applicants_numbers(
    draft, tasks, django_capture_on_commit_callbacks
):
    draft.service.document_kinds[KTP_SLOT] = "~ktp"
    draft.service.save()
    document = upload(draft, KTP_SLOT, "ktp", capture=django_capture_on_commit_callbacks)
    tasks()
    assert codes(document) == []  # a KTP, readable: the NIK differs but it is not Budi's


def test_the_check_runs_once_and_a_killed_run_is_finished(
    draft, tasks, django_capture_on_commit_callbacks
):
    document = upload(draft, KTP_SLOT, "ktp", capture=django_capture_on_commit_callbacks)
    check = DocumentCheck.objects.get(document=document)
    # a worker died in the middle: the row says running, the lease hands the task back
    DocumentCheck.objects.filter(pk=check.pk).update(state="running", attempts=1)
    assert checks.run(check.pk) == "done"
    assert checks.run(check.pk) == "already finished"
    tasks()  # the task enqueued at upload finds it done
    check.refresh_from_db()
    assert check.state == "done" and check.attempts == 2


def test_a_photo_that_cannot_be_checked_is_recorded_and_blocks_nothing(
    draft, tasks, django_capture_on_commit_callbacks
):
    document = upload(draft, KTP_SLOT, "ktp", capture=django_capture_on_commit_callbacks)
    default_storage.delete(document.storage_name)  # lost, or unreadable with the current key
    tasks()
    check = DocumentCheck.objects.get(document=document)
    assert check.state == "failed" and check.error
    report = checks.report(check)
    assert report.final and report.failed and report.findings == []

    again = upload(draft, KK_SLOT, "kk", capture=django_capture_on_commit_callbacks)
    stuck = DocumentCheck.objects.get(document=again)
    DocumentCheck.objects.filter(pk=stuck.pk).update(attempts=checks.MAX_ATTEMPTS)
    assert checks.run(stuck.pk) == "failed"  # it stopped the worker too often


def test_a_check_over_its_time_limit_is_recorded_as_not_checkable(
    draft, tasks, settings, django_capture_on_commit_callbacks
):
    settings.LOKET_DOCCHECK_SECONDS = 0.001
    document = upload(draft, KK_SLOT, "kk", capture=django_capture_on_commit_callbacks)
    tasks()
    check = DocumentCheck.objects.get(document=document)
    assert check.state == "failed" and "time limit" in check.error
    assert checks.report(check).failed


def test_the_text_read_is_stored_encrypted(draft, tasks, django_capture_on_commit_callbacks):
    document = upload(draft, KK_SLOT, "kk", capture=django_capture_on_commit_callbacks)
    tasks()
    truth = generated("kk")[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT analysis FROM doccheck_documentcheck WHERE document_id = %s", [document.pk]
        )
        (raw,) = cursor.fetchone()
    assert truth["kk_number"] not in raw and truth["name"] not in raw and "KARTU" not in raw
    assert DocumentCheck.objects.get(document=document).analysis["kk_number"] == truth["kk_number"]


def test_pdfs_and_output_documents_get_no_check(draft, tasks, django_capture_on_commit_callbacks):
    from loket.applications.files import store_output
    from loket.applications.tests.conftest import pdf, pdf_bytes

    with django_capture_on_commit_callbacks(execute=True):
        store_requirement(draft, KK_SLOT, "KK", pdf())
        store_output(draft, pdf_bytes())
    assert tasks() == 0 and not DocumentCheck.objects.exists()


def test_a_lost_enqueue_is_found_by_the_periodic_job(draft, tasks):
    document = store_requirement(draft, KTP_SLOT, "KTP", upload_of("ktp"))  # no commit: no task
    assert tasks() == 0
    assert checks.enqueue_stale() == 0
    DocumentCheck.objects.update(created_at=timezone.now() - checks.STALE_AFTER * 2)
    assert checks.enqueue_stale() == 1
    tasks()
    assert DocumentCheck.objects.get(document=document).state == "done"
