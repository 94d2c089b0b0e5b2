"""Counters, the waiting room, slots with a capacity, bookings and the queue's tickets."""

import datetime as dt
import secrets

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from loket.catalog.models import Office, Service
from loket.core.fields import EncryptedTextField

CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B look-alikes


class Skill(models.TextChoices):
    """The roster's skill codes: which staff can open a counter for a service."""

    PEREKAMAN = "perekaman", "Perekaman KTP-el"
    PENCETAKAN = "pencetakan", "Pencetakan"
    PENDAFTARAN = "pendaftaran", "Pendaftaran"
    CAPIL = "capil", "Pencatatan sipil"
    CS = "cs", "Layanan pelanggan"
    VERIFIKASI = "verifikasi", "Verifikasi"
    LEGALISIR = "legalisir", "Legalisir"
    PENGAMBILAN = "pengambilan", "Pengambilan dokumen"


class CounterConfig(models.Model):
    """How a service is served at the counter; `counters` is used when no roster says more."""

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="counter_configs"
    )
    service = models.ForeignKey(
        Service, verbose_name="layanan", on_delete=models.CASCADE, related_name="+"
    )
    skill = models.CharField("keahlian petugas", max_length=20, choices=Skill.choices)
    counters = models.PositiveSmallIntegerField(
        "loket buka (manual)", default=1, help_text="Dipakai bila jadwal piket hari itu tidak ada."
    )
    minutes_per_person = models.PositiveSmallIntegerField("menit per orang", default=10)
    daily_cap = models.PositiveIntegerField(
        "batas per hari", null=True, blank=True, help_text="Mis. 200 perekaman KTP-el per hari."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "service"], name="one_counter_config"),
            models.CheckConstraint(condition=Q(minutes_per_person__gt=0), name="minutes_gt_0"),
        ]
        verbose_name = "pengaturan loket"
        verbose_name_plural = "pengaturan loket"

    def __str__(self) -> str:
        return f"{self.service.code}: {self.counters} loket × {self.minutes_per_person} menit"


class WaitingRoom(models.Model):
    """The waiting room: chairs, how many are usable with distancing, how long a slot is."""

    office = models.OneToOneField(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="waiting_room"
    )
    chairs = models.PositiveSmallIntegerField("jumlah kursi", default=40)
    chair_spacing = models.PositiveSmallIntegerField(
        "jarak kursi", default=2, help_text="2 = satu dari dua kursi dipakai."
    )
    slot_minutes = models.PositiveSmallIntegerField("panjang sesi (menit)", default=60)
    days_ahead = models.PositiveSmallIntegerField("sesi dibuka untuk (hari)", default=7)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(chair_spacing__gt=0), name="spacing_gt_0"),
            models.CheckConstraint(condition=Q(slot_minutes__gt=0), name="slot_minutes_gt_0"),
        ]
        verbose_name = "ruang tunggu"
        verbose_name_plural = "ruang tunggu"

    def __str__(self) -> str:
        return f"{self.office}: {self.people_at_once} orang"

    @property
    def people_at_once(self) -> int:
        return self.chairs // self.chair_spacing


class Slot(models.Model):
    """A time window for one service; `booked` counts the places taken (bookings and walk-ins)."""

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        Service, verbose_name="layanan", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("tanggal")
    starts_at = models.DateTimeField("mulai")
    ends_at = models.DateTimeField("selesai")
    capacity = models.PositiveIntegerField("kapasitas")
    booked = models.PositiveIntegerField("terisi", default=0)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "service", "starts_at"], name="one_slot_per_service_time"
            ),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_not_over"),
        ]
        indexes = [models.Index(fields=["office", "day"])]
        verbose_name = "sesi"
        verbose_name_plural = "sesi"

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.service.code} {local:%Y-%m-%d %H:%M} ({self.booked}/{self.capacity})"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def label(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%H:%M}–{end:%H:%M}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", gettext_noop("terdaftar")
        CHECKED_IN = "checked_in", gettext_noop("sudah hadir")
        CANCELLED = "cancelled", gettext_noop("dibatalkan")
        NO_SHOW = "no_show", gettext_noop("tidak hadir")

    ACTIVE = (Status.BOOKED, Status.CHECKED_IN)

    code = models.CharField("kode", max_length=12, unique=True, default=new_code)
    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        Service, verbose_name="layanan", on_delete=models.PROTECT, related_name="+"
    )
    slot = models.ForeignKey(
        Slot, verbose_name="sesi", on_delete=models.PROTECT, related_name="bookings"
    )
    day = models.DateField("tanggal")
    contact = models.ForeignKey(
        "whatsapp.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="kontak",
    )
    nik = EncryptedTextField("NIK")
    nik_hash = models.CharField("sidik NIK", max_length=64, db_index=True)
    name = models.CharField("nama", max_length=200)
    purpose = models.CharField("keperluan", max_length=200, blank=True)
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    created_at = models.DateTimeField("dibuat", default=timezone.now)
    checked_in_at = models.DateTimeField("hadir pada", null=True, blank=True)
    cancelled_at = models.DateTimeField("dibatalkan pada", null=True, blank=True)
    cancel_reason = models.CharField("alasan batal", max_length=200, blank=True)
    reminder_sent_at = models.DateTimeField("pengingat dikirim", null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nik_hash", "service", "day"],
                condition=Q(status__in=["booked", "checked_in"]),
                name="one_active_booking_per_nik_service_day",
            )
        ]
        indexes = [models.Index(fields=["office", "day"])]  # reports: per period
        verbose_name = "janji temu"
        verbose_name_plural = "janji temu"

    def __str__(self) -> str:
        return f"{self.code} ({self.service.code} {self.day})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def check_in(self, priority: str = "", actor=None, request=None) -> "Ticket":
        """Arrived at the office: becomes a ticket in today's queue (guards in queue.check_in)."""
        from loket.appointments import queue

        return queue.check_in(self, priority=priority, actor=actor, request=request)


