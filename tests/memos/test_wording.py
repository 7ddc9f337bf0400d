import pytest

from memos.wording import actor_phrase, compose_closing, compose_decision, decision_outcome, proposer_phrase

# The Permanent Secretary's decision on the reference memo, verbatim from seed-memo.txt.
SEED_DECISION = [
    "- อนุมัติในข้อ ๑",
    "- ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓ ตามที่ สพข. และ รป.กทม. เสนอ",
]
SEED_RULINGS = [(1, "approve"), (2, "order"), (3, "order")]
ALL = "ทุกหน่วยงานและส่วนราชการ"
PROPOSERS = "สพข. และ รป.กทม."

# (rulings, keyword arguments, lines): the composer's whole table.
DECISIONS = [
    pytest.param(
        SEED_RULINGS,
        {"order_actor": ALL, "order_tail": PROPOSERS},
        [line.removeprefix("- ") for line in SEED_DECISION],
        id="seed: actor and tail typed once for the ordered items",
    ),
    pytest.param(
        SEED_RULINGS,
        {"actors": {2: ALL, 3: ALL}, "tails": {2: PROPOSERS, 3: PROPOSERS}},
        [line.removeprefix("- ") for line in SEED_DECISION],
        id="seed: the same actor and tail typed on each item share one line",
    ),
    pytest.param(
        SEED_RULINGS,
        {"order_actor": "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการ", "order_tail": "ตามที่ สพข. และ รป.กทม. เสนอ"},
        [line.removeprefix("- ") for line in SEED_DECISION],
        id="seed: whole phrases typed are not doubled",
    ),
    pytest.param(
        SEED_RULINGS,
        {"order_actor": "  ทุกหน่วยงานและส่วนราชการ\t", "order_tail": " สพข.  และ\nรป.กทม. "},
        [line.removeprefix("- ") for line in SEED_DECISION],
        id="seed: stray spaces are tidied",
    ),
    pytest.param(SEED_RULINGS, {}, ["อนุมัติในข้อ ๑", "ให้ดำเนินการในข้อ ๒ - ๓"], id="defaults: no actor, no tail"),
    pytest.param(
        SEED_RULINGS,
        {"order_actor": ALL},
        ["อนุมัติในข้อ ๑", "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓"],
        id="actor without tail (the browser test's line)",
    ),
    pytest.param(
        SEED_RULINGS,
        {"order_actor": "   ", "order_tail": "  ", "actors": {2: " "}, "tails": {3: ""}},
        ["อนุมัติในข้อ ๑", "ให้ดำเนินการในข้อ ๒ - ๓"],
        id="blank actor and tail are empty",
    ),
    pytest.param([(1, "approve")], {}, ["อนุมัติในข้อ ๑"], id="one item"),
    pytest.param([], {"order_actor": ALL, "extra": " "}, [], id="nothing ruled"),
    pytest.param([(1, "approve"), (2, ""), (3, "maybe")], {}, ["อนุมัติในข้อ ๑"], id="items not ruled yet are left out"),
    pytest.param(
        [(1, "approve"), (2, "reject"), (3, "order")],
        {},
        ["อนุมัติในข้อ ๑", "ไม่อนุมัติในข้อ ๒", "ให้ดำเนินการในข้อ ๓"],
        id="a rejected item stays in its place",
    ),
    pytest.param(
        [(1, "reject"), (2, "approve"), (3, "reject")],
        {},
        ["ไม่อนุมัติในข้อ ๑ และ ๓", "อนุมัติในข้อ ๒"],
        id="rejected first when item 1 is rejected",
    ),
    pytest.param(
        [(1, "approve"), (2, "reject"), (3, "approve")],
        {},
        ["อนุมัติในข้อ ๑ และ ๓", "ไม่อนุมัติในข้อ ๒"],
        id="one line per ruling, placed by its first item",
    ),
    pytest.param(
        [(2, "order"), (1, "approve"), (4, "reject"), (3, "acknowledge")],
        {},
        ["อนุมัติในข้อ ๑", "ให้ดำเนินการในข้อ ๒", "ทราบในข้อ ๓", "ไม่อนุมัติในข้อ ๔"],
        id="mixed rulings given out of order",
    ),
    pytest.param(
        [(n, "approve") for n in (1, 2, 3, 5, 7, 8)], {}, ["อนุมัติในข้อ ๑ - ๓, ๕ และ ๗ - ๘"], id="ranges and a list"
    ),
    pytest.param(
        [(1, "approve"), (2, "order"), (3, "approve"), (4, "order"), (5, "approve")],
        {"order_actor": "สำนักงบประมาณกรุงเทพมหานคร"},
        ["อนุมัติในข้อ ๑, ๓ และ ๕", "ให้สำนักงบประมาณกรุงเทพมหานคร ดำเนินการในข้อ ๒ และ ๔"],
        id="lists ข้อ ๑, ๓ และ ๕",
    ),
    pytest.param([(1, "acknowledge"), (2, "acknowledge")], {}, ["ทราบในข้อ ๑ - ๒"], id="acknowledge"),
    pytest.param(
        [(1, "acknowledge"), (2, "order")],
        {"order_actor": ALL, "order_tail": PROPOSERS},
        ["ทราบในข้อ ๑", "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ ตามที่ สพข. และ รป.กทม. เสนอ"],
        id="the ordered items' actor and tail do not reach other rulings",
    ),
    pytest.param(
        SEED_RULINGS,
        {"order_actor": ALL, "actors": {3: "สำนักงานเขตทุกเขต"}},
        ["อนุมัติในข้อ ๑", "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒", "ให้สำนักงานเขตทุกเขต ดำเนินการในข้อ ๓"],
        id="an item's own actor wins over the default and splits the line",
    ),
    pytest.param(
        SEED_RULINGS,
        {"order_actor": ALL, "order_tail": PROPOSERS, "tails": {2: "สนข."}},
        [
            "อนุมัติในข้อ ๑",
            "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ ตามที่ สนข. เสนอ",
            "ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๓ ตามที่ สพข. และ รป.กทม. เสนอ",
        ],
        id="an item's own tail wins over the default",
    ),
    pytest.param(
        [(1, "order"), (2, "approve"), (3, "order")],
        {"actors": {1: ALL, 3: ALL}},
        ["ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๑ และ ๓", "อนุมัติในข้อ ๒"],
        id="same actor apart still one line",
    ),
    pytest.param(
        [(1, "approve"), (2, "approve")],
        {"tails": {1: "สพข."}, "actors": {1: ALL, 2: ALL}},
        ["อนุมัติในข้อ ๑ ตามที่ สพข. เสนอ", "อนุมัติในข้อ ๒"],
        id="tail on an approval; an actor means nothing there",
    ),
    pytest.param(
        [(1, "approve"), (2, "reject")],
        {"tails": {1: "ตามเสนอ", 2: "ตามความเห็นของ สนข."}},
        ["อนุมัติในข้อ ๑ ตามเสนอ", "ไม่อนุมัติในข้อ ๒ ตามความเห็นของ สนข."],
        id="a tail of her own wording starting with ตาม",
    ),
    pytest.param(
        [(1, "approve"), (2, "order")],
        {"notes": {2: "ภายในเดือนมีนาคม", 1: "  "}, "extra": " ให้รายงานผล "},
        ["อนุมัติในข้อ ๑", "ให้ดำเนินการในข้อ ๒", "ข้อ ๒ ภายในเดือนมีนาคม", "ให้รายงานผล"],
        id="per-proposal notes, then the extra line",
    ),
    pytest.param(
        SEED_RULINGS,
        {"notes": {3: " ภายในสองสัปดาห์ ", 1: "ตามแผน"}},
        ["อนุมัติในข้อ ๑", "ให้ดำเนินการในข้อ ๒ - ๓", "ข้อ ๑ ตามแผน", "ข้อ ๓ ภายในสองสัปดาห์"],
        id="notes in item order",
    ),
]


