"""Existing directive events, which had no hash at all, are chained in the order they were
written (time, then id) and sealed with the keyed HMAC of audit.chain; each directive gets
its chain head, and its row as it stands is recorded on its last event. What was in the
table before this ran is taken as it stood.

The field lists are frozen here as they were when this ran.
"""

from django.db import migrations

from audit.chain import event_digest, head_seal, plain, snapshot

KIND = "directives"
ROW = ("state", "number", "dated", "sent_at")
FIELDS = ("distribution_id", "action", "actor_id", "actor_name", "text", "payload", "created_at")


def seal(apps, schema_editor):
    Directive = apps.get_model("directives", "Directive")
    DirectiveEvent = apps.get_model("directives", "DirectiveEvent")
    for directive in Directive.objects.order_by("pk").iterator():
        events = list(DirectiveEvent.objects.filter(directive_id=directive.pk).order_by("created_at", "pk"))
        head = ""
        for seq, event in enumerate(events, start=1):
            event.seq = seq
            event.owner_row = snapshot(directive, ROW) if seq == len(events) else {}
            fields = {name: plain(getattr(event, name)) for name in FIELDS}
            event.hash = event_digest(kind=KIND, owner=directive.pk, seq=seq, fields=fields, row=event.owner_row, prev=head)
            head = head_seal(kind=KIND, owner=directive.pk, seq=seq, digest=event.hash)
        DirectiveEvent.objects.bulk_update(events, ["seq", "owner_row", "hash"], batch_size=500)
        Directive.objects.filter(pk=directive.pk).update(chain_seq=len(events), chain_head=head)


class Migration(migrations.Migration):

    dependencies = [
        ('directives', '0005_audit_chain_head'),
    ]

    operations = [
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
