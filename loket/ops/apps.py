from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running Loket: backups and restores, metrics for Prometheus (top layer: reads every app)."""

    name = "loket.ops"
    label = "ops"
    verbose_name = "Operasional"
