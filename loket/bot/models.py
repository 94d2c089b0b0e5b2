import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.db import models
from django.utils import timezone

from loket.catalog.models import Office, Service
from loket.core.bulk import update_rows
from loket.whatsapp.models import Contact

# The conversations saved inside `deferred_saves()`, by primary key; None elsewhere.
_deferred: ContextVar[dict | None] = ContextVar("loket_bot_deferred_saves", default=None)


class Conversation(models.Model):
    """The bot's small explicit state for one contact."""

    class State(models.TextChoices):
        IDLE = "idle", "menunggu pesan"
        AWAITING_MENU = "awaiting_menu", "menunggu pilihan menu"
        AWAITING_NOTIFY = "awaiting_notify", "menunggu jawaban tawaran kabar"
        AWAITING_CHOICE = "awaiting_choice", "menunggu pilihan maksud pesan"
        HANDED_TO_STAFF = "handed_to_staff", "diserahkan ke petugas"

    class Reason(models.TextChoices):
        ASKED = "asked", "minta bicara dengan petugas"
        COMPLAINT = "complaint", "keluhan"
        UNSURE = "unsure", "bot tidak paham tiga kali"
        MEDIA = "media", "mengirim berkas"

    class Complaint(models.TextChoices):
        EXTORTION = "extortion", "pungli / calo / dimintai uang"
        CONDUCT = "conduct", "sikap petugas"
        WAITING = "waiting", "antre / proses terlalu lama"
        IGNORED = "ignored", "tidak dilayani / disuruh pulang"

    contact = models.OneToOneField(
        Contact, verbose_name="kontak", on_delete=models.CASCADE, related_name="conversation"
    )
    state = models.CharField("status", max_length=20, choices=State.choices, default=State.IDLE)
    context = models.JSONField("konteks", default=dict, blank=True)
    language = models.CharField(
        "bahasa",
        max_length=8,
        blank=True,
        help_text="the citizen's choice, e.g. en; empty: Indonesian",
    )
    misunderstood = models.PositiveSmallIntegerField("tidak dipahami (kali)", default=0)
    handoff_reason = models.CharField(
        "alasan diteruskan", max_length=16, choices=Reason.choices, blank=True
    )
    complaint = models.CharField(
        "jenis keluhan",
        max_length=16,
        choices=Complaint.choices,
        blank=True,
        help_text="what a complaint is about",
    )
    handed_at = models.DateTimeField("diteruskan pada", null=True, blank=True)
    updated_at = models.DateTimeField("diperbarui", auto_now=True)

    class Meta:
        verbose_name = "percakapan"
        verbose_name_plural = "percakapan"

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_state_display()})"

    def save(self, *args, **kwargs) -> None:
        deferred = _deferred.get()
        if deferred is not None and self.pk is not None:
            self.updated_at = timezone.now()
            deferred[self.pk] = self
            return
        super().save(*args, **kwargs)

    def get_handoff_reason_display(self) -> str:
        """The reason staff see in the inbox; a complaint says what it is about."""
        label = dict(self.Reason.choices).get(self.handoff_reason, self.handoff_reason)
        if self.handoff_reason == self.Reason.COMPLAINT and self.complaint:
            return f"{label}: {self.get_complaint_display()}"
        return label

    def hand_to_staff(self, reason: str, complaint: str = "") -> None:
        self.state = self.State.HANDED_TO_STAFF
        self.handoff_reason = reason
        self.complaint = complaint
        self.handed_at = timezone.now()
        self.misunderstood = 0
        self.save()

    def reset(self) -> None:
        self.state = self.State.IDLE
        self.context = {}
        self.handoff_reason = ""
        self.complaint = ""
        self.handed_at = None
        self.save()


@contextlib.contextmanager
def deferred_saves() -> Iterator[None]:
    """Conversations saved inside the block are written together (one UPDATE) when it ends.

    For a worker's batch that succeeds or fails as a whole (bot.conversation.answering), like
    the replies' `outbox.deferred_rows`: a new conversation is still inserted at once."""
    changed: dict[int, Conversation] = {}
    token = _deferred.set(changed)
    try:
        yield
    finally:
        _deferred.reset(token)
    fields = [f.name for f in Conversation._meta.concrete_fields if not f.primary_key]
    update_rows(list(changed.values()), [name for name in fields if name != "contact"])


class ReopenSubscription(models.Model):
    """A citizen who wants to be told on WhatsApp when a suspended service reopens."""

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, verbose_name="kontak", on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        Service, verbose_name="layanan", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    notified_at = models.DateTimeField("dikabari pada", null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "service"],
                condition=models.Q(notified_at__isnull=True),
                name="one_open_reopen_subscription",
            )
        ]
        verbose_name = "permintaan kabar layanan dibuka"
        verbose_name_plural = "permintaan kabar layanan dibuka"

    def __str__(self) -> str:
        return f"{self.contact} → {self.service.code}"


class Turn(models.Model):
    """What the bot did with one inbound message: for the head of office's figures."""

    class Outcome(models.TextChoices):
        ANSWERED = "answered", "dijawab langsung"
        ASKED_BACK = "asked_back", "ditanya balik"
        HANDED = "handed", "diserahkan ke petugas"
        MENU = "menu", "menu / sapaan"
        STAFF = "staff", "sedang dilayani petugas"
        OTHER = "other", "lainnya"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    message = models.OneToOneField(
        "whatsapp.InboundMessage", on_delete=models.CASCADE, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    intent = models.CharField(max_length=32, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    understood = models.BooleanField(null=True, help_text="None: the text was not classified")

    class Meta:
        indexes = [  # covering the report's counts
            models.Index(
                fields=["office", "at", "outcome", "understood", "intent"], name="turn_report_idx"
            )
        ]
        verbose_name = "giliran bot"
        verbose_name_plural = "giliran bot"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.outcome} {self.intent}"
