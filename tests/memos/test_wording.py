import pytest

from memos.wording import compose_closing, compose_decision, decision_outcome


@pytest.mark.parametrize(
    ("rulings", "actor", "expected"),
    [
        ([(1, "approve")], "", ["อนุมัติในข้อ ๑"]),
        ([(1, "approve"), (2, "order"), (3, "order")], "", ["อนุมัติในข้อ ๑", "ให้ดำเนินการในข้อ ๒ - ๓"]),
        (
            [(1, "approve"), (2, "order"), (3, "order")],
            "ทุกหน่วยงานและส่วนราชการ",
            ["อนุมัติในข้อ ๑", "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓"],
        ),
        ([(1, "approve"), (2, "reject"), (3, "approve")], "", ["อนุมัติในข้อ ๑ และ ๓", "ไม่อนุมัติในข้อ ๒"]),
        ([(n, "approve") for n in (1, 2, 3, 5, 7, 8)], "", ["อนุมัติในข้อ ๑ - ๓, ๕ และ ๗ - ๘"]),
        ([(1, "acknowledge"), (2, "acknowledge")], "", ["ทราบในข้อ ๑ - ๒"]),
        (
            [(2, "order"), (1, "approve"), (3, "acknowledge"), (4, "reject")],
            "",
            ["อนุมัติในข้อ ๑", "ให้ดำเนินการในข้อ ๒", "ทราบในข้อ ๓", "ไม่อนุมัติในข้อ ๔"],
        ),
    ],
)
def test_decision_text(rulings, actor, expected):
    assert compose_decision(rulings, order_actor=actor) == expected


def test_decision_notes_and_extra_text_follow_the_rulings():
    lines = compose_decision([(1, "approve"), (2, "order")], notes={2: "ภายในเดือนมีนาคม"}, extra="ให้รายงานผล")
    assert lines == ["อนุมัติในข้อ ๑", "ให้ดำเนินการในข้อ ๒", "ข้อ ๒ ภายในเดือนมีนาคม", "ให้รายงานผล"]


@pytest.mark.parametrize(
    ("asks", "expected"),
    [
        (
            [(1, "approve"), (2, "order"), (3, "order")],
            "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบ ขอได้โปรดอนุมัติในข้อ ๑ และสั่งการในข้อ ๒ - ๓",
        ),
        ([(1, "approve")], "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบ ขอได้โปรดอนุมัติในข้อ ๑"),
        ([(1, "acknowledge"), (2, "acknowledge")], "จึงเรียนมาเพื่อโปรดทราบ"),
        (
            [(1, "approve"), (2, "order"), (3, "acknowledge")],
            "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบ ขอได้โปรดอนุมัติในข้อ ๑ สั่งการในข้อ ๒ และทราบในข้อ ๓",
        ),
        ([], "จึงเรียนมาเพื่อโปรดพิจารณา"),
    ],
)
def test_closing_sentence(asks, expected):
    assert compose_closing(asks) == expected


def test_closing_carries_the_authority_clause():
    text = compose_closing([(1, "approve")], authority="อำนาจเป็นของปลัดกรุงเทพมหานคร")
    assert text.endswith("ขอได้โปรดอนุมัติในข้อ ๑ อำนาจเป็นของปลัดกรุงเทพมหานคร")


@pytest.mark.parametrize(
    ("rulings", "outcome"),
    [
        (["approve", "order"], "approved"),
        (["reject", "reject"], "not_approved"),
        (["approve", "reject"], "partly_approved"),
        (["acknowledge"], "approved"),
    ],
)
def test_outcome(rulings, outcome):
    assert decision_outcome(rulings) == outcome
