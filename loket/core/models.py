from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """Who did what to which record, when and from where. Never edited, never deleted."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = "catatan audit"
        verbose_name_plural = "catatan audit"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class LinkGeneration(models.Model):
    """How many times a contact's personal links were revoked ("batal link", or by staff).

    Every token carries the generation it was made in; a token of an older generation is
    refused. Keyed by the contact's id (core knows no Contact model).
    """

    contact_id = models.BigIntegerField(unique=True)
    generation = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "pembatalan tautan"
        verbose_name_plural = "pembatalan tautan"

    def __str__(self) -> str:
        return f"kontak #{self.contact_id}: generasi {self.generation}"


class WorkerLease(models.Model):
    """A live task worker: it renews `heartbeat_at` every few seconds while it runs.

    A task left RUNNING by a worker whose heartbeat stopped (killed, machine lost) is handed back
    to the queue by `loket.core.leases.reclaim_orphans`.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "worker tugas"
        verbose_name_plural = "worker tugas"

    def __str__(self) -> str:
        return self.worker_id


class MetricTotal(models.Model):
    """A running total for Prometheus that no other row can give: webhook requests refused
    before anything is stored, reply-latency histogram buckets. Each process adds its counts
    here every few seconds (loket.core.metrics), so any web process can answer a scrape."""

    name = models.CharField(max_length=100)
    labels = models.CharField(max_length=200, blank=True)  # "reason=signature,result=refused"
    value = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "labels"], name="one_metric_total_per_labels")
        ]

    def __str__(self) -> str:
        return f"{self.name}{{{self.labels}}} {self.value}"
