"""Staff directory, roster periods and their rules, the days' assignments, swaps, attendance."""

import datetime as dt

from django.db import models
from django.db.models import Q

from loket.catalog.models import Office
from loket.roster import skills
from loket.staff.models import StaffMember


class Employee(models.Model):
    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.PROTECT, related_name="employees"
    )
    name = models.CharField("nama", max_length=200)
    nip = models.CharField("NIP", max_length=18, blank=True)
    unit = models.CharField("bidang/seksi", max_length=100)
    position = models.CharField("jabatan", max_length=100, blank=True)
    skills = models.JSONField("keahlian", default=list, blank=True)
    is_supervisor = models.BooleanField("penanggung jawab (supervisor)", default=False)
    whatsapp = models.CharField(
        "nomor WhatsApp", max_length=20, blank=True, help_text="Format internasional, mis. 628…"
    )
    piket_group = models.CharField("kelompok piket", max_length=1, blank=True)
    staff_member = models.OneToOneField(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name="akun staf",
    )
    active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "nip"], condition=~Q(nip=""), name="employee_unique_nip"
            )
        ]
        verbose_name = "pegawai"
        verbose_name_plural = "pegawai"

    def __str__(self) -> str:
        return self.name

    def skill_labels(self) -> list[str]:
        return [skills.LABELS.get(code, code) for code in self.skills]


class RosterPeriod(models.Model):
    """A month (or any span) of piket with its rules."""

    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.PROTECT, related_name="roster_periods"
    )
    name = models.CharField("nama", max_length=100)
    start = models.DateField("mulai")
    end = models.DateField("sampai")
    office_every = models.PositiveSmallIntegerField(
        "pola piket (hari kerja)",
        default=2,
        help_text="Paling banyak satu hari di kantor dalam sekian hari kerja berturut-turut "
        "(2 = selang-seling per dua hari, 1 = tanpa pola).",
    )
    max_in_office = models.PositiveIntegerField(
        "maksimal di kantor per hari", null=True, blank=True
    )
    min_per_skill = models.JSONField("minimal petugas per keahlian per hari", default=dict)
    supervisor_per_unit = models.BooleanField("minimal satu supervisor per bidang", default=True)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    solved_at = models.DateTimeField("disusun pada", null=True, blank=True)
    solver_status = models.CharField("hasil penyusun", max_length=20, blank=True)
    objective = models.FloatField("nilai tujuan", null=True, blank=True)
    bound = models.FloatField("batas", null=True, blank=True)
    seconds = models.FloatField("detik", null=True, blank=True)
    shortages = models.JSONField("kekurangan", default=list, blank=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = "periode piket"
        verbose_name_plural = "periode piket"

    def __str__(self) -> str:
        return self.name

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]


class RosterDay(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draf"
        PUBLISHED = "published", "Diumumkan"
        LOCKED = "locked", "Dikunci"

    period = models.ForeignKey(
        RosterPeriod, verbose_name="periode", on_delete=models.CASCADE, related_name="roster_days"
    )
    date = models.DateField("tanggal")
    working = models.BooleanField("hari kerja", default=True)
    state = models.CharField("status", max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField("diumumkan pada", null=True, blank=True)

    class Meta:
        verbose_name = "hari piket"
        verbose_name_plural = "hari piket"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["period", "date"], name="one_roster_day_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.date} ({self.state})"


class Assignment(models.Model):
    class Mode(models.TextChoices):
        OFFICE = "office", "Di kantor"
        WFH = "wfh", "Kerja dari rumah"
        LEAVE = "leave", "Cuti/sakit/dinas"
        OFF = "off", "Libur"

    period = models.ForeignKey(
        RosterPeriod, verbose_name="periode", on_delete=models.CASCADE, related_name="assignments"
    )
    employee = models.ForeignKey(
        Employee, verbose_name="pegawai", on_delete=models.CASCADE, related_name="assignments"
    )
    date = models.DateField("tanggal")
    mode = models.CharField("tempat kerja", max_length=8, choices=Mode.choices)

    class Meta:
        verbose_name = "penugasan"
        verbose_name_plural = "penugasan"
        ordering = ["date", "employee__unit", "employee__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "employee", "date"], name="one_assignment_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.date}: {self.mode}"


class Absence(models.Model):
    """Leave, sickness or duty travel: a hard rule (never in the office those days)."""

    class Kind(models.TextChoices):
        CUTI = "cuti", "Cuti"
        SAKIT = "sakit", "Sakit"
        DINAS = "dinas", "Dinas luar"

    employee = models.ForeignKey(
        Employee, verbose_name="pegawai", on_delete=models.CASCADE, related_name="absences"
    )
    kind = models.CharField("jenis", max_length=8, choices=Kind.choices)
    start = models.DateField("mulai")
    end = models.DateField("sampai")
    note = models.CharField("keterangan", max_length=200, blank=True)

    class Meta:
        verbose_name = "cuti / sakit / dinas"
        verbose_name_plural = "cuti / sakit / dinas"
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.employee} {self.kind} {self.start}–{self.end}"


class Preference(models.Model):
    """A wish (soft): in the office, or at home, on a day."""

    employee = models.ForeignKey(
        Employee, verbose_name="pegawai", on_delete=models.CASCADE, related_name="preferences"
    )
    date = models.DateField("tanggal")
    wants_office = models.BooleanField("ingin di kantor")

    class Meta:
        verbose_name = "keinginan"
        verbose_name_plural = "keinginan"
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="one_preference_per_day")
        ]


class SwapRequest(models.Model):
    """Two staff exchange office days: the requester gives `give_date` (the partner comes in)
    and, when set, takes the partner's `take_date`. A supervisor approves; the rules are
    re-checked before anything changes."""

    class Status(models.TextChoices):
        PENDING = "pending", "Menunggu"
        APPROVED = "approved", "Disetujui"
        REJECTED = "rejected", "Ditolak"

    period = models.ForeignKey(
        RosterPeriod, verbose_name="periode", on_delete=models.CASCADE, related_name="swaps"
    )
    requester = models.ForeignKey(
        Employee, verbose_name="pemohon", on_delete=models.CASCADE, related_name="+"
    )
    partner = models.ForeignKey(
        Employee, verbose_name="rekan", on_delete=models.CASCADE, related_name="+"
    )
    give_date = models.DateField("hari yang diserahkan")
    take_date = models.DateField("hari yang diambil", null=True, blank=True)
    reason = models.CharField("alasan", max_length=200, blank=True)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="diputuskan oleh",
    )
    decided_at = models.DateTimeField("diputuskan pada", null=True, blank=True)
    decision_note = models.TextField("catatan keputusan", blank=True)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)

    class Meta:
        verbose_name = "permintaan tukar"
        verbose_name_plural = "permintaan tukar"
        ordering = ["-created_at"]


class Attendance(models.Model):
    """Check-in/out on office days, a short report on home (WFH) days."""

    employee = models.ForeignKey(
        Employee, verbose_name="pegawai", on_delete=models.CASCADE, related_name="attendance"
    )
    date = models.DateField("tanggal")
    check_in = models.DateTimeField("datang", null=True, blank=True)
    check_out = models.DateTimeField("pulang", null=True, blank=True)
    wfh_report = models.TextField("laporan kerja dari rumah", blank=True)
    reported_at = models.DateTimeField("laporan dikirim", null=True, blank=True)

    class Meta:
        verbose_name = "kehadiran"
        verbose_name_plural = "kehadiran"
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="one_attendance_per_day")
        ]
