# The link to the previous event is the seal of audit.chain now; PostgreSQL refuses UPDATE
# and DELETE on the event table (django-pgtrigger; nothing on SQLite).

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('memos', '0007_audit_chain_keyed'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='memoevent',
            name='prev_hash',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='memoevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='ea714f364b53ff597c6909d50f7ad7db3622e7c1', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_21e04', table='memos_memoevent', when='BEFORE')),
        ),
    ]
