from django.db import migrations, models


def load(apps, schema_editor):
    """Which document each requirement line expects (the upload check): reload the catalog."""
    from loket.catalog.loading import load_services

    load_services(apps.get_model("catalog", "Service"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_office_services")]
    operations = [
        migrations.AddField(
            model_name="service",
            name="document_kinds",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Satu per baris persyaratan: ktp, kk, akta, buku_nikah, "
                "surat_keterangan; beberapa dipisah | ; awalan ~ bila dokumen milik orang lain "
                "(NIK/nama tidak dibandingkan); kosong bila tidak diperiksa jenisnya.",
                verbose_name="jenis dokumen per persyaratan",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
