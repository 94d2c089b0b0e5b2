"""Online applications: the dossier, its documents and its timestamped history.

State changes are model methods with guards (see `workflow.py` for the rules): each saves, writes
an ApplicationEvent and an audit entry, and queues the citizen's WhatsApp notification.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from loket.catalog.models import Office, Service
from loket.core.crypto import lookup_hash, mask
from loket.core.fields import EncryptedJSONField, EncryptedTextField
from loket.whatsapp.models import Contact

DEFAULT_SLA_HOURS = 72


class State(models.TextChoices):
    DRAFT = "draft", gettext_noop("Draf (belum dikirim)")
    SUBMITTED = "submitted", gettext_noop("Diterima, menunggu verifikasi")
    CORRECTION_REQUESTED = "correction_requested", gettext_noop("Perlu perbaikan dari pemohon")
    RESUBMITTED = "resubmitted", gettext_noop("Perbaikan diterima, menunggu verifikasi")
    VERIFIED = "verified", gettext_noop("Berkas lengkap (terverifikasi)")
    PROCESSING = "processing", gettext_noop("Sedang diproses")
    FINISHED = "finished", gettext_noop("Selesai, dokumen dikirim")
    READY_FOR_PICKUP = "ready_for_pickup", gettext_noop("Selesai, siap diambil")
    REJECTED = "rejected", gettext_noop("Ditolak")


OPEN_STATES = (State.SUBMITTED, State.RESUBMITTED, State.VERIFIED, State.PROCESSING)
EDITABLE_STATES = (State.DRAFT, State.CORRECTION_REQUESTED)
DONE_STATES = (State.FINISHED, State.READY_FOR_PICKUP, State.REJECTED)


class Application(models.Model):
    """One citizen's application for one service at one office."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="applications")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="applications")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    state = models.CharField(max_length=24, choices=State.choices, default=State.DRAFT)
    ticket = models.CharField(max_length=20, unique=True, null=True, blank=True)

    nik = EncryptedTextField("NIK", blank=True)
    nik_hash = models.CharField(max_length=64, blank=True, db_index=True)
    kk = EncryptedTextField("nomor KK", blank=True)
    kk_hash = models.CharField(max_length=64, blank=True, db_index=True)
    name = models.CharField("nama", max_length=200, blank=True)
    data = EncryptedJSONField(
        default=dict, blank=True, help_text="what the citizen typed (besides NIK/KK), encrypted"
    )
    kelurahan = models.CharField(
        "kode kelurahan",
        max_length=13,
        blank=True,
        default="",
        help_text="data['kelurahan'] in clear for the reports: a place, not a person",
    )
    name_index = models.TextField(
        blank=True, default="", help_text="keyed hashes of the words of every name in `data`"
    )

    correction_note = models.TextField("catatan perbaikan", blank=True)
    rejection_reason = models.TextField("alasan penolakan", blank=True)
    pickup_instructions = models.TextField("petunjuk pengambilan", blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="petugas yang menangani",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "service"],
                condition=Q(state="draft"),
                name="one_draft_per_contact_and_service",
            )
        ]
        indexes = [
            models.Index(fields=["office", "state", "due_at"]),
            models.Index(  # reports: per period, covering the counts per service
                fields=["office", "submitted_at", "service"], name="application_report_idx"
            ),
            models.Index(fields=["office", "finished_at"]),
        ]
        verbose_name = "permohonan"
        verbose_name_plural = "permohonan"

    def __str__(self) -> str:
        return self.ticket or f"draf #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        from loket.applications.search import name_index

        self.name_index = name_index(self.data or {})  # never out of step with `data`
        self.kelurahan = str((self.data or {}).get("kelurahan", ""))[:13]
        super().save(*args, **kwargs)

    # --- personal data ------------------------------------------------------------------------
    def set_nik(self, value: str) -> None:
        self.nik = value
        self.nik_hash = lookup_hash(value) if value else ""

    def set_kk(self, value: str) -> None:
        self.kk = value
        self.kk_hash = lookup_hash(value) if value else ""

    def set_data(self, data: dict) -> None:
        """What the citizen typed; the names in it become searchable through keyed hashes."""
        from loket.applications.search import name_index

        self.data = data
        self.name = str(data.get("name", ""))[:200]
        self.name_index = name_index(data)
        self.kelurahan = str(data.get("kelurahan", ""))[:13]

    def rehash(self) -> list[str]:
        """Recomputes the keyed hashes with the current key (`loket rotate-keys`)."""
        self.set_nik(self.nik)
        self.set_kk(self.kk)
        self.set_data(self.data)
        return ["nik_hash", "kk_hash", "name_index"]

    @property
    def nik_masked(self) -> str:
        return mask(self.nik, 4)

    @property
    def kk_masked(self) -> str:
        return mask(self.kk, 4)

    # --- reading state -----------------------------------------------------------------------
    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_done(self) -> bool:
        return self.state in DONE_STATES

    def sla(self) -> dt.timedelta:
        return dt.timedelta(hours=self.service.sla_hours or DEFAULT_SLA_HOURS)

    def is_overdue(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.due_at is not None and self.due_at < at and not self.is_done

    def requirement_documents(self) -> dict[int, "Document"]:
        return {
            d.requirement_index: d
            for d in self.documents.all()
            if d.kind == Document.Kind.REQUIREMENT and d.requirement_index is not None
        }

    def output_document(self) -> "Document | None":
        return next((d for d in self.documents.all() if d.kind == Document.Kind.OUTPUT), None)

    # --- state changes (workflow.py holds the rules; these are the public verbs) --------------
    def submit(self, request=None) -> bool:
        from loket.applications import workflow

        return workflow.submit(self, request=request)

    def verify(self, by, request=None) -> None:
        from loket.applications import workflow

        workflow.verify(self, by, request=request)

    def request_correction(self, by, note: str, request=None) -> None:
        from loket.applications import workflow

        workflow.request_correction(self, by, note, request=request)

    def start_processing(self, by, request=None) -> None:
        from loket.applications import workflow

        workflow.start_processing(self, by, request=request)

    def finish(self, by, pdf: bytes | None = None, pickup_instructions: str = "", request=None):
        from loket.applications import workflow

        workflow.finish(self, by, pdf=pdf, pickup_instructions=pickup_instructions, request=request)

    def reject(self, by, reason: str, request=None) -> None:
        from loket.applications import workflow

        workflow.reject(self, by, reason, request=request)

    def reopen(self, by, reason: str, request=None) -> None:
        from loket.applications import workflow

        workflow.reopen(self, by, reason, request=request)

    def assign(self, to, by, request=None) -> None:
        from loket.applications import workflow

        workflow.assign(self, to, by, request=request)


class Document(models.Model):
    """An uploaded requirement or the office's output PDF: encrypted, outside the web root."""

    class Kind(models.TextChoices):
        REQUIREMENT = "requirement", "persyaratan"
        OUTPUT = "output", "dokumen hasil"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REQUIREMENT)
    requirement_index = models.PositiveSmallIntegerField(null=True, blank=True)
    label = models.CharField(max_length=500)
    content_type = models.CharField(max_length=40)
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(help_text="bytes after cleaning, before encryption")
    storage_name = models.CharField(max_length=300)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # the finished document's second factor (see pin.py): hashed, attempts limited
    pin_hash = models.CharField(max_length=128, blank=True)
    pin_failures = models.PositiveSmallIntegerField(default=0)
    pin_failures_total = models.PositiveSmallIntegerField(default=0)
    pin_locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "requirement_index", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement_index"],
                condition=Q(kind="requirement"),
                name="one_document_per_requirement",
            )
        ]
        verbose_name = "dokumen"
        verbose_name_plural = "dokumen"

    def __str__(self) -> str:
        return self.label

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
            self.content_type, "bin"
        )

    def read(self) -> bytes:
        from loket.applications.files import read_encrypted

        return read_encrypted(self.storage_name)


class ApplicationEvent(models.Model):
    """One step of an application's history, with date and time; public labels only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=24, choices=State.choices)
    label = models.CharField(max_length=200)
    note = models.TextField(blank=True, help_text="for the citizen and staff; not on /cek/")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["state", "at"])]  # reports: corrections, verified days
        verbose_name = "riwayat permohonan"
        verbose_name_plural = "riwayat permohonan"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.label}"
