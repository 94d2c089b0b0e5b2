from django.db import migrations


def load(apps, schema_editor):
    from loket.catalog.loading import load_services

    load_services(apps.get_model("catalog", "Service"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
