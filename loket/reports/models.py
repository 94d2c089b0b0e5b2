from django.db import models

from loket.catalog.models import Office
from loket.staff.models import StaffMember


class SummarySent(models.Model):
    """The kepala's daily WhatsApp summary, claimed once per office, recipient and day."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    message_id = models.BigIntegerField(null=True, blank=True, help_text="the outbox row")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "recipient", "day"], name="one_summary_per_recipient_day"
            )
        ]
        verbose_name = "ringkasan harian terkirim"
        verbose_name_plural = "ringkasan harian terkirim"
