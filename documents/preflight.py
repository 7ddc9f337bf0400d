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


# --- Rule: totals -------------------------------------------------------------------------

_QTY = re.compile(rf"(?P<num>{NUMBER_RE.pattern})(?:\.-)?\s*(?P<unit>[ก-ฮเ-ไ][ก-๏]*?)(?=[\s/,)]|$)")
_TOTAL_KEY = re.compile(r"(?:รวม(?:จำนวน)?(?:ทั้งสิ้น|ทั้งหมด)?|(?:จำนวน)?ทั้งสิ้น|ทั้งหมด)\s*(?:จำนวน\s*)?$")
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


def _quantities(text: str) -> list[_Qty]:
    out = []
    for m in _QTY.finditer(text):
        try:
            value = parse_number(m["num"])
        except InvalidOperation:
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        is_total = bool(_TOTAL_KEY.search(before))
        counted = is_total or bool(_COUNT_KEY.search(before))
        out.append(_Qty(value, m["unit"], m.group(0), m.start(), is_total, counted))
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


def _check_totals(paras: Sequence[_Para]) -> list[Finding]:
    findings = []
    # A total stated after its parts in one paragraph: "... ๖๕๓ คน ... ๑๔๖ คน รวมจำนวนทั้งสิ้น ๑,๓๘๓ คน".
    for p in paras:
        qtys = _quantities(p.text)
        for i, q in enumerate(qtys):
            if not q.is_total:
                continue
            parts = []
            for earlier in reversed(qtys[:i]):
                if earlier.unit != q.unit:
                    continue
                if earlier.is_total:
                    break
                parts.append(earlier)
            if len(parts) < 2:
                continue
            total = sum((x.value for x in parts), Decimal(0))
            if total != q.value:
                findings.append(
                    Finding(
                        ERROR,
                        "total",
                        f"ยอดรวม {_fmt(q.value)} {q.unit} ไม่เท่ากับผลรวมของรายการก่อนหน้า "
                        f"({' + '.join(_fmt(x.value) for x in reversed(parts))} = {_fmt(total)})",
                        q.text,
                        f"ตรวจสอบตัวเลข: ผลรวมคือ {_fmt(total)} {q.unit}",
                        p.field,
                        p.line,
                    )
                )
    # A total in a lead paragraph ("... ทั้งสิ้น ๓๓๒ โครงการ ... ดังนี้") and its parts in the
    # list that follows, one part of each unit per item.
    for i, lead in enumerate(paras):
        if not _LEAD_END.search(lead.text):
            continue
        items = []
        kind = ""
        for follower in paras[i + 1 :]:
            this_kind = _list_kind(follower.text)
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
    if closing_index is not None:
        closing = paras[closing_index]
        findings += _check_closing_items(closing.text, _proposal_count(paras[:closing_index]), line=closing.line)
    return _ordered(findings)


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
