# Every directive event has its place now; PostgreSQL refuses UPDATE and DELETE on the
# event table (django-pgtrigger; nothing on SQLite).

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('directives', '0006_audit_chain_keyed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='directiveevent',
            name='seq',
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name='directiveevent',
            constraint=models.UniqueConstraint(fields=('directive', 'seq'), name='directive_event_seq_unique'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='directiveevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='0f8a65afee8324151548f2d646f300e9e8ba343e', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_f4440', table='directives_directiveevent', when='BEFORE')),
        ),
    ]
