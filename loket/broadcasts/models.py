"""Broadcasts: approved templates, recipient lists, opt-outs and one row per person reached."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q

from loket.catalog.models import Office, Service
from loket.whatsapp.models import Contact, OutboundMessage

PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


class MessageTemplate(models.Model):
    """A WhatsApp message template of the office, as Meta has it (see metasync.py).

    Status and quality are Meta's: set by `loket templates sync` and by the template webhooks,
    never typed by hand. `status_at`/`quality_at` are the times of the event that set them, so a
    late, older webhook changes nothing.
    """

    class Status(models.TextChoices):
        APPROVED = "approved", "disetujui Meta"
        PENDING = "pending", "menunggu persetujuan"
        REJECTED = "rejected", "ditolak"
        PAUSED = "paused", "dijeda Meta"
        DISABLED = "disabled", "dinonaktifkan Meta"
        IN_APPEAL = "in_appeal", "sedang banding"
        PENDING_DELETION = "pending_deletion", "sedang dihapus"
        DELETED = "deleted", "dihapus"
        ARCHIVED = "archived", "diarsipkan"
        LIMIT_EXCEEDED = "limit_exceeded", "melebihi batas jumlah template"
        NOT_ON_META = "not_on_meta", "tidak ada di Meta"

    class Category(models.TextChoices):
        UTILITY = "utility", "utilitas"
        MARKETING = "marketing", "pemasaran"
        AUTHENTICATION = "authentication", "autentikasi"

    class Quality(models.TextChoices):
        GREEN = "GREEN", "hijau (baik)"
        YELLOW = "YELLOW", "kuning (waspada)"
        RED = "RED", "merah (buruk)"
        UNKNOWN = "UNKNOWN", "belum dinilai"

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="+"
    )
    name = models.SlugField("nama di Meta", max_length=512)
    language = models.CharField("bahasa", max_length=10, default="id")
    category = models.CharField(
        "kategori", max_length=16, choices=Category.choices, default="utility"
    )
    body = models.TextField("isi", help_text="Teks seperti didaftarkan, parameter {{1}}, {{2}}…")
    examples = models.JSONField(
        "contoh isian", default=list, blank=True, help_text="example values sent to Meta"
    )
    status = models.CharField(
        "status", max_length=16, choices=Status.choices, default=Status.PENDING
    )
    rejected_reason = models.CharField("alasan Meta", max_length=200, blank=True)
    quality = models.CharField(
        "kualitas", max_length=8, choices=Quality.choices, default=Quality.UNKNOWN
    )
    meta_id = models.CharField("ID template di Meta", max_length=40, blank=True, db_index=True)
    status_at = models.DateTimeField("status per", null=True, blank=True)
    quality_at = models.DateTimeField("kualitas per", null=True, blank=True)
    synced_at = models.DateTimeField("sinkron terakhir", null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name", "language"], name="one_template_per_name"
            )
        ]
        ordering = ["name"]
        verbose_name = "template WhatsApp"
        verbose_name_plural = "template WhatsApp"

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    @property
    def parameter_count(self) -> int:
        return max((int(n) for n in PLACEHOLDER.findall(self.body)), default=0)

    @property
    def approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def preview(self, parameters: list[str]) -> str:
        def fill(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            return parameters[index] if index < len(parameters) else match.group(0)

        return PLACEHOLDER.sub(fill, self.body)


class Official(models.Model):
    """A camat, lurah or RT/RW head of the office's region: a recipient of circulars."""

    class Role(models.TextChoices):
        CAMAT = "camat", "Camat"
        LURAH = "lurah", "Lurah"
        RW = "rw", "Ketua RW"
        RT = "rt", "Ketua RT"

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, verbose_name="kontak", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("nama", max_length=200)
    role = models.CharField("jabatan", max_length=8, choices=Role.choices)
    region_code = models.CharField("kode wilayah", max_length=20)
    region_name = models.CharField("nama wilayah", max_length=200, blank=True)
    unit = models.CharField("RT/RW", max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "contact", "role", "region_code", "unit"],
                name="one_official_per_post",
            )
        ]
        ordering = ["region_code", "role", "unit"]
        verbose_name = "pejabat wilayah"
        verbose_name_plural = "pejabat wilayah"

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.region_name or self.region_code} {self.unit}"


class Subscription(models.Model):
    """A citizen who asked the bot for the office's news ("mau dapat info")."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pelanggan info"
        verbose_name_plural = "pelanggan info"


class OptOut(models.Model):
    """A contact who said stop: no broadcast reaches them again."""

    contact = models.OneToOneField(
        Contact, verbose_name="kontak", on_delete=models.CASCADE, related_name="opt_out"
    )
    word = models.CharField("kata", max_length=32)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)

    class Meta:
        verbose_name = "berhenti berlangganan"
        verbose_name_plural = "berhenti berlangganan"


class Broadcast(models.Model):
    class Audience(models.TextChoices):
        OFFICIALS = "officials", "Camat, lurah, ketua RT/RW"
        CAMAT_LURAH = "camat_lurah", "Camat dan lurah saja"
        SUBSCRIBERS = "subscribers", "Pelanggan info dari bot"
        WAITING = "waiting", "Yang menunggu layanan dibuka"

    class Status(models.TextChoices):
        DRAFT = "draft", "draf"
        SCHEDULED = "scheduled", "terjadwal"
        SENDING = "sending", "sedang dikirim"
        DONE = "done", "selesai"
        CANCELLED = "cancelled", "dibatalkan"

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("judul", max_length=200)
    template = models.ForeignKey(
        MessageTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="template",
    )
    parameters = models.JSONField("isian parameter", default=list, blank=True)
    audience = models.CharField("penerima", max_length=16, choices=Audience.choices)
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="layanan",
    )
    status = models.CharField("status", max_length=16, choices=Status.choices, default=Status.DRAFT)
    scheduled_at = models.DateTimeField("jadwal kirim", null=True, blank=True)
    last_batch_at = models.DateTimeField("kiriman terakhir", null=True, blank=True)
    started_at = models.DateTimeField("mulai", null=True, blank=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dibuat oleh",
    )
    created_at = models.DateTimeField("dibuat", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "siaran"
        verbose_name_plural = "siaran"

    def __str__(self) -> str:
        return self.title

    @property
    def source(self) -> str:
        return f"broadcast:{self.pk}"

    def preview(self) -> str:
        return self.template.preview(self.parameters) if self.template else ""


class BroadcastRecipient(models.Model):
    """One person of one broadcast: claimed (pending -> queued) once, by a conditional UPDATE."""

    class State(models.TextChoices):
        PENDING = "pending", "menunggu"
        QUEUED = "queued", "masuk antrean kirim"
        SKIPPED = "skipped", "dilewati"

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    skip_reason = models.CharField(max_length=64, blank=True)
    outbound = models.OneToOneField(
        OutboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["broadcast", "contact"], name="one_recipient_per_broadcast"
            ),
            models.CheckConstraint(
                condition=~Q(state="queued") | Q(queued_at__isnull=False),
                name="queued_recipient_has_time",
            ),
        ]
        indexes = [models.Index(fields=["broadcast", "state"])]