@pytest.mark.parametrize(("rulings", "kwargs", "expected"), DECISIONS)
def test_decision_lines(rulings, kwargs, expected):
    assert compose_decision(rulings, **kwargs) == expected


def test_the_seed_decision_reads_as_on_the_paper():
    lines = compose_decision(SEED_RULINGS, order_actor=ALL, order_tail=PROPOSERS)
    assert [f"- {line}" for line in lines] == SEED_DECISION


@pytest.mark.parametrize(
    ("typed", "phrase"),
    [
        ("สพข. และ รป.กทม.", "ตามที่ สพข. และ รป.กทม. เสนอ"),
        ("สพข. เสนอ", "ตามที่ สพข. เสนอ"),
        ("สพข.เสนอ", "ตามที่ สพข. เสนอ"),
        ("ตามที่ สพข. เสนอ", "ตามที่ สพข. เสนอ"),
        ("ตามเสนอ", "ตามเสนอ"),
        ("เสนอ", "ตามเสนอ"),
        ("  สพข.\n และ  รป.กทม. ", "ตามที่ สพข. และ รป.กทม. เสนอ"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_proposer_phrase(typed, phrase):
    assert proposer_phrase(typed) == phrase


@pytest.mark.parametrize(
    ("typed", "phrase"),
    [
        ("ทุกหน่วยงานและส่วนราชการ", "ทุกหน่วยงานและส่วนราชการ"),
        ("ให้ทุกหน่วยงาน", "ทุกหน่วยงาน"),
        ("ให้ ทุกหน่วยงาน", "ทุกหน่วยงาน"),
        ("ทุกหน่วยงาน ดำเนินการ", "ทุกหน่วยงาน"),
        ("ให้ทุกหน่วยงานดำเนินการ", "ทุกหน่วยงาน"),
        (" ทุกหน่วยงาน   และส่วนราชการ ", "ทุกหน่วยงาน และส่วนราชการ"),
        ("", ""),
    ],
)
def test_actor_phrase(typed, phrase):
    assert actor_phrase(typed) == phrase


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
