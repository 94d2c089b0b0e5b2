from django.db import migrations


def load(apps, schema_editor):
    """The catalog's outputs are Indonesian now (citizens read them): reload the catalog."""
    from loket.catalog.loading import load_services

    load_services(apps.get_model("catalog", "Service"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_load_services")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
