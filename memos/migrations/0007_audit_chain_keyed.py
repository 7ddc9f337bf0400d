"""Existing memo chains, hashed with plain SHA-256, are sealed again with the keyed HMAC of
audit.chain, and each memo gets its chain head.

Only a chain that still verifies under the old hash is sealed: a chain already broken keeps
its old hashes from the first bad event on, so `verify_audit` names that event afterwards
instead of this migration vouching for it. The memo's row as it stands is recorded on its
last event (earlier events predate the row check and record none).

The field lists are frozen here as they were when this ran; audit.chain's digest format
must stay what it is (a change means a new re-sealing migration).
"""

import hashlib
import json
import sys

from django.db import migrations

from audit.chain import event_digest, head_seal, plain, snapshot

KIND = "memos"
ROW = ("state", "number", "dated", "current_step", "version", "decided_at")
FIELDS = (
    "action",
    "actor_id",
    "actor_name",
    "position_id",
    "capacity",
    "signature_lines",
    "from_state",
    "to_state",
    "step",
    "text",
    "payload",
    "created_at",
)


def _old_digest(event) -> str:
    body = {
        "memo": event.memo_id,
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "position": event.position_id,
        "capacity": event.capacity,
        "signature_lines": event.signature_lines,
        "from": event.from_state,
        "to": event.to_state,
        "step": event.step,
        "text": event.text,
        "payload": event.payload,
        "at": event.created_at.isoformat(),
        "prev": event.prev_hash,
    }
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def seal(apps, schema_editor):
    Memo = apps.get_model("memos", "Memo")
    MemoEvent = apps.get_model("memos", "MemoEvent")
    for memo in Memo.objects.order_by("pk").iterator():
        events = list(MemoEvent.objects.filter(memo_id=memo.pk).order_by("seq"))
        intact = 0
        prev = ""
        for place, event in enumerate(events, start=1):
            if event.seq != place or event.prev_hash != prev or _old_digest(event) != event.hash:
                break
            prev = event.hash
            intact = place
        head = ""
        for event in events[:intact]:
            event.owner_row = snapshot(memo, ROW) if intact == len(events) and event is events[-1] else {}
            fields = {name: plain(getattr(event, name)) for name in FIELDS}
            event.hash = event_digest(kind=KIND, owner=memo.pk, seq=event.seq, fields=fields, row=event.owner_row, prev=head)
            head = head_seal(kind=KIND, owner=memo.pk, seq=event.seq, digest=event.hash)
        MemoEvent.objects.bulk_update(events[:intact], ["owner_row", "hash"], batch_size=500)
        if intact < len(events):
            sys.stderr.write(
                f"\n  memo #{memo.pk}: its chain was already broken at event {intact + 1}; left unsealed from there\n"
            )
            head = ""
        Memo.objects.filter(pk=memo.pk).update(chain_seq=events[-1].seq if events else 0, chain_head=head)


class Migration(migrations.Migration):

    dependencies = [
        ('memos', '0006_audit_chain_head'),
    ]

    operations = [
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
