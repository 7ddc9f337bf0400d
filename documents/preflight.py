"""Preflight checks a drafter sees before sending a memo: slips a reader would catch on paper.

Each rule looks for one kind of mistake that seed-memo.txt shows is easy to make in a long
memo typed by hand: an amount whose words say another amount than its digits, Arabic digits
slipped into Thai-digit text, a date that does not exist or a year that cannot be meant, a
closing sentence that asks the decider to rule on an item the memo does not have, a total
that its parts do not add up to, and a memo without subject or addressee.

Errors block sending; warnings are shown and the drafter decides. Rules that must guess the
structure of free text (which numbers are parts of which total) only warn.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .data import MemoDoc
from .thai import (
    BE_OFFSET,
    DATE_RE,
    DIGIT,
    NUMBER_RE,
    THAI_MONTHS,
    amount_from_words,
    item_list,
    money_digits,
    money_words,
    month_number,
    parse_number,
    thai_date,
    to_arabic_digits,
    to_thai_digits,
)

ERROR = "error"
WARNING = "warning"
SEVERITY_TH = {ERROR: "ข้อผิดพลาด", WARNING: "คำเตือน"}

# How far from today a Buddhist-era year in a full date may lie before it looks like a slip:
# documents cite orders decades old, but rarely half a century, and deadlines lie a few
# years ahead at most.
YEARS_BACK = 50
YEARS_AHEAD = 5


@dataclass(frozen=True, slots=True)
class Finding:
    severity: str  # ERROR | WARNING
    code: str  # which rule: money-words, mixed-digits, impossible-date, ...
    message: str  # Thai, for the drafter
    text: str = ""  # the offending text as written
    suggestion: str = ""  # Thai: what to write instead, or what to check
    field: str = ""  # subject | addressee | sections | proposals | closing | date | ""
    line: int | None = None  # 1-based line of check_text's input

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        """One line for the terminal: severity, place, message, offending text → suggestion."""
        place = f"บรรทัด {self.line}" if self.line else (self.field or "-")
        out = f"{SEVERITY_TH.get(self.severity, self.severity)} [{self.code}] {place}: {self.message}"
        if self.text:
            out += f" «{_one_line(self.text)}»"
        if self.suggestion:
            out += f" → {_one_line(self.suggestion)}"
        return out


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class _Para:
    text: str
    field: str = ""
    line: int | None = None


# --- Rule: amounts in words ------------------------------------------------------------------

_MONEY_RE = re.compile(
    rf"(?P<num>{NUMBER_RE.pattern})(?:\.-)?\s*บาท\s*\(\s*(?P<words>[^()]*?)\s*\)",
)


def _check_money(paras: Sequence[_Para]) -> list[Finding]:
    findings = []
    for p in paras:
        for m in _MONEY_RE.finditer(p.text):
            words = m["words"]
            if not re.search("[ก-ฮ]", words):
                continue
            try:
                digits = parse_number(m["num"])
            except InvalidOperation:
                continue
            said = amount_from_words(words)
            if said is None:
                findings.append(
                    Finding(
                        WARNING,
                        "money-words",
                        "อ่านจำนวนเงินที่เขียนเป็นตัวอักษรไม่ได้ โปรดตรวจสอบว่าตรงกับตัวเลข",
                        m.group(0),
                        f"({money_words(digits)})",
                        p.field,
                        p.line,
                    )
                )
            elif said != digits:
                findings.append(
                    Finding(
                        ERROR,
                        "money-words",
                        f"จำนวนเงินตัวอักษรไม่ตรงกับตัวเลข: ตัวเลขคือ {money_digits(digits)} "
                        f"แต่ตัวอักษรอ่านได้ {money_digits(said)}",
                        m.group(0),
                        f"({money_words(digits)})",
                        p.field,
                        p.line,
                    )
                )
    return findings


# --- Rule: Arabic digits among Thai digits ---------------------------------------------------

# Digits that belong to Latin text keep their Arabic form: addresses, e-mail, codes such as
# "HRD 64" or "ISO 9001"; changing them would break the address or the name.
_LATIN_SPAN = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|[A-Za-z][A-Za-z0-9._/-]*[0-9][A-Za-z0-9._/-]*"
    r"|[0-9]+[A-Za-z][A-Za-z0-9]*"
    r"|[A-Za-z]{2,}[ -][0-9]+(?:[.:/-][0-9]+)*",
    re.ASCII,
)
_ARABIC_RUN = re.compile(r"[0-9]+(?:[,.:/-][0-9]+)*")
_THAI_DIGIT = re.compile("[๐-๙]")


def _check_mixed_digits(paras: Sequence[_Para]) -> list[Finding]:
    if not any(_THAI_DIGIT.search(p.text) for p in paras):
        return []
    findings = []
    for p in paras:
        masked = _LATIN_SPAN.sub(lambda m: " " * len(m.group(0)), p.text)
        for m in _ARABIC_RUN.finditer(masked):
            findings.append(
                Finding(
                    WARNING,
                    "mixed-digits",
                    "ใช้เลขอารบิกปนกับเลขไทยในเอกสารเดียวกัน",
                    m.group(0),
                    to_thai_digits(m.group(0)),
                    p.field,
                    p.line,
                )
            )
    return findings


# --- Rule: dates --------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(rf"(?<![0-9๐-๙/])({DIGIT}{{1,2}})/({DIGIT}{{1,2}})/({DIGIT}{{4}})(?![0-9๐-๙/])")
_BE_YEAR = re.compile(rf"พ\.\s?ศ\.\s*({DIGIT}{{4}})(?![0-9๐-๙])")


def _year_finding(year: int, text: str, p: _Para, today_be: int, *, full_date: bool) -> Finding | None:
    if 1900 <= year <= 2200:
        return Finding(
            ERROR,
            "year",
            f"ปี {to_thai_digits(year)} ดูเป็นปีคริสต์ศักราช เอกสารราชการใช้ปีพุทธศักราช",
            text,
            text.replace(to_thai_digits(year), to_thai_digits(year + BE_OFFSET)).replace(
                str(year), to_thai_digits(year + BE_OFFSET)
            ),
            p.field,
            p.line,
        )
    too_late = year > today_be + YEARS_AHEAD
    too_early = full_date and year < today_be - YEARS_BACK
    if too_late or too_early:
        return Finding(
            WARNING,
            "year",
            f"ปี พ.ศ. {to_thai_digits(year)} ห่างจากปีปัจจุบัน (พ.ศ. {to_thai_digits(today_be)}) มากผิดปกติ",
            text,
            "ตรวจสอบปี พ.ศ. อีกครั้ง",
            p.field,
            p.line,
        )
    return None


def _check_dates(paras: Sequence[_Para], today: dt.date) -> list[Finding]:
    today_be = today.year + BE_OFFSET
    findings = []
    for p in paras:
        for m in DATE_RE.finditer(p.text):
            day = int(to_arabic_digits(m["day"]))
            year = int(to_arabic_digits(m["year"]))
            month = month_number(m["month"])
            assert month is not None
            year_finding = _year_finding(year, m.group(0), p, today_be, full_date=True)
            if year_finding:
                findings.append(year_finding)
            ad_year = year - BE_OFFSET if year > 2200 else year
            last = calendar.monthrange(max(1, ad_year), month)[1]
            if not 1 <= day <= last:
                findings.append(
                    Finding(
                        ERROR,
                        "impossible-date",
                        f"ไม่มีวันที่ {to_thai_digits(day)} ในเดือน{THAI_MONTHS[month - 1]} "
                        f"(เดือนนี้มี {to_thai_digits(last)} วัน)",
                        m.group(0),
                        "ตรวจสอบวันที่อีกครั้ง",
                        p.field,
                        p.line,
                    )
                )
        for m in _NUMERIC_DATE.finditer(p.text):
            day, month, year = (int(to_arabic_digits(g)) for g in m.groups())
            ad_year = year - BE_OFFSET if year > 2200 else year
            valid = 1 <= month <= 12 and 1 <= day <= calendar.monthrange(max(1, ad_year), month)[1]
            if not valid:
                findings.append(
                    Finding(
                        ERROR,
                        "impossible-date",
                        "วันที่นี้ไม่มีอยู่จริง",
                        m.group(0),
                        "ตรวจสอบวันที่อีกครั้ง",
                        p.field,
                        p.line,
                    )
                )
            else:
                year_finding = _year_finding(year, m.group(0), p, today_be, full_date=True)
                if year_finding:
                    findings.append(year_finding)
        for m in _BE_YEAR.finditer(p.text):
            year = int(to_arabic_digits(m[1]))
            year_finding = _year_finding(year, m.group(0), p, today_be, full_date=False)
            if year_finding:
                findings.append(year_finding)
    return findings


# --- Rule: items named in the closing sentence ----------------------------------------------

_NUM = f"{DIGIT}+"
_RANGE = rf"{_NUM}(?:\s*(?:-|–|ถึง)\s*{_NUM})?"
_ITEM_REF = re.compile(rf"ข้อ\s*(?P<items>{_RANGE}(?:\s*(?:,|และ|หรือ)\s*{_RANGE})*)(?![0-9๐-๙]|\.[0-9๐-๙])")


def closing_item_numbers(closing: str) -> list[tuple[str, set[int]]]:
    """The item references of a closing sentence: [("ข้อ ๒ - ๓", {2, 3}), ...]."""
    refs = []
    for m in _ITEM_REF.finditer(closing):
        numbers: set[int] = set()
        for part in re.split(r"\s*(?:,|และ|หรือ)\s*", m["items"]):
            bounds = [int(to_arabic_digits(x)) for x in re.findall(_NUM, part)]
            if len(bounds) == 2 and bounds[0] <= bounds[1] and bounds[1] - bounds[0] < 100:
                numbers.update(range(bounds[0], bounds[1] + 1))
            else:
                numbers.update(bounds)
        refs.append((m.group(0), numbers))
    return refs


def _check_closing_items(
    closing: str, proposal_count: int, *, field: str = "closing", line: int | None = None
) -> list[Finding]:
    refs = closing_item_numbers(closing)
    if not refs:
        return []
    findings = []
    named: set[int] = set()
    for phrase, numbers in refs:
        named |= numbers
        missing = sorted(n for n in numbers if not 1 <= n <= proposal_count)
        if missing:
            have = (
                f"ข้อเสนอมี {to_thai_digits(proposal_count)} ข้อ ({item_list(range(1, proposal_count + 1))})"
                if proposal_count
                else "ไม่มีข้อเสนอที่เป็นข้อ ๆ"
            )
            findings.append(
                Finding(
                    ERROR,
                    "closing-items",
                    f"ประโยคท้ายอ้างถึง{item_list(missing)} ซึ่งไม่มีในข้อเสนอ",
                    phrase,
                    f"{have}: แก้ประโยคท้ายให้อ้างเฉพาะข้อที่มี หรือเพิ่มข้อเสนอ",
                    field,
                    line,
                )
            )
    unnamed = [n for n in range(1, proposal_count + 1) if n not in named]
    if unnamed:
        findings.append(
            Finding(
                WARNING,
                "closing-items",
                f"ประโยคท้ายไม่ได้ขอให้พิจารณา{item_list(unnamed)} ผู้มีอำนาจจึงอาจไม่สั่งการในข้อนั้น",
                closing,
                f"ระบุ{item_list(unnamed)} ในประโยคท้ายด้วย",
                field,
                line,
            )
        )
    return findings


# --- Rule: items named in the body -----------------------------------------------------------

# Which part of the memo a reference names: "ตามข้อเท็จจริงข้อ ๕", "ตามต้นเรื่องข้อ ๒",
# "ข้อพิจารณาข้อ ๓"; a decision's "อนุมัติในข้อ ๔" names a proposal.
BACKGROUND, FACTS, CONSIDERATIONS, PROPOSALS = "ต้นเรื่อง", "ข้อเท็จจริง", "ข้อพิจารณา", "ข้อเสนอ"
_PART_OF_HEADING = (
    (BACKGROUND, re.compile(r"^\s*ต้นเรื่อง")),
    (FACTS, re.compile(r"^\s*ข้อเท็จจริง")),
    (CONSIDERATIONS, re.compile(r"^\s*ข้อพิจารณา")),
    (CONSIDERATIONS, re.compile(r"^\s*ข้อเสนอ")),
)
_SUB = rf"(?:\.{_NUM})*"
_PART_REF = re.compile(
    rf"(?:(?P<part>ต้นเรื่อง|ข้อเท็จจริง|ข้อพิจารณา(?:และเสนอแนะ)?|ข้อเสนอ(?:แนะ)?)"
    rf"|(?P<verb>อนุมัติ|สั่งการ|เห็นชอบ|ดำเนินการ)\s*ใน)\s*"
    rf"ข้อ\s*(?P<items>{_NUM}{_SUB}(?:\s*(?:-|–|ถึง)\s*{_NUM}{_SUB})?"
    rf"(?:\s*(?:,|และ|หรือ)\s*{_NUM}{_SUB}(?:\s*(?:-|–|ถึง)\s*{_NUM}{_SUB})?)*)(?![0-9๐-๙])"
)
_PART_NAME = {BACKGROUND: "ต้นเรื่อง", FACTS: "ข้อเท็จจริง", CONSIDERATIONS: "ข้อพิจารณาและเสนอแนะ", PROPOSALS: "ข้อเสนอ"}


def part_of_heading(text: str) -> str | None:
    for part, pattern in _PART_OF_HEADING:
        if pattern.match(text):
            return part
    return None


def _ref_numbers(items: str) -> set[int]:
    numbers: set[int] = set()
    for piece in re.split(r"\s*(?:,|และ|หรือ)\s*", items):
        bounds = [int(to_arabic_digits(x.split(".")[0])) for x in re.findall(rf"{_NUM}{_SUB}", piece)]
        if len(bounds) == 2 and bounds[0] <= bounds[1] and bounds[1] - bounds[0] < 100:
            numbers.update(range(bounds[0], bounds[1] + 1))
        else:
            numbers.update(bounds)
    return numbers


def _check_part_refs(paras: Sequence[_Para], counts: dict[str, int], *, skip_closing: bool) -> list[Finding]:
    """References to items of a part of the memo that the part does not have."""
    findings = []
    for p in paras:
        if skip_closing and _CLOSING_LINE.match(p.text):
            continue  # the closing sentence has its own rule (closing-items)
        for m in _PART_REF.finditer(p.text):
            if m["part"]:
                part = part_of_heading(m["part"]) or PROPOSALS
                if m["part"].startswith("ข้อเสนอ"):
                    part = PROPOSALS
            else:
                part = PROPOSALS
            if part not in counts:
                continue  # the memo has no such part to check against
            have = counts[part]
            missing = sorted(n for n in _ref_numbers(m["items"]) if not 1 <= n <= have)
            if not missing:
                continue
            listed = f"มี {to_thai_digits(have)} ข้อ ({item_list(range(1, have + 1))})" if have else "ไม่มีข้อย่อย"
            findings.append(
                Finding(
                    ERROR,
                    "item-reference",
                    f"อ้างถึง{_PART_NAME[part]}{item_list(missing)} ซึ่งไม่มีในบันทึกนี้ ({_PART_NAME[part]}{listed})",
                    m.group(0),
                    f"แก้ให้อ้างถึงข้อที่มีอยู่ใน{_PART_NAME[part]}",
                    p.field,
                    p.line,
                )
            )
    return findings


# --- Rule: totals -------------------------------------------------------------------------

_QTY = re.compile(rf"(?P<num>{NUMBER_RE.pattern})(?:\.-)?\s*(?P<unit>[ก-ฮเ-ไ][ก-๏]*?)(?=[\s/,)]|$)")
_TOTAL_KEY = re.compile(r"(?:รวม(?:จำนวน)?(?:ทั้งสิ้น|ทั้งหมด)?|(?:จำนวน)?ทั้งสิ้น|ทั้งหมด)\s*(?:จำนวน\s*)?$")
# "รวมครึ่งปีแรก ๓๐ คน", "รวมไตรมาสที่ ๒ จำนวน ๓๐ คน": a subtotal, "รวม" with what it covers.
_SUBTOTAL_KEY = re.compile(r"รวม(?!(?:จำนวน)?\s*(?:ทั้งสิ้น|ทั้งหมด))[^\s0-9๐-๙][^0-9๐-๙]{0,24}?\s*(?:จำนวน\s*)?$")
_COUNT_KEY = re.compile(r"จำนวน(?:ทั้งสิ้น)?\s*$")
_LIST_MARK = re.compile(r"^\s*(?:[-•]\s|[0-9๐-๙]+\.[0-9๐-๙]+\s|\(?[0-9๐-๙]+\)\s|[0-9๐-๙]+\.\s)")
_LEAD_END = re.compile(r"(?:ดังนี้|ดังต่อไปนี้|ได้แก่)\s*[:：]?\s*$")


@dataclass(frozen=True, slots=True)
class _Qty:
    value: Decimal
    unit: str
    text: str
    start: int
    is_total: bool
    counted: bool  # preceded by จำนวน / ทั้งสิ้น: a stated count, not a year or an item number
    is_subtotal: bool = False


def _quantities(text: str) -> list[_Qty]:
    out = []
    for m in _QTY.finditer(text):
        try:
            value = parse_number(m["num"])
        except InvalidOperation:
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        is_total = bool(_TOTAL_KEY.search(before))
        is_subtotal = not is_total and bool(_SUBTOTAL_KEY.search(before))
        counted = is_total or is_subtotal or bool(_COUNT_KEY.search(before))
        out.append(_Qty(value, m["unit"], m.group(0), m.start(), is_total, counted, is_subtotal))
    return out


def _list_kind(text: str) -> str:
    m = _LIST_MARK.match(text)
    if not m:
        return ""
    mark = m.group(0).strip()
    if mark[0] in "-•":
        return "bullet"
    if "." in mark.rstrip("."):
        return "sub"
    return "paren" if mark.startswith("(") or mark.endswith(")") else "num"


def _fmt(value: Decimal) -> str:
    text = f"{value:,.2f}".removesuffix(".00")
    return to_thai_digits(text)


def _total_finding(q: _Qty, parts: Sequence[_Qty], expected: Decimal, p: _Para) -> Finding:
    return Finding(
        ERROR,
        "total",
        f"ยอดรวม {_fmt(q.value)} {q.unit} ไม่เท่ากับผลรวมของรายการก่อนหน้า "
        f"({' + '.join(_fmt(x.value) for x in parts)} = {_fmt(expected)})",
        q.text,
        f"ตรวจสอบตัวเลข: ผลรวมคือ {_fmt(expected)} {q.unit}",
        p.field,
        p.line,
    )


def _paragraph_totals(p: _Para) -> list[Finding]:
    findings = []
    qtys = _quantities(p.text)
    for unit in dict.fromkeys(q.unit for q in qtys if q.is_total or q.is_subtotal):
        plain: list[_Qty] = []  # parts since the last grand total
        since_sub: list[_Qty] = []  # parts since the last subtotal
        subs: list[_Qty] = []  # subtotals since the last grand total
        for q in (x for x in qtys if x.unit == unit):
            if q.is_subtotal:
                if len(since_sub) >= 2:
                    alone = sum((x.value for x in since_sub), Decimal(0))
                    running = alone + (subs[-1].value if subs else Decimal(0))
                    if q.value not in (alone, running):
                        findings.append(_total_finding(q, since_sub, alone, p))
                subs.append(q)
                since_sub = []
            elif q.is_total:
                after = sum((x.value for x in since_sub), Decimal(0))
                candidates = []
                if subs:
                    candidates = [
                        sum((x.value for x in subs), Decimal(0)) + after,  # subtotals of parts
                        subs[-1].value + after,  # a running subtotal
                        sum((x.value for x in plain), Decimal(0)),  # subtotals as asides
                    ]
                    shown = [*subs, *since_sub]
                elif len(plain) >= 2:
                    candidates = [sum((x.value for x in plain), Decimal(0))]
                    shown = plain
                if candidates and q.value not in candidates:
                    findings.append(_total_finding(q, shown, candidates[0], p))
                plain, since_sub, subs = [], [], []
            else:
                plain.append(q)
                since_sub.append(q)
    return findings


def _check_totals(paras: Sequence[_Para]) -> list[Finding]:
    findings = []
    # A total stated after its parts in one paragraph: "... ๖๕๓ คน ... ๑๔๖ คน รวมจำนวนทั้งสิ้น ๑,๓๘๓ คน".
    # Totals run: a subtotal ("รวมครึ่งปีแรก ๓๐ คน") sums the parts since the previous subtotal
    # (or, running, adds them to it); a grand total sums the parts since the previous grand
    # total, with each subtotal standing for the parts before it.
    for p in paras:
        findings += _paragraph_totals(p)
    # A total in a lead paragraph ("... ทั้งสิ้น ๓๓๒ โครงการ ... ดังนี้") and its parts in the
    # list that follows, one part of each unit per item.
    for i, lead in enumerate(paras):
        if not _LEAD_END.search(lead.text):
            continue
        items = []
        kind = ""
        for follower in paras[i + 1 :]:
            this_kind = _list_kind(follower.text)
            if kind == "num" and this_kind in ("sub", "bullet", "paren"):
                continue  # a deeper level under a numbered item: its parts are not the lead's
            if not this_kind or (kind and this_kind != kind):
                break
            kind = this_kind
            items.append(follower)
        if len(items) < 2:
            continue
        stated = [q for q in _quantities(lead.text) if q.counted]
        item_qtys = [_quantities(item.text) for item in items]
        for unit in dict.fromkeys(q.unit for q in stated):
            per_item = [[q for q in qs if q.unit == unit and q.counted] for qs in item_qtys]
            if not all(len(found) == 1 for found in per_item):
                continue
            total = sum((found[0].value for found in per_item), Decimal(0))
            candidates = [q for q in stated if q.unit == unit]
            if any(q.value == total for q in candidates):
                continue
            q = candidates[0]
            findings.append(
                Finding(
                    WARNING,
                    "total",
                    f"ยอด {_fmt(q.value)} {unit} ไม่เท่ากับผลรวมของรายการที่แจกแจงต่อจากนั้น "
                    f"({' + '.join(_fmt(found[0].value) for found in per_item)} = {_fmt(total)})",
                    q.text,
                    f"ตรวจสอบตัวเลข: ผลรวมของรายการคือ {_fmt(total)} {unit}",
                    lead.field,
                    lead.line,
                )
            )
    return findings


# --- Text as a whole ------------------------------------------------------------------------

_SUBJECT_LINE = re.compile(r"^\s*เรื่อง(?=\s|$|\.)(?P<value>.*)$")
_ADDRESSEE_LINE = re.compile(r"^\s*เรียน(?=\s|$|\.)(?P<value>.*)$")
_CLOSING_LINE = re.compile(r"^\s*จึงเรียนมา")
_TOP_ITEM = re.compile(r"^\s*(?P<n>[0-9๐-๙]+)\.(?![0-9๐-๙])\s")
_LEADER = re.compile(r"[\s.…·_\t]+$")


def _field_value(raw: str) -> str:
    return _LEADER.sub("", raw).strip(" \t.…")


def _today(today: dt.date | None) -> dt.date:
    if today is not None:
        return today
    from django.utils import timezone

    return timezone.localdate()


def check_text(text: str, *, today: dt.date | None = None) -> list[Finding]:
    """Check a whole memo given as text (a .txt draft, or the text of a .docx)."""
    day = _today(today)
    paras = [_Para(line.strip(), "", n) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    findings: list[Finding] = []

    subject = next((p for p in paras if _SUBJECT_LINE.match(p.text)), None)
    if subject is None or not _field_value(_SUBJECT_LINE.match(subject.text)["value"]):  # type: ignore[index]
        findings.append(
            Finding(
                ERROR,
                "empty-subject",
                "ไม่มีเรื่อง",
                subject.text if subject else "",
                "ระบุเรื่องให้สั้นและได้ใจความ",
                "subject",
                subject.line if subject else None,
            )
        )
    addressee = next((p for p in paras if _ADDRESSEE_LINE.match(p.text)), None)
    if addressee is None or not _field_value(_ADDRESSEE_LINE.match(addressee.text)["value"]):  # type: ignore[index]
        findings.append(
            Finding(
                ERROR,
                "empty-addressee",
                "ไม่มีผู้รับ (เรียน)",
                addressee.text if addressee else "",
                "ระบุตำแหน่งของผู้รับหลังคำว่า เรียน",
                "addressee",
                addressee.line if addressee else None,
            )
        )

    findings += _check_money(paras)
    findings += _check_mixed_digits(paras)
    findings += _check_dates(paras, day)
    findings += _check_totals(paras)

    closing_index = next((i for i, p in enumerate(paras) if _CLOSING_LINE.match(p.text)), None)
    findings += _check_part_refs(paras, _text_part_counts(paras, closing_index), skip_closing=True)
    if closing_index is not None:
        closing = paras[closing_index]
        findings += _check_closing_items(closing.text, _proposal_count(paras[:closing_index]), line=closing.line)
    return _ordered(findings)


def _top_item_count(paras: Sequence[_Para]) -> int:
    """The last run ๑. ๒. ๓. of top-level items among paras."""
    expected, count = 1, 0
    for p in paras:
        m = _TOP_ITEM.match(p.text)
        if not m:
            continue
        n = int(to_arabic_digits(m["n"]))
        if n == 1:
            expected, count = 2, 1
        elif n == expected:
            expected, count = n + 1, n
    return count


def _text_part_counts(paras: Sequence[_Para], closing_index: int | None) -> dict[str, int]:
    """How many top-level items each part of a memo given as text has."""
    body = paras[:closing_index] if closing_index is not None else paras
    spans: list[tuple[str, int]] = []
    for i, p in enumerate(body):
        part = part_of_heading(p.text)
        if part:
            spans.append((part, i))
    counts: dict[str, int] = {}
    for k, (part, start) in enumerate(spans):
        end = spans[k + 1][1] if k + 1 < len(spans) else len(body)
        counts[part] = counts.get(part, 0) + _top_item_count(body[start + 1 : end])
    if closing_index is not None:
        counts[PROPOSALS] = _proposal_count(body)
    return counts


def _doc_part_counts(doc: MemoDoc) -> dict[str, int]:
    """How many top-level items each part of a drafted memo has; the proposals are printed
    as the last section's items (docx_builder), so they count there too."""
    counts: dict[str, int] = {}
    proposals = len([p for p in doc.proposals if p.strip()])
    for i, section in enumerate(doc.sections):
        part = part_of_heading(section.heading)
        if part is None:
            continue
        numbered = sum(1 for b in section.blocks if b.level <= 0 and _TOP_ITEM.match(f"{b.label} "))
        if i == len(doc.sections) - 1:
            numbered += proposals
        counts[part] = counts.get(part, 0) + numbered
    counts[PROPOSALS] = proposals
    return counts


