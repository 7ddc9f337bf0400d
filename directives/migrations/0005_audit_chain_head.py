# Directive events join an audit chain (audit.chain): the head on the directive, the place,
# the directive's row and the digest on each event. Events can no longer be deleted with
# their directive or distribution (PROTECT): they are history.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('directives', '0004_stored_files_random_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='directive',
            name='chain_head',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='directive',
            name='chain_seq',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='directiveevent',
            name='hash',
            field=models.CharField(default='', editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='directiveevent',
            name='owner_row',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name='directiveevent',
            name='seq',
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='directiveevent',
            name='directive',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='directives.directive'),
        ),
        migrations.AlterField(
            model_name='directiveevent',
            name='distribution',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='directives.distribution'),
        ),
    ]
