"""How the memo's official sentences are composed from structured choices.

The same grouping rule serves the drafter's closing sentence ("ขอได้โปรดอนุมัติในข้อ ๑ และ
สั่งการในข้อ ๒ - ๓") and the decider's note ("- อนุมัติในข้อ ๑", "- ให้ดำเนินการในข้อ ๒ - ๓"),
so what was asked and what was decided always read alike. The decision is worded here only:
the decision page's live preview asks the server (workflow/preview_views.py), and
memos.services.memo_decide stores what this returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from documents.thai import item_list

# Order in which the closing sentence names what is asked, as officials write it.
ASK_VERBS = (("approve", "อนุมัติ"), ("order", "สั่งการ"), ("acknowledge", "ทราบ"))
# The rulings a decider may give (memos.models.Ruling).
RULING_ORDER = ("approve", "order", "acknowledge", "reject")
ORDER = "order"


def group_numbers(choices: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for number, choice in choices:
        groups.setdefault(choice, []).append(number)
    return groups


def compose_closing(asks: Iterable[tuple[int, str]], *, authority: str = "") -> str:
    """The closing sentence: "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบ ขอได้โปรดอนุมัติในข้อ ๑ และสั่งการในข้อ ๒ - ๓"."""
    groups = group_numbers(asks)
    parts = [f"{verb}ใน{item_list(groups[key])}" for key, verb in ASK_VERBS if groups.get(key)]
    if not parts:
        sentence = "จึงเรียนมาเพื่อโปรดพิจารณา"
    elif list(groups) == ["acknowledge"]:
        sentence = "จึงเรียนมาเพื่อโปรดทราบ"
    else:
        if len(parts) == 1:
            request = parts[0]
        else:
            request = " ".join(parts[:-1]) + " และ" + parts[-1]
        sentence = f"จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบ ขอได้โปรด{request}"
    authority = authority.strip()
    return f"{sentence} {authority}" if authority else sentence


def actor_phrase(text: str) -> str:
    """Who is to act, as written after "ให้": "ทุกหน่วยงานและส่วนราชการ".

    A decider who types the whole phrase ("ให้ทุกหน่วยงาน… ดำเนินการ") gets it once, not
    "ให้ให้… ดำเนินการ ดำเนินการ".
    """
    words = " ".join(text.split())
    words = words.removeprefix("ให้").strip()
    return words.removesuffix("ดำเนินการ").strip()


def proposer_phrase(text: str) -> str:
    """The tail naming who proposed what is ruled on: "ตามที่ สพข. และ รป.กทม. เสนอ".

    The decider may type only the proposers ("สพข. และ รป.กทม."), the proposers and the verb
    ("สพข. เสนอ"), or a phrase of her own that already starts with "ตาม" ("ตามเสนอ",
    "ตามที่ สพข. เสนอ"), which is kept as typed.
    """
    words = " ".join(text.split())
    if not words or words.startswith("ตาม"):
        return words
    proposers = words.removesuffix("เสนอ").strip()
    return f"ตามที่ {proposers} เสนอ" if proposers else "ตามเสนอ"


def _ruling_line(ruling: str, items: str, actor: str) -> str:
    if ruling == "approve":
        return f"อนุมัติใน{items}"
    if ruling == ORDER:
        return f"ให้{actor} ดำเนินการใน{items}" if actor else f"ให้ดำเนินการใน{items}"
    if ruling == "acknowledge":
        return f"ทราบใน{items}"
    return f"ไม่อนุมัติใน{items}"


def compose_decision(
    rulings: Iterable[tuple[int, str]],
    *,
    order_actor: str = "",
    order_tail: str = "",
    actors: Mapping[int, str] | None = None,
    tails: Mapping[int, str] | None = None,
    notes: Mapping[int, str] | None = None,
    extra: str = "",
) -> list[str]:
    """The decider's lines, as on the paper:
    ["อนุมัติในข้อ ๑", "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓ ตามที่ สพข. และ รป.กทม. เสนอ"].

    Each proposal has its ruling and may name who acts (`actors`, used when the ruling is an
    order) and who proposed it (`tails`, the "ตามที่ … เสนอ" tail). `order_actor` and
    `order_tail` are what ordered proposals take when their own are blank, so the usual case
    is typed once. Proposals with the same ruling, actor and tail share one line; lines follow
    the proposals (a line comes where its first item comes), so a rejected item is not moved
    to the end. Per-proposal notes follow in item order, then `extra`. Proposals without a
    ruling yet are left out.
    """
    actors = actors or {}
    tails = tails or {}
    groups: dict[tuple[str, str, str], list[int]] = {}
    for number, ruling in sorted(rulings):
        if ruling not in RULING_ORDER:
            continue
        own_actor, own_tail = actors.get(number, "").strip(), tails.get(number, "").strip()
        if ruling == ORDER:
            actor, tail = actor_phrase(own_actor or order_actor), proposer_phrase(own_tail or order_tail)
        else:
            actor, tail = "", proposer_phrase(own_tail)
        groups.setdefault((ruling, actor, tail), []).append(number)
    lines: list[str] = []
    for (ruling, actor, tail), numbers in groups.items():
        line = _ruling_line(ruling, item_list(numbers), actor)
        lines.append(f"{line} {tail}" if tail else line)
    for number, note in sorted((notes or {}).items()):
        if note.strip():
            lines.append(f"{item_list([number])} {note.strip()}")
    if extra.strip():
        lines.append(extra.strip())
    return lines


def decision_outcome(rulings: Iterable[str]) -> str:
    """approved / partly_approved / not_approved from the per-proposal rulings."""
    values = list(rulings)
    rejected = sum(1 for r in values if r == "reject")
    if rejected == 0:
        return "approved"
    if rejected == len(values):
        return "not_approved"
    return "partly_approved"
