"""One automatic check per stored requirement photo (per document version: a new upload is a
new Document, so a new check). The text read is personal data: encrypted like the rest."""

from django.db import models

from loket.core.fields import EncryptedJSONField


class DocumentCheck(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "menunggu pemeriksaan"
        RUNNING = "running", "sedang diperiksa"
        DONE = "done", "selesai diperiksa"
        FAILED = "failed", "tidak dapat diperiksa"

    document = models.OneToOneField(
        "applications.Document", on_delete=models.CASCADE, related_name="photo_check"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    expected = models.CharField(
        "jenis yang diminta",
        max_length=100,
        blank=True,
        help_text="the requirement's document kinds when uploaded (catalog), e.g. 'kk' or '~ktp'",
    )
    analysis = EncryptedJSONField(
        default=dict, blank=True, help_text="engine.Analysis.to_dict(): text, NIK, name read"
    )
    error = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "created_at"])]
        verbose_name = "pemeriksaan foto dokumen"
        verbose_name_plural = "pemeriksaan foto dokumen"

    def __str__(self) -> str:
        return f"{self.document_id}: {self.get_state_display()}"

    @property
    def is_final(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
