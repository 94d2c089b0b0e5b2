"""The staff inbox: who holds which conversation, saved answers, documents in both directions."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from loket.bot.models import Conversation
from loket.catalog.models import Office
from loket.whatsapp.models import Contact, InboundMessage


class Claim(models.Model):
    """A staff member holding a conversation handed to staff. At most one open claim each."""

    class Outcome(models.TextChoices):
        HANDED_BACK = "handed_back", "dikembalikan ke bot"
        CLOSED = "closed", "ditutup"
        LAPSED = "lapsed", "warga kembali ke menu"

    conversation = models.ForeignKey(
        Conversation, verbose_name="percakapan", on_delete=models.CASCADE, related_name="+"
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="petugas",
    )
    reason = models.CharField("alasan", max_length=16, blank=True)
    handed_at = models.DateTimeField("diteruskan pada", null=True, blank=True)
    claimed_at = models.DateTimeField("diambil pada")
    first_response_at = models.DateTimeField("balasan pertama", null=True, blank=True)
    replies = models.PositiveIntegerField("jumlah balasan", default=0)
    released_at = models.DateTimeField("dilepas pada", null=True, blank=True)
    outcome = models.CharField("hasil", max_length=16, choices=Outcome.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(released_at__isnull=True),
                name="one_open_claim_per_conversation",
            )
        ]
        ordering = ["-claimed_at"]
        indexes = [models.Index(fields=["handed_at"])]  # reports: the inbox wait per period
        verbose_name = "percakapan diambil petugas"
        verbose_name_plural = "percakapan diambil petugas"

    def __str__(self) -> str:
        return f"{self.conversation.contact} ← {self.claimed_by}"


class SavedReply(models.Model):
    """A quick answer staff reuse (e.g. how to upload a KK photo)."""

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("judul", max_length=80)
    text = models.TextField("isi jawaban")

    class Meta:
        ordering = ["title"]
        verbose_name = "jawaban tersimpan"
        verbose_name_plural = "jawaban tersimpan"

    def __str__(self) -> str:
        return self.title


def _token() -> str:
    return secrets.token_urlsafe(32)


class StaffDocument(models.Model):
    """A PDF staff send to a citizen: stored encrypted, fetched by Meta through a secret link."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_token)
    filename = models.CharField(max_length=200)
    path = models.CharField(max_length=300, help_text="relative to the private storage")
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    downloads = models.PositiveIntegerField(default=0)


class CitizenMedia(models.Model):
    """A photo or document a citizen sent in chat, downloaded by the worker and kept encrypted."""

    class State(models.TextChoices):
        PENDING = "pending", "menunggu unduhan"
        STORED = "stored", "tersimpan"
        FAILED = "failed", "gagal diunduh"

    message = models.OneToOneField(InboundMessage, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    media_id = models.CharField(max_length=200)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    mime = models.CharField(max_length=100, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=300, blank=True)
    size = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "berkas dari warga"
        verbose_name_plural = "berkas dari warga"
