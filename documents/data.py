"""What goes on paper, as plain frozen values.

Builders and the preflight checker read only these, so they never touch the ORM: the memo
services fill them from the models, tests and benchmarks build them by hand
(documents/reference.py), and a document can be rebuilt from stored values alone.

Text fields hold the words as they should be printed (Thai digits where the writer used
them); numbers and dates that the system itself issues are typed values and are rendered
in Thai digits by the builders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Signature:
    """The signer as printed under a memo or a note.

    name_line: "(นายสันติ ตั้งชาญรัชชัย)"; position_lines: the own position with acting
    wording, then the acted position, e.g. ("ผู้อำนวยการส่วนยุทธศาสตร์การพัฒนา รักษาการในตำแหน่ง",
    "ผู้อำนวยการสถาบันพัฒนาข้าราชการกรุงเทพมหานคร").
    """

    name_line: str
    position_lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph. label: "๑.", "๔.๑", "-" (bullet) or "" ; level: indentation depth."""

    text: str
    label: str = ""
    level: int = 0


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the memo body: heading "ต้นเรื่อง" / "ข้อเท็จจริง" / "ข้อพิจารณาและเสนอแนะ".

    With an intro the heading runs in ("ข้อเท็จจริง สถาบันฯ ได้ดำเนินการ ดังนี้"); without one
    it stands alone on its line.
    """

    heading: str
    intro: str = ""
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class Receipt:
    """A receipt stamp (ตรารับ): "ส.ส.ป. เลขรับ ๑๒๓ วันที่ ๑๑ ม.ค. ๒๕๖๔ เวลา ๑๖.๐๐ น."."""

    unit_short: str
    number: int
    received_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Endorsement:
    """A reviewer's note (kind "note", เกษียน) or the decider's decision (kind "decision").

    lines: "เรียน ปลัดกรุงเทพมหานคร", "เพื่อโปรดพิจารณา ..." for a note; "- อนุมัติในข้อ ๑",
    "- ให้ทุกหน่วยงานและส่วนราชการ ดำเนินการในข้อ ๒ - ๓" for a decision.
    """

    kind: str
    lines: tuple[str, ...]
    signature: Signature
    signed_on: dt.date | None = None


NOTE = "note"
DECISION = "decision"


@dataclass(frozen=True, slots=True)
class MemoDoc:
    """A บันทึกข้อความ with everything written on it so far.

    number is "" until the send register gives one (the label then prints with an empty
    dotted leader), and so is date (None). proposals are printed as numbered paragraphs
    ๑. ๒. ๓. at the end of the last section, then closing, then the signature; the
    endorsements follow in the order they were written, and the receipt stamps go top
    right of page one.
    """

    unit_line: str
    number: str
    date: dt.date | None
    subject: str
    addressee: str
    sections: tuple[Section, ...]
    proposals: tuple[str, ...]
    closing: str
    signature: Signature | None
    urgency: str = ""
    secrecy: str = ""
    attachments: tuple[str, ...] = ()
    receipts: tuple[Receipt, ...] = ()
    endorsements: tuple[Endorsement, ...] = ()


@dataclass(frozen=True, slots=True)
class DirectiveDoc:
    """The circular directive (หนังสือเวียน) that passes a decision on to the units.

    number carries the circular "ว": "กท ๐๔๐๑/ว ๕๑". ref_* name the approved memo. The body
    is composed from decision_summary, actions, report_requirement and contact in the
    wording of the reference directive (directive_body_text); body, when given, is printed
    instead, so a clerk's edit of the prefilled text is what goes on paper. Paragraphs of
    either are separated by a blank line. link is the circular's page in the product: the
    document prints it under a QR code that encodes it.
    """

    unit_line: str
    number: str
    date: dt.date | None
    subject: str
    addressee_groups: tuple[str, ...]
    ref_number: str
    ref_date: dt.date | None
    ref_subject: str
    decision_summary: str
    actions: tuple[str, ...]
    report_requirement: str
    contact: str
    attachments: tuple[str, ...]
    signature: Signature | None
    urgency: str = ""
    secrecy: str = ""
    body: str = ""
    link: str = ""


def join_thai(items: tuple[str, ...] | list[str]) -> str:
    """Items joined as an official writes a list: "ก ข และค" (space-separated, "และ" before the last)."""
    parts = [item.strip() for item in items if item and item.strip()]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return " ".join(parts[:-1]) + " และ" + parts[-1]


def addressee_line(groups: tuple[str, ...] | list[str]) -> str:
    """One เรียน line for many recipient groups, as the reference directive writes it."""
    return join_thai(groups)


def directive_body_text(doc: DirectiveDoc) -> str:
    """The directive's body in the reference's wording, for printing and for prefilling a form.

    Paragraphs, separated by a blank line, as the reference circular sets them:

    "พร้อมนี้ <unit> ขอส่งสำเนาหนังสือ ที่ <ref> ลงวันที่ <date> เรื่อง <subject> มาเพื่อโปรดทราบ
    และดำเนินการตามที่<decision> <actions>"

    "<report>" — "<contact>" (each only when given).
    """
    from .thai import thai_date, to_thai_digits

    if doc.body.strip():
        # A textarea posts CRLF; paragraphs are told apart by "\n\n" wherever the text is shown.
        return doc.body.replace("\r\n", "\n").replace("\r", "\n").strip()
    sender = _sender_name(doc.unit_line)
    parts = [f"พร้อมนี้ {sender} ขอส่งสำเนาหนังสือ"]
    if doc.ref_number.strip():
        parts.append(f"ที่ {to_thai_digits(doc.ref_number.strip())}")
    if doc.ref_date is not None:
        parts.append(f"ลงวันที่ {thai_date(doc.ref_date)}")
    if doc.ref_subject.strip():
        parts.append(f"เรื่อง {doc.ref_subject.strip()}")
    text = " ".join(parts) + " มาเพื่อโปรดทราบ"
    decision = doc.decision_summary.strip()
    actions = join_thai(list(doc.actions))
    if decision or actions:
        # "… และสั่งการ" takes its object without a space: "สั่งการให้ทุกหน่วยงาน …".
        glue = "" if decision.endswith("สั่งการ") else " "
        text += " และดำเนินการตามที่" + glue.join(p for p in (decision, actions) if p)
    paragraphs = [text] + [tail.strip() for tail in (doc.report_requirement, doc.contact) if tail.strip()]
    return "\n\n".join(paragraphs)


def _sender_name(unit_line: str) -> str:
    """The unit's name without the contact details the ส่วนราชการ line carries in parentheses."""
    name = unit_line.split("(", 1)[0].strip()
    return name or unit_line.strip()


