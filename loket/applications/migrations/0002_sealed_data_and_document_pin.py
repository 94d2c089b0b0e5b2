import loket.core.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    """Step 1 of 3: a column for the encrypted `data`, the name index, the document PIN."""

    dependencies = [("applications", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="data_sealed",
            field=loket.core.fields.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="application",
            name="name_index",
            field=models.TextField(
                blank=True,
                default="",
                help_text="keyed hashes of the words of every name in `data`",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="pin_hash",
            field=models.CharField(blank=True, max_length=128),
        ),
        migrations.AddField(
            model_name="document",
            name="pin_failures",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="document",
            name="pin_failures_total",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="document",
            name="pin_locked_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
