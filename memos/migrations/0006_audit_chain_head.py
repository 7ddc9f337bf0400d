# The memo's audit chain gets its head on the memo and the memo's row on each event.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('memos', '0005_stored_files_random_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='memo',
            name='chain_head',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='memo',
            name='chain_seq',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='memoevent',
            name='owner_row',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
    ]