@dataclass(frozen=True, slots=True)
class LetterDoc:
    """An external letter (หนังสือภายนอก, แบบที่ ๑) from the agency to another agency or a person.

    agency_address: the issuing agency's name and address as printed on the right under the
    emblem, one line each ("สถาบันพัฒนาข้าราชการกรุงเทพมหานคร", "ถนนมิตรไมตรี เขตดินแดง",
    "กรุงเทพฯ ๑๐๔๐๐"). references (อ้างถึง) and attachments (สิ่งที่ส่งมาด้วย) are printed only
    when given. body: paragraphs separated by a blank line. owner_unit, phone, fax, email: the
    unit that owns the matter, printed at the foot so the addressee knows whom to call.
    """

    number: str
    agency_address: tuple[str, ...]
    date: dt.date | None
    subject: str
    addressee: str
    body: str
    signature: Signature | None
    references: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    closing: str = "ขอแสดงความนับถือ"
    owner_unit: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    urgency: str = ""
    secrecy: str = ""


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One line of a register as printed (ทะเบียนหนังสือรับ / ทะเบียนหนังสือส่ง).

    received_at: the date and time of receipt (the receive register only); dated: the date
    the document bears; sender / recipient: จาก / ถึง.
    """

    number: int
    ref_number: str
    dated: dt.date | None
    sender: str
    recipient: str
    subject: str
    received_at: dt.datetime | None = None
    action: str = ""
    remarks: str = ""
