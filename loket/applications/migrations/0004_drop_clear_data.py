import loket.core.fields
from django.db import migrations


class Migration(migrations.Migration):
    """Step 3 of 3: the clear `data` column goes; the encrypted one takes its name."""

    dependencies = [("applications", "0003_encrypt_existing_data")]

    operations = [
        migrations.RemoveField(model_name="application", name="data"),
        migrations.RenameField(model_name="application", old_name="data_sealed", new_name="data"),
        migrations.AlterField(
            model_name="application",
            name="data",
            field=loket.core.fields.EncryptedJSONField(
                blank=True,
                default=dict,
                help_text="what the citizen typed (besides NIK/KK), encrypted",
            ),
        ),
    ]
