"""Offices, their hours, the services of the catalog and the emergency service policy."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_noop


class Office(models.Model):
    name = models.CharField("nama", max_length=200)
    slug = models.SlugField("kode URL", unique=True)
    region_code = models.CharField(
        "kode wilayah", max_length=13, help_text="Kode Kemendagri kab/kota, mis. 64.71"
    )
    city_name = models.CharField("nama kab/kota", max_length=100)
    address = models.TextField("alamat", blank=True)
    phone_number_id = models.CharField(
        "WhatsApp phone number id",
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        help_text="Phone number ID dari Meta; pesan ke nomor ini milik kantor ini.",
    )
    whatsapp_display_number = models.CharField("nomor WhatsApp", max_length=32, blank=True)
    timezone_name = models.CharField("zona waktu", max_length=40, default="Asia/Makassar")

    class Meta:
        verbose_name = "kantor"
        verbose_name_plural = "kantor"

    def __str__(self) -> str:
        return self.name

    def hours_on(self, day: dt.date) -> "OfficeHours | None":
        """Opening hours on `day`, or None when closed (weekend, holiday, closure)."""
        if self.closures.filter(date=day).exists():
            return None
        return self.hours.filter(weekday=day.weekday()).first()


class OfficeHours(models.Model):
    WEEKDAYS = [
        (0, "Senin"),
        (1, "Selasa"),
        (2, "Rabu"),
        (3, "Kamis"),
        (4, "Jumat"),
        (5, "Sabtu"),
        (6, "Minggu"),
    ]
    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField("hari", choices=WEEKDAYS)
    opens = models.TimeField("buka")
    closes = models.TimeField("tutup")
    break_start = models.TimeField("istirahat mulai", null=True, blank=True)
    break_end = models.TimeField("istirahat selesai", null=True, blank=True)

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(fields=["office", "weekday"], name="one_hours_row_per_weekday")
        ]
        verbose_name = "jam layanan"
        verbose_name_plural = "jam layanan"

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class OfficeClosure(models.Model):
    """A day the office is closed: a national holiday, cuti bersama or a local closure."""

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="closures"
    )
    date = models.DateField("tanggal")
    reason = models.CharField("alasan", max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["office", "date"], name="one_closure_per_day")
        ]
        verbose_name = "hari tutup"
        verbose_name_plural = "hari tutup"

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class Service(models.Model):
    code = models.SlugField("kode", unique=True)
    name = models.CharField("nama", max_length=200)
    name_en = models.CharField("nama (English)", max_length=200, blank=True)
    short_name = models.CharField(
        "nama singkat",
        max_length=24,
        help_text="Maksimal 24 karakter (judul baris daftar WhatsApp).",
    )
    group = models.SlugField("kelompok menu", max_length=20)
    position = models.PositiveSmallIntegerField("urutan", default=0)
    requirements = models.JSONField("persyaratan", default=list)
    document_kinds = models.JSONField(
        "jenis dokumen per persyaratan",
        default=list,
        blank=True,
        help_text="Satu per baris persyaratan: ktp, kk, akta, buku_nikah, surat_keterangan; "
        "beberapa dipisah | ; awalan ~ bila dokumen milik orang lain (NIK/nama tidak "
        "dibandingkan); kosong bila tidak diperiksa jenisnya.",
    )
    output = models.TextField("dokumen yang diterbitkan", blank=True)
    needs_presence = models.BooleanField("perlu hadir", default=False)
    sla_hours = models.PositiveIntegerField("target waktu layanan (jam)", null=True, blank=True)
    reporting_deadline_days = models.PositiveIntegerField(
        "batas lapor (hari)", null=True, blank=True
    )
    legal_basis = models.TextField("dasar hukum", blank=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "layanan"
        verbose_name_plural = "layanan"

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The name in the active language: the catalog's English name for English pages."""
        if self.name_en and (translation.get_language() or "").split("-")[0] == "en":
            return self.name_en
        return self.name

    def document_kind(self, index: int) -> str:
        """The raw `document_kinds` entry of requirement line `index` ("" when none)."""
        kinds = self.document_kinds or []
        return str(kinds[index]) if 0 <= index < len(kinds) else ""


class OfficeService(models.Model):
    """One office's variation of the shared catalog: whether it offers a service, and a note.

    No row means offered, without a note (a new service appears at every office).
    """

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="offerings"
    )
    service = models.ForeignKey(
        Service, verbose_name="layanan", on_delete=models.CASCADE, related_name="+"
    )
    offered = models.BooleanField("dilayani di kantor ini", default=True)
    note = models.TextField(
        "catatan kantor",
        blank=True,
        help_text="Ditampilkan bot di bawah persyaratan, mis. syarat tambahan setempat.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "service"], name="one_offering_per_service")
        ]
        verbose_name = "layanan kantor"
        verbose_name_plural = "layanan kantor"

    def __str__(self) -> str:
        return f"{self.office}: {self.service} ({'ya' if self.offered else 'tidak'})"


