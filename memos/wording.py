"""How the memo's official sentences are composed from structured choices.

The same grouping rule serves the drafter's closing sentence ("ขอได้โปรดอนุมัติในข้อ ๑ และ
สั่งการในข้อ ๒ - ๓") and the decider's note ("- อนุมัติในข้อ ๑", "- ให้ดำเนินการในข้อ ๒ - ๓"),
so what was asked and what was decided always read alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from documents.thai import item_list

# Order in which groups are named, as officials write them.
ASK_VERBS = (("approve", "อนุมัติ"), ("order", "สั่งการ"), ("acknowledge", "ทราบ"))
RULING_ORDER = ("approve", "order", "acknowledge", "reject")


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


def compose_decision(
    rulings: Iterable[tuple[int, str]],
    *,
    order_actor: str = "",
    notes: Mapping[int, str] | None = None,
    extra: str = "",
) -> list[str]:
    """The decider's lines, one per kind of ruling, e.g. ["อนุมัติในข้อ ๑", "ให้ดำเนินการในข้อ ๒ - ๓"].

    `order_actor` names who is to act, as the reference decision does:
    "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓".
    """
    groups = group_numbers(rulings)
    lines: list[str] = []
    for key in RULING_ORDER:
        numbers = groups.get(key)
        if not numbers:
            continue
        items = item_list(numbers)
        if key == "approve":
            lines.append(f"อนุมัติใน{items}")
        elif key == "order":
            actor = order_actor.strip()
            lines.append(f"ให้{actor} ดำเนินการใน{items}" if actor else f"ให้ดำเนินการใน{items}")
        elif key == "acknowledge":
            lines.append(f"ทราบใน{items}")
        else:
            lines.append(f"ไม่อนุมัติใน{items}")
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
