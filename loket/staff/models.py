from django.conf import settings
from django.db import models

from loket.catalog.models import Office


class Role(models.TextChoices):
    OPERATOR = "operator", "Operator / front office"
    VERIFIKATOR = "verifikator", "Verifikator"
    KEPALA = "kepala", "Kepala dinas (melihat; mengubah kebijakan layanan)"
    ADMIN = "admin", "Admin"
    PROVINSI = "provinsi", "Provinsi / lintas kantor (lihat laporan saja)"


class StaffMember(models.Model):
    """A user's place in one office and the role that decides what they may do there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_member",
        verbose_name="akun",
    )
    office = models.ForeignKey(
        Office, verbose_name="kantor", on_delete=models.PROTECT, related_name="staff_members"
    )
    role = models.CharField("peran", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = "anggota staf"
        verbose_name_plural = "anggota staf"

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()})"

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username

    def has_role(self, *roles: str) -> bool:
        if self.role == Role.PROVINSI:  # reads reports across offices, nothing else
            return Role.PROVINSI in roles
        if not roles or self.role in roles:
            return True
        # an office's admin may do what any role of *their office* may; the cross-office
        # province pages are not their office's
        return self.role == Role.ADMIN and any(r != Role.PROVINSI for r in roles)
