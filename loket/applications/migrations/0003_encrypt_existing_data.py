from django.db import migrations


def seal(apps, schema_editor):
    """Copies every application's clear `data` into the encrypted column, indexes its names."""
    from loket.applications.search import name_index

    Application = apps.get_model("applications", "Application")
    for application in Application.objects.only("pk", "data").iterator(chunk_size=500):
        data = application.data if isinstance(application.data, dict) else {}
        Application.objects.filter(pk=application.pk).update(
            data_sealed=data, name_index=name_index(data)
        )


def unseal(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    for application in Application.objects.only("pk", "data_sealed").iterator(chunk_size=500):
        Application.objects.filter(pk=application.pk).update(data=application.data_sealed or {})


class Migration(migrations.Migration):
    """Step 2 of 3: existing rows' data encrypted (runs on its own, before the schema change)."""

    dependencies = [("applications", "0002_sealed_data_and_document_pin")]

    operations = [migrations.RunPython(seal, unseal)]