def _proposal_count(before_closing: Sequence[_Para]) -> int:
    """How many proposals precede the closing sentence: the last run ๑. ๒. ๓. of top-level items.

    Counted from the section of considerations (ข้อพิจารณา...) when there is one, so that the
    numbered facts before it are not taken for proposals.
    """
    start = 0
    for i, p in enumerate(before_closing):
        if p.text.startswith("ข้อพิจารณา") or p.text.startswith("ข้อเสนอ"):
            start = i + 1
    expected = 1
    count = 0
    for p in before_closing[start:]:
        m = _TOP_ITEM.match(p.text)
        if not m:
            continue
        n = int(to_arabic_digits(m["n"]))
        if n == 1:
            expected, count = 2, 1
        elif n == expected:
            expected, count = n + 1, n
    return count


def check_memo(doc: MemoDoc, *, today: dt.date | None = None) -> list[Finding]:
    """Check a memo being drafted; findings carry the form field they belong to."""
    day = _today(today)
    findings: list[Finding] = []
    if not doc.subject.strip():
        findings.append(Finding(ERROR, "empty-subject", "ไม่มีเรื่อง", "", "ระบุเรื่องให้สั้นและได้ใจความ", "subject"))
    if not doc.addressee.strip():
        findings.append(Finding(ERROR, "empty-addressee", "ไม่มีผู้รับ (เรียน)", "", "ระบุตำแหน่งของผู้รับ", "addressee"))

    paras: list[_Para] = [_Para(doc.subject, "subject"), _Para(doc.addressee, "addressee")]
    for section in doc.sections:
        lead = f"{section.heading} {section.intro}".strip()
        if lead:
            paras.append(_Para(lead, "sections"))
        for block in section.blocks:
            paras.append(_Para(f"{block.label} {block.text}".strip(), "sections"))
    for i, proposal in enumerate(doc.proposals, 1):
        paras.append(_Para(f"{to_thai_digits(i)}. {proposal}", "proposals"))
    paras.append(_Para(doc.closing, "closing"))
    paras = [p for p in paras if p.text.strip()]

    findings += _check_money(paras)
    findings += _check_mixed_digits(paras)
    findings += _check_dates(paras, day)
    findings += _check_totals(paras)
    findings += _check_closing_items(doc.closing, len([p for p in doc.proposals if p.strip()]))
    findings += _check_part_refs([p for p in paras if p.field != "closing"], _doc_part_counts(doc), skip_closing=True)

    if doc.date is not None and abs((doc.date - day).days) > 366:
        findings.append(
            Finding(
                WARNING,
                "year",
                "วันที่ของบันทึกห่างจากวันนี้เกินหนึ่งปี",
                thai_date(doc.date),
                "ตรวจสอบวันที่ของบันทึก",
                "date",
            )
        )
    return _ordered(findings)


def _ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.line or 0))


# --- Reading a .docx ------------------------------------------------------------------------


def docx_text(data: bytes) -> str:
    """The text of a .docx in reading order, one paragraph a line (tables included)."""
    import io

    from docx import Document
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(data))
    t, tab, br, p_tag, run = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:p"), qn("w:r")
    lines = []
    for para in document.element.body.iter(p_tag):
        pieces = []
        for node in para.iter(t, tab, br):
            if node.tag == t:
                pieces.append(node.text or "")
            elif node.tag == tab:
                # w:tab is also the name of a tab stop in the paragraph properties
                parent = node.getparent()
                if parent is not None and parent.tag == run:
                    pieces.append("\t")
            else:
                pieces.append("\n")
        lines.append("".join(pieces))
    return "\n".join(lines)