class QueueDay(models.Model):
    """One row per office and day: locked to number tickets and to count people inside."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "day"], name="one_queue_day")]


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "menunggu"
        CALLED = "called", "dipanggil"
        SERVED = "served", "selesai"
        NO_SHOW = "no_show", "tidak hadir"

    class Priority(models.TextChoices):
        NONE = "", "—"
        ELDERLY = "elderly", "lansia"
        DISABLED = "disabled", "disabilitas"
        PREGNANT = "pregnant", "ibu hamil"

    INSIDE = (Status.WAITING, Status.CALLED)

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField("hari")
    number = models.PositiveIntegerField("nomor")
    service = models.ForeignKey(
        Service, verbose_name="layanan", on_delete=models.PROTECT, related_name="+"
    )
    slot = models.ForeignKey(
        Slot, verbose_name="sesi", on_delete=models.PROTECT, null=True, related_name="+"
    )
    booking = models.OneToOneField(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket",
        verbose_name="janji",
    )
    priority = models.CharField(
        "prioritas", max_length=10, choices=Priority.choices, blank=True, default=""
    )
    rank = models.PositiveSmallIntegerField(
        "urutan", default=2
    )  # 0 priority group, 1 booked, 2 walk-in
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.WAITING
    )
    counter = models.CharField("loket", max_length=10, blank=True)
    created_at = models.DateTimeField("dibuat", default=timezone.now)
    called_at = models.DateTimeField("dipanggil", null=True, blank=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)

    class Meta:
        ordering = ["rank", "number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "day", "number"], name="one_ticket_number")
        ]
        indexes = [models.Index(fields=["office", "day", "status"])]
        verbose_name = "tiket antrean"
        verbose_name_plural = "tiket antrean"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{'B' if self.booking_id else 'A'}{self.number:03d}"

    def call(self, counter: str, actor=None) -> bool:
        return self._move(Ticket.Status.WAITING, Ticket.Status.CALLED, actor, counter=counter)

    def serve(self, actor=None) -> bool:
        return self._move(Ticket.Status.CALLED, Ticket.Status.SERVED, actor)

    def no_show(self, actor=None) -> bool:
        return self._move(Ticket.Status.CALLED, Ticket.Status.NO_SHOW, actor)

    def _move(self, source: str, target: str, actor, counter: str = "") -> bool:
        """Guarded transition, claimed with a conditional UPDATE so two clicks move it once."""
        from loket.core.audit import log_action

        now = timezone.now()
        changes: dict = {"status": target}
        if target == Ticket.Status.CALLED:
            changes.update(counter=counter[:10], called_at=now)
        else:
            changes["finished_at"] = now
        if not Ticket.objects.filter(pk=self.pk, status=source).update(**changes):
            return False
        for field, value in changes.items():
            setattr(self, field, value)
        log_action(f"ticket.{target}", self, actor=actor, label=self.label, counter=self.counter)
        return True


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


class TurnedAway(models.Model):
    """A walk-in the counter could not take (no room today, room full, service not open)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    reason = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["office", "day"])]
        verbose_name = "warga tidak terlayani"
        verbose_name_plural = "warga tidak terlayani"
