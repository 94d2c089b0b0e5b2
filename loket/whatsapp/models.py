"""The WhatsApp channel's rows: contacts, every inbound message and status, the outbox."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from loket.catalog.models import Office
from loket.core.fields import EncryptedJSONField, EncryptedTextField

CUSTOMER_SERVICE_WINDOW = dt.timedelta(hours=24)


class Contact(models.Model):
    """A WhatsApp user of one office: keyed on the business-scoped user id, else wa_id."""

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.PROTECT, related_name="contacts"
    )
    user_id = models.CharField("BSUID", max_length=160, null=True, blank=True)
    wa_id = models.CharField("wa_id", max_length=32, null=True, blank=True)
    phone = models.CharField("nomor telepon", max_length=32, blank=True)
    profile_name = models.CharField("nama profil", max_length=200, blank=True)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    last_inbound_at = models.DateTimeField("pesan terakhir dari warga", null=True, blank=True)
    # Per-contact rate limit (see inbound.rate_limit): messages in the current window, and the
    # end of the silence after the polite notice.
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)
    muted_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "user_id"],
                condition=Q(user_id__isnull=False),
                name="contact_unique_user_id",
            ),
            models.UniqueConstraint(
                fields=["office", "wa_id"],
                condition=Q(wa_id__isnull=False),
                name="contact_unique_wa_id",
            ),
            models.CheckConstraint(
                condition=Q(user_id__isnull=False) | Q(wa_id__isnull=False),
                name="contact_has_an_id",
            ),
        ]
        verbose_name = "kontak WhatsApp"
        verbose_name_plural = "kontak WhatsApp"

    def __str__(self) -> str:
        return self.profile_name or self.phone or self.wa_id or self.user_id or "?"

    @property
    def display_phone(self) -> str:
        number = self.phone or self.wa_id or ""
        return f"+{number}" if number and not number.startswith("+") else number

    def recipient_fields(self) -> dict:
        """How the Graph API addresses this contact: the phone number, else the BSUID."""
        if self.wa_id:
            return {"to": self.wa_id}
        return {"recipient": self.user_id}

    def window_open(self, at: dt.datetime | None = None) -> bool:
        """Inside the 24-hour customer-service window free-form messages are allowed."""
        at = at or timezone.now()
        return (
            self.last_inbound_at is not None and at - self.last_inbound_at < CUSTOMER_SERVICE_WINDOW
        )


class InboundMessage(models.Model):
    class State(models.TextChoices):
        NEW = "new", "baru"
        PROCESSING = "processing", "sedang diproses"
        DONE = "done", "selesai"
        FAILED = "failed", "gagal"
        LIMITED = "limited", "dibatasi (terlalu banyak pesan)"

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.PROTECT, related_name="+"
    )
    # Set by the worker (the contact upsert and rate limit run there, not in the webhook request):
    # empty only while the message waits in the queue.
    contact = models.ForeignKey(
        Contact,
        verbose_name="kontak",
        on_delete=models.PROTECT,
        related_name="inbound",
        null=True,
        blank=True,
    )
    # Who wrote, as the webhook said: what the worker needs to find or create the contact.
    sender_wa_id = models.CharField("wa_id pengirim", max_length=32, blank=True)
    sender_user_id = models.CharField("BSUID pengirim", max_length=160, blank=True)
    sender_name = models.CharField("nama profil pengirim", max_length=200, blank=True)
    wa_message_id = models.CharField("ID pesan WhatsApp", max_length=200, unique=True)
    type = models.CharField("jenis", max_length=32)
    text = EncryptedTextField("teks", blank=True)
    reply_id = models.CharField(
        "ID pilihan", max_length=200, blank=True, help_text="id of the chosen button or list row"
    )
    payload = EncryptedJSONField("data mentah")
    sent_at = models.DateTimeField("dikirim")
    received_at = models.DateTimeField("diterima", auto_now_add=True)
    state = models.CharField("status", max_length=16, choices=State.choices, default=State.NEW)
    claimed_at = models.DateTimeField("diambil pekerja", null=True, blank=True)
    processed_at = models.DateTimeField("diproses", null=True, blank=True)
    error = models.TextField("galat", blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [
            models.Index(fields=["state", "received_at"]),
            models.Index(fields=["office", "received_at"]),  # reports: per period
            # the workers' queue: small, as only waiting messages are in it
            models.Index(fields=["id"], condition=Q(state="new"), name="inbound_queue_idx"),
        ]
        verbose_name = "pesan masuk"
        verbose_name_plural = "pesan masuk"

    def __str__(self) -> str:
        return f"{self.contact}: {self.text[:40]}"


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "antre"
        SENDING = "sending", "sedang dikirim"
        ACCEPTED = "accepted", "diterima Meta"
        SENT = "sent", "terkirim"
        DELIVERED = "delivered", "sampai"
        READ = "read", "dibaca"
        FAILED = "failed", "gagal"

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, verbose_name="kontak", on_delete=models.PROTECT, related_name="outbound"
    )
    kind = models.CharField("jenis", max_length=16)  # text, interactive, template, document
    body = EncryptedJSONField("isi (JSON)", help_text="the message object without the recipient")
    preview = EncryptedTextField("teks", blank=True)
    source = models.CharField(
        "pengirim", max_length=64, blank=True, help_text="bot, staff, broadcast:…"
    )
    status = models.CharField(
        "status", max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    wa_message_id = models.CharField(
        "ID pesan WhatsApp", max_length=200, null=True, blank=True, unique=True
    )
    attempts = models.PositiveSmallIntegerField("percobaan", default=0)
    next_attempt_at = models.DateTimeField("coba lagi pada", default=timezone.now)
    claimed_at = models.DateTimeField("diambil pekerja", null=True, blank=True)
    error_code = models.CharField("kode galat", max_length=32, blank=True)
    error_message = models.TextField("pesan galat", blank=True)
    created_at = models.DateTimeField("dibuat", auto_now_add=True, db_index=True)
    accepted_at = models.DateTimeField("diterima Meta", null=True, blank=True)
    sent_at = models.DateTimeField("terkirim", null=True, blank=True)
    delivered_at = models.DateTimeField("sampai", null=True, blank=True)
    read_at = models.DateTimeField("dibaca", null=True, blank=True)
    failed_at = models.DateTimeField("gagal", null=True, blank=True)
    pricing_category = models.CharField(
        "kategori biaya",
        max_length=32,
        blank=True,
        help_text="Meta's pricing category from the status webhook",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # reports: per period; covering, so the counts read the index only
            models.Index(
                fields=["office", "created_at", "status", "kind", "pricing_category", "source"],
                name="outbound_report_idx",
            ),
        ]
        verbose_name = "pesan keluar"
        verbose_name_plural = "pesan keluar"

    def __str__(self) -> str:
        return f"→ {self.contact}: {self.preview[:40]}"

    def request_json(self) -> dict:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            **self.contact.recipient_fields(),
            **self.body,
        }


class SendAttempt(models.Model):
    message = models.ForeignKey(
        OutboundMessage, on_delete=models.CASCADE, related_name="attempt_log"
    )
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    http_status = models.PositiveSmallIntegerField(null=True)
    error_code = models.CharField(max_length=32, blank=True)
    error_message = models.TextField(blank=True)
    outcome = models.CharField(max_length=16)  # accepted, retry, failed

    class Meta:
        ordering = ["started_at"]


class StatusEvent(models.Model):
    """A status webhook (sent/delivered/read/failed), stored once per message and status."""

    wa_message_id = models.CharField(max_length=200)
    status = models.CharField(max_length=16)
    timestamp = models.DateTimeField()
    errors = models.JSONField(default=list, blank=True)
    payload = EncryptedJSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    applied = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["wa_message_id", "status"], name="one_status_event_per_status"
            )
        ]


class RejectedWebhookItem(models.Model):
    """A signed webhook item whose shape was wrong: kept (encrypted) with the reason, not run."""

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=16)  # body, change, message, status
    reason = models.CharField(max_length=200)
    raw = EncryptedTextField(help_text="the item as JSON (ASCII-escaped, at most 64 KB)")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "item webhook ditolak"
        verbose_name_plural = "item webhook ditolak"

    def __str__(self) -> str:
        return f"{self.kind}: {self.reason}"


class BusinessNumber(models.Model):
    """The office's WhatsApp number as Meta rates it: quality and messaging limit.

    Written by the `phone_number_quality_update` webhook and by `loket templates sync` (which
    reads the number from the Graph API). Each half keeps the time of the event that set it, so
    an older event arriving late changes nothing.
    """

    class Quality(models.TextChoices):
        GREEN = "GREEN", "hijau (baik)"
        YELLOW = "YELLOW", "kuning (waspada)"
        RED = "RED", "merah (buruk)"
        UNKNOWN = "UNKNOWN", "belum dinilai"

    office = models.OneToOneField(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="business_number"
    )
    business_account_id = models.CharField(
        "WhatsApp Business Account ID",
        max_length=40,
        blank=True,
        help_text="Kosong: WHATSAPP_BUSINESS_ACCOUNT_ID dari pengaturan server.",
    )
    quality_rating = models.CharField(
        "kualitas nomor", max_length=8, choices=Quality.choices, default=Quality.UNKNOWN
    )
    quality_at = models.DateTimeField("kualitas per", null=True, blank=True)
    messaging_limit = models.CharField(
        "batas pesan harian", max_length=20, blank=True, help_text="TIER_250, TIER_1K, …"
    )
    limit_at = models.DateTimeField("batas per", null=True, blank=True)
    last_event = models.CharField("peristiwa terakhir", max_length=40, blank=True)

    class Meta:
        verbose_name = "nomor WhatsApp bisnis"
        verbose_name_plural = "nomor WhatsApp bisnis"

    def __str__(self) -> str:
        return f"{self.office}: {self.quality_rating} {self.messaging_limit}"

    @property
    def daily_limit(self) -> int | None:
        """Unique people the number may start conversations with per 24 h; None: no limit
        known from Meta (or unlimited, see `unlimited`)."""
        return TIER_LIMITS.get(self.messaging_limit)

    @property
    def unlimited(self) -> bool:
        return self.messaging_limit == "TIER_UNLIMITED"


# Meta's messaging limit tiers: unique users reached with business-initiated messages per 24 h.
TIER_LIMITS = {
    "TIER_50": 50,
    "TIER_250": 250,
    "TIER_1K": 1_000,
    "TIER_2K": 2_000,
    "TIER_10K": 10_000,
    "TIER_100K": 100_000,
}
TIERS = [*TIER_LIMITS, "TIER_UNLIMITED", "TIER_NOT_SET"]


class OutboundMedia(models.Model):
    """The file of a document message: uploaded to Meta by the sending task, once.

    The media id is kept as soon as Meta returns it: a retry of the message reuses it.
    """

    message = models.OneToOneField(OutboundMessage, on_delete=models.CASCADE, related_name="media")
    storage_name = models.CharField(max_length=300, help_text="encrypted file in default_storage")
    content_type = models.CharField(max_length=100)
    filename = models.CharField(max_length=200)
    media_id = models.CharField(max_length=100, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    uploads = models.PositiveSmallIntegerField(default=0)