@dataclass(frozen=True)
class ExpectedDocument:
    """The document kinds a requirement accepts (empty: any), and whether it is the applicant's
    own document (then the NIK, KK and name typed in the form are compared with it)."""

    kinds: tuple[str, ...]
    own: bool = True

    @classmethod
    def parse(cls, raw: str) -> "ExpectedDocument":
        """'~akta|kk' -> kinds ('akta', 'kk'), not the applicant's own."""
        kinds = tuple(k.strip() for k in raw.lstrip("~").split("|") if k.strip())
        return cls(kinds=kinds, own=not raw.startswith("~"))


class Mode(models.TextChoices):
    NORMAL = "normal", gettext_noop("Normal (tatap muka dan daring)")
    ONLINE_ONLY = "online_only", gettext_noop("Hanya daring")
    SUSPENDED = "suspended", gettext_noop("Dihentikan sementara")
    LIMITED = "limited", gettext_noop("Tatap muka terbatas (keperluan tertentu)")


class ServicePolicy(models.Model):
    """A named, dated set of rules, e.g. "Tanggap darurat COVID-19, 23–31 Maret 2020"."""

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="policies"
    )
    name = models.CharField("nama", max_length=200)
    starts_at = models.DateTimeField("berlaku mulai")
    ends_at = models.DateTimeField("berlaku sampai", null=True, blank=True)
    message = models.TextField("pesan untuk warga", blank=True)
    legal_basis = models.CharField("dasar (surat edaran)", max_length=300, blank=True)
    is_draft = models.BooleanField(
        "draf",
        default=False,
        help_text="Draf belum berlaku: terbitkan dulu dari halaman Kebijakan.",
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name="perubahan dari",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = "kebijakan layanan"
        verbose_name_plural = "kebijakan layanan"

    def __str__(self) -> str:
        return self.name

    def is_in_force(self, at: dt.datetime) -> bool:
        return (
            not self.is_draft
            and self.starts_at <= at
            and (self.ends_at is None or at < self.ends_at)
        )


class PolicyRule(models.Model):
    policy = models.ForeignKey(ServicePolicy, on_delete=models.CASCADE, related_name="rules")
    service = models.ForeignKey(
        Service, verbose_name="layanan", on_delete=models.CASCADE, related_name="+"
    )
    mode = models.CharField("mode", max_length=20, choices=Mode.choices)
    purposes = models.JSONField(
        "keperluan yang dilayani",
        default=list,
        blank=True,
        help_text='Untuk mode terbatas: daftar keperluan, mis. ["Pendaftaran TNI/Polri"].',
    )
    message = models.TextField("pesan untuk warga", blank=True)
    alternative = models.TextField("yang bisa dilakukan sementara", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "service"], name="one_rule_per_service_per_policy"
            )
        ]
        verbose_name = "aturan layanan"
        verbose_name_plural = "aturan layanan"

    def __str__(self) -> str:
        return f"{self.service.code}: {self.mode}"


class PolicyChange(models.Model):
    """One change to an office's policy, hours or closures: who, when and what, in words."""

    class Action(models.TextChoices):
        DRAFTED = "drafted", "Draf dibuat"
        EDITED = "edited", "Draf diubah"
        PUBLISHED = "published", "Diterbitkan"
        ENDED = "ended", "Diakhiri"
        DISCARDED = "discarded", "Draf dibuang"
        HOURS = "hours", "Jam layanan diubah"
        CLOSURE_ADDED = "closure_added", "Hari tutup ditambah"
        CLOSURE_REMOVED = "closure_removed", "Hari tutup dihapus"

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="policy_changes")
    policy = models.ForeignKey(
        ServicePolicy,
        verbose_name="kebijakan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    policy_name = models.CharField("nama kebijakan", max_length=200, blank=True)
    at = models.DateTimeField("waktu", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    action = models.CharField("perubahan", max_length=20, choices=Action.choices)
    summary = models.TextField("rincian", blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "riwayat perubahan kebijakan"
        verbose_name_plural = "riwayat perubahan kebijakan"

    def __str__(self) -> str:
        return f"{self.at:%d-%m-%Y %H:%M} {self.get_action_display()}"

    @property
    def lines(self) -> list[str]:
        return [line for line in self.summary.splitlines() if line.strip()]


def add_national_holidays(office: Office, year: int) -> int:
    """Closes the office on Indonesia's national holidays of `year` (the `holidays` package)."""
    import holidays

    added = 0
    for day, name in sorted(holidays.country_holidays("ID", years=year).items()):
        _, created = OfficeClosure.objects.get_or_create(
            office=office, date=day, defaults={"reason": name[:200]}
        )
        added += created
    return added


class CatalogVersion(models.Model):
    """One row whose number goes up with every saved change to the catalog, an office's own
    services or a policy (signals in catalog/versioning.py). A worker compares it, one cheap
    query per batch, with the number its in-memory copy was read at (catalog/policy.py)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "versi katalog"
