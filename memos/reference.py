"""The reference memo of seed-memo.txt (ที่ กท ๐๔๐๑/๑๒๕๕, ๒๓ ธันวาคม ๒๕๖๓) as drafting input.

The text itself lives once, in documents/reference.py; this module only turns it into what a
drafter enters (sections of (level, style, text) items, proposals with what each asks for, the
route), so the demo's draft, the browser tests and the benchmarks carry the same memo as the
document fixtures, word for word.
"""

from __future__ import annotations

from directory.models import Position
from documents import reference as seed
from documents.data import Block

from .models import Ask, ItemStyle
from .services import MemoInput, ProposalInput, SectionInput

SUBJECT = seed.SUBJECT
AUTHORITY = seed.AUTHORITY
ORDER_ACTOR = seed.ORDER_ACTOR
ORDER_TAIL = seed.ORDER_TAIL  # "… ตามที่ สพข. และ รป.กทม. เสนอ", as the seed decision reads
DEPUTY_NOTE = "\n".join(seed.DEPUTY_NOTE.lines)
# What each proposal asks of the decider; the closing "ขอได้โปรดอนุมัติในข้อ ๑ และสั่งการในข้อ ๒ - ๓"
# is composed from these and must read as the seed's (tests/memos/test_reference_memo.py).
ASKS = (Ask.APPROVE, Ask.ORDER, Ask.ORDER)


def _style(block: Block) -> str:
    if block.label == "-":
        return ItemStyle.BULLET
    if not block.label:
        return ItemStyle.PARAGRAPH
    return ItemStyle.NUMBERED


SECTIONS = [
    SectionInput(section.heading, section.intro, [(b.level, _style(b), b.text) for b in section.blocks])
    for section in seed.reference_sections()
]
PROPOSALS = [ProposalInput(text, ask) for text, ask in zip(seed.PROPOSALS, ASKS, strict=True)]


def reference_memo_input(*, deputy_key: str = "deputy-1") -> MemoInput:
    positions = {
        p.key: p.pk for p in Position.objects.filter(key__in=[deputy_key, "permanent-secretary", "ops-hrd-head"])
    }
    return MemoInput(
        subject=SUBJECT,
        addressee_id=positions["permanent-secretary"],
        signing_position_id=positions["ops-hrd-head"],
        route_position_ids=[positions[deputy_key], positions["permanent-secretary"]],
        sections=SECTIONS,
        proposals=PROPOSALS,
        phone=seed.PHONE,
        authority=AUTHORITY,
    )
