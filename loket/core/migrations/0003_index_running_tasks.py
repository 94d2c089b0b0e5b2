from django.db import migrations


class Migration(migrations.Migration):
    """reclaim_orphans looks for RUNNING tasks every few seconds in every worker: a partial
    index keeps that cheap however many finished task results the table holds."""

    dependencies = [
        ("core", "0002_worker_lease"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS loket_running_tasks_idx "
            "ON django_tasks_database_dbtaskresult (started_at) WHERE status = 'RUNNING'",
            "DROP INDEX IF EXISTS loket_running_tasks_idx",
        )
    ]
