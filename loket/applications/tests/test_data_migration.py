"""The migration that encrypts existing applications' data: clear before, encrypted after,
the same content read back, the names indexed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import TextField
from django.db.models.functions import Cast

from loket.applications.search import name_index

BEFORE = [("applications", "0001_initial")]
AFTER = [("applications", "0004_drop_clear_data")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_by_the_migration(office):
    from loket.whatsapp.models import Contact

    contact = Contact.objects.create(office=office, wa_id="6281999", profile_name="Lama")
    old_apps = migrate(BEFORE)
    Application = old_apps.get_model("applications", "Application")
    data = {"name": "Rina Wulandari", "address": "Jl. Melati 7", "x_mother_name": "Sri Lestari"}
    Application.objects.create(
        office_id=office.pk,
        contact_id=contact.pk,
        service_id=old_apps.get_model("catalog", "Service").objects.get(code="akta-lahir").pk,
        state="submitted",
        ticket="BPN-OLD-001",
        name="Rina Wulandari",
        data=data,
    )
    try:
        new_apps = migrate(AFTER)
        Migrated = new_apps.get_model("applications", "Application")
        row = Migrated.objects.get(ticket="BPN-OLD-001")
        assert row.data == data and row.name_index == name_index(data)
        raw = (
            Migrated.objects.annotate(raw=Cast("data", TextField()))
            .values_list("raw", flat=True)
            .get(pk=row.pk)
        )
        assert "Melati" not in raw and "Sri" not in raw and raw.startswith("gAAAA")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
