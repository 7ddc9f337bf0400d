"""Reads for directives: prefill from the decided memo, the document, queues, the dashboard."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from directory.models import Position, RecipientGroup
from directory.selectors import positions_of_user
from documents.data import DirectiveDoc, Signature, directive_body_text, join_thai
from documents.docx_builder import build_directive_docx
from documents.exports import Cell
from documents.thai import thai_date, thai_time, to_thai_digits
from memos.access import memos_visible_to
from memos.models import EventAction, Memo, MemoEvent, MemoState, Ruling, Urgency
from memos.wording import actor_phrase

from .models import (
    OWING_STATES,
    DeadlineRule,
    Directive,
    DirectiveGroup,
    DirectiveState,
    Distribution,
    DistributionState,
    FollowUpReport,
)
from .services import DirectiveInput, report_requirement_text

REFERENCE_REPORT_DAYS = 14  # "ภายในสองสัปดาห์" of the reference directive


def decision_event(memo: Memo) -> MemoEvent | None:
    return memo.events.filter(action=EventAction.DECIDE).select_related("position").order_by("-seq").first()


@dataclass(frozen=True)
class MemoDecision:
    """What a recipient unit may read of the source memo: its number, date, subject and decision."""

    number: str
    dated: dt.date | None
    subject: str
    unit_name: str
    lines: tuple[str, ...]
    signature_lines: tuple[str, ...]
    decided_on: dt.date | None
    proposals: tuple[tuple[int, str, str], ...]  # (number, text, ruling label)


def memo_decision(memo: Memo) -> MemoDecision:
    event = decision_event(memo)
    return MemoDecision(
        number=memo.number,
        dated=memo.dated,
        subject=memo.subject,
        unit_name=memo.unit.name,
        lines=tuple(event.payload.get("lines", []) if event else ()),
        signature_lines=tuple(event.signature_lines if event else ()),
        decided_on=timezone.localdate(event.created_at) if event else None,
        proposals=tuple(
            (p.number, p.text, str(Ruling(p.ruling).label) if p.ruling else "") for p in memo.proposals.all()
        ),
    )


def default_signing_position(memo: Memo) -> Position | None:
    """The unit head's post: the memo's own signer when it belongs to the unit."""
    if memo.signing_position.unit_id == memo.unit_id:
        return memo.signing_position
    return Position.objects.filter(unit=memo.unit, is_active=True).order_by("sort_order", "pk").first()


def directive_initial(memo: Memo) -> DirectiveInput:
    """A directive prefilled from the decision, in the reference directive's wording.

    What was approved and ordered is quoted in words from the proposals the decider ruled on
    (the recipients have not seen the memo's item numbers), the report's form, deadline and
    mailbox follow, and the last paragraph points at the QR code of the circular's page.
    """
    event = decision_event(memo)
    words = decision_words(memo, event)
    groups = list(RecipientGroup.objects.order_by("sort_order", "name").values_list("pk", flat=True))
    position = default_signing_position(memo)
    data = DirectiveInput(
        subject=memo.subject,
        decision_summary=words.summary,
        actions=list(words.actions),
        group_ids=groups,
        signing_position_id=position.pk if position else 0,
        body="",
        report_required=True,
        deadline_rule=DeadlineRule.AFTER_COMPLETION,
        deadline_days=REFERENCE_REPORT_DAYS,
        contact_mailbox=memo.unit.mailbox,
        urgency=memo.urgency,
    )
    data.body = prefill_body(memo=memo, data=data, report_form=words.report_form)
    return data


# --- The decision in words ---------------------------------------------------------------------

# "ตามข้อเท็จจริงข้อ ๒", "ตามต้นเรื่องข้อ ๒", "ตามข้อ ๒ - ๓": pointers into a memo the units
# have not read; the circular quotes what they point at instead.
# A "ตามที่ …" clause that ends in such a pointer ("ตามที่สถาบันฯ ได้รวบรวม … ตามข้อเท็จจริงข้อ ๒")
# explains where the memo's figures came from and goes with it, as the reference circular
# leaves it out.
_POINTER = (
    r"ตาม(?:ต้นเรื่อง|ข้อเท็จจริง|ข้อพิจารณา(?:และเสนอแนะ)?)?\s*ข้อ\s*[๐-๙0-9]+(?:\.[๐-๙0-9]+)*"
    r"(?:\s*(?:-|,|และ)\s*[๐-๙0-9]+(?:\.[๐-๙0-9]+)*)*"
)
_CROSS_REFERENCE = re.compile(rf"\s*(?:ตามที่(?:(?!ตามที่).){{0,200}}?\s)?{_POINTER}")
_DANGLING = re.compile(r"\s*(?:และ|หรือ|,)$")
# "ตามแบบ สพข. ๒/๕๔": the form the units report on, named in an ordered proposal.
_REPORT_FORM = re.compile(r"ตามแบบ\s*(\S+(?:\s+[๐-๙0-9][๐-๙0-9/.\-]*)?)")
_APPROVE_VERBS = ("อนุมัติ", "เห็นชอบ")
_ACKNOWLEDGE_PREFIXES = ("เพื่อโปรดทราบ", "รับทราบ", "ทราบ")


@dataclass(frozen=True)
class DecisionWords:
    """The decision as the circular says it: summary "ปลัดกรุงเทพมหานครได้โปรดอนุมัติ … และสั่งการ
    ให้ทุกหน่วยงาน …", then the actions the units must take (what follows the summary)."""

    summary: str
    actions: tuple[str, ...]
    report_form: str = ""


def _plain(text: str) -> str:
    return _DANGLING.sub("", " ".join(_CROSS_REFERENCE.sub("", text).split()))


def _word_prefix(texts: list[str]) -> str:
    """The longest common beginning of `texts` that ends at a space: the shared "ให้<who> "."""
    common = os.path.commonprefix(texts)
    cut = common.rfind(" ")
    return common[: cut + 1] if cut > 0 else ""


def _approved(texts: list[str]) -> list[str]:
    by_verb: dict[str, list[str]] = {}
    for text in texts:
        verb = next((v for v in _APPROVE_VERBS if text.startswith(v)), "อนุมัติ")
        rest = text.removeprefix(verb).strip() if text.startswith(verb) else text
        by_verb.setdefault(verb, []).append(rest)
    return [f"{verb}{'' if rest[0].startswith('ให้') else ' '}{join_thai(rest)}" for verb, rest in by_verb.items()]


def _acknowledged(texts: list[str]) -> str:
    rests = []
    for text in texts:
        prefix = next((p for p in _ACKNOWLEDGE_PREFIXES if text.startswith(p)), "")
        rests.append(text.removeprefix(prefix).strip())
    return f"ทราบ {join_thai(rests)}" if rests else ""


def _ordered(texts: list[tuple[str, str]]) -> tuple[str, tuple[str, ...]]:
    """(head, actions): "สั่งการให้ทุกหน่วยงาน …" said once, then what each order asks.

    texts are (proposal text, who the decider named to act). A proposal that names its own
    actor ("ให้ทุกหน่วยงาน … ดำเนินการ …") is quoted as written; one that does not takes the
    decider's. Orders to the same actor share it: "ให้ทุกหน่วยงาน … ดำเนินโครงการ … และดำเนินการ
    พัฒนาบุคลากร …", as the reference circular writes it.
    """
    full = []
    for text, actor in texts:
        if text.startswith("ให้"):
            full.append(text)
        else:
            who = actor_phrase(actor)
            full.append(f"ให้{who} {text}" if who else f"ให้{text}")
    prefix = _word_prefix(full) if len(full) > 1 else ""
    if prefix.strip() not in ("", "ให้") and all(f[len(prefix) :].strip() for f in full):
        return f"สั่งการ{prefix.strip()}", tuple(f[len(prefix) :].strip() for f in full)
    if len(full) == 1 and not texts[0][0].startswith("ให้") and actor_phrase(texts[0][1]):
        return f"สั่งการให้{actor_phrase(texts[0][1])}", (texts[0][0],)
    return "สั่งการ", tuple(full)


def decision_words(memo: Memo, event: MemoEvent | None) -> DecisionWords:
    """What the decider approved, took note of and ordered, quoted from the proposals."""
    decider = event.position.title if event and event.position else "ผู้มีอำนาจ"
    payload = event.payload if event else {}
    actors = {int(n): str(t) for n, t in (payload.get("actors") or {}).items()}
    order_actor = str(payload.get("order_actor") or "")
    approved: list[str] = []
    acknowledged: list[str] = []
    ordered: list[tuple[str, str]] = []
    for p in memo.proposals.order_by("number"):
        text = _plain(p.text)
        if p.ruling_note.strip():
            text = f"{text} {' '.join(p.ruling_note.split())}"
        if not text:
            continue
        if p.ruling == Ruling.APPROVE:
            approved.append(text)
        elif p.ruling == Ruling.ACKNOWLEDGE:
            acknowledged.append(text)
        elif p.ruling == Ruling.ORDER:
            ordered.append((text, actors.get(p.number, "") or order_actor))
    parts = _approved(approved) if approved else []
    if acknowledged:
        parts.append(_acknowledged(acknowledged))
    actions: tuple[str, ...] = ()
    if ordered:
        head, actions = _ordered(ordered)
        parts.append(head)
    form = next((m.group(1) for text, _a in ordered if (m := _REPORT_FORM.search(text))), "")
    if parts:
        return DecisionWords(f"{decider}ได้โปรด{join_thai(parts)}", actions, form)
    lines = list(payload.get("lines", [])) if event else []
    summary = f"{decider}ได้พิจารณาสั่งการ {join_thai(lines)}" if lines else ""
    return DecisionWords(summary, (), form)


# --- The circular's text and document ----------------------------------------------------------

DOWNLOAD_SENTENCE = "ทั้งนี้ สามารถดาวน์โหลดเอกสารได้ที่ QR Code ด้านล่าง"
MAIL_CHANNEL = "ในรูปแบบเอกสาร และไฟล์ข้อมูลทางไปรษณีย์อิเล็กทรอนิกส์ (E-mail):"


def _unit_line(memo: Memo) -> str:
    phone = memo.phone or memo.unit.phone
    return f"{memo.unit.name} ({phone})" if phone else memo.unit.name


def _requirement(data: DirectiveInput, memo: Memo, report_form: str = "") -> str:
    """The report paragraph: which form, to whom, by when and how, in the reference's words
    ("สำหรับการรายงานผล … ตามแบบ สพข. ๒/๕๔ โปรดส่งให้สถาบันฯ ในรูปแบบเอกสาร และไฟล์ข้อมูลทาง
    ไปรษณีย์อิเล็กทรอนิกส์ (E-mail): …")."""
    if not data.report_required:
        return ""
    if data.deadline_rule == DeadlineRule.FIXED and data.deadline_date:
        when = f"ภายในวันที่ {thai_date(data.deadline_date)}"
    else:
        days = data.deadline_days or 0
        spelled = "ภายในสองสัปดาห์" if days == 14 else f"ภายใน {to_thai_digits(days)} วัน"
        when = f"{spelled}ภายหลังจากที่ดำเนินการแล้วเสร็จ"
    what = "สำหรับการรายงานผลการดำเนินงาน" + (f" ตามแบบ {report_form}" if report_form else "")
    text = f"{what} โปรดส่งให้{memo.unit.name} {when}"
    mailbox = data.contact_mailbox.strip()
    return f"{text} {MAIL_CHANNEL} {mailbox}" if mailbox else text


def _download(data: DirectiveInput, link: str) -> str:
    where = f"{DOWNLOAD_SENTENCE} หรือที่ {link}" if link else DOWNLOAD_SENTENCE
    return f"{where} และรายงานผลการดำเนินงานผ่านระบบได้ที่เดียวกัน" if data.report_required else where


def prefill_body(*, memo: Memo, data: DirectiveInput, report_form: str = "", link: str = "") -> str:
    """The circular's text in paragraphs: what is sent and what was decided, the report, where
    to download. `link` is the circular's page; a circular not yet saved has none, and its
    document adds it after "QR Code ด้านล่าง" (directive_document_data)."""
    groups = list(RecipientGroup.objects.filter(pk__in=data.group_ids).order_by("sort_order"))
    doc = DirectiveDoc(
        unit_line=_unit_line(memo),
        number="",
        date=None,
        subject=data.subject,
        addressee_groups=tuple(g.name for g in groups),
        ref_number=memo.number,
        ref_date=memo.dated,
        ref_subject=memo.subject,
        decision_summary=data.decision_summary,
        actions=tuple(data.actions),
        report_requirement=_requirement(data, memo, report_form),
        contact=_download(data, link),
        attachments=(),
        signature=None,
    )
    return directive_body_text(doc)


def directive_link(directive: Directive) -> str:
    """The circular's page in the product, where a unit downloads its files and reports."""
    return f"{settings.SITE_URL}{reverse('memos:directive_detail', args=[directive.pk])}"


def with_link(body: str, link: str) -> str:
    """The body with the page's link after "QR Code ด้านล่าง", as the reference writes it
    ("… ได้ที่ QR Code ด้านล่าง หรือที่ <link>"); the draft's text was written before the
    circular had a page. A body that already holds the link, or that no longer points at the
    QR code, is left as the clerk wrote it."""
    marker = "QR Code ด้านล่าง"
    if not link or link in body or marker not in body:
        return body
    at = body.index(marker) + len(marker)
    return f"{body[:at]} หรือที่ {link}{body[at:]}"


def directive_input_of(directive: Directive) -> DirectiveInput:
    """The stored directive as form data, for editing a draft."""
    return DirectiveInput(
        subject=directive.subject,
        decision_summary=directive.decision_summary,
        actions=list(directive.actions),
        group_ids=[row.group_id for row in directive.group_rows.all()],
        signing_position_id=directive.signing_position_id,
        body=directive.body,
        report_required=directive.report_required,
        deadline_rule=directive.deadline_rule,
        deadline_date=directive.deadline_date,
        deadline_days=directive.deadline_days,
        contact_mailbox=directive.contact_mailbox,
        urgency=directive.urgency,
    )


def directive_groups(directive: Directive) -> list[RecipientGroup]:
    return [row.group for row in DirectiveGroup.objects.filter(directive=directive).select_related("group")]


def directive_document_data(directive: Directive) -> DirectiveDoc:
    memo = directive.memo
    signature = None
    if directive.signature_lines:
        lines = list(directive.signature_lines)
        signature = Signature(lines[0], tuple(lines[1:]))
    attachment = ""
    if memo.number:
        dated = f" ลงวันที่ {thai_date(memo.dated)}" if memo.dated else ""
        attachment = f"สำเนาบันทึกข้อความ ที่ {to_thai_digits(memo.number)}{dated} จำนวน ๑ ชุด"
    link = directive_link(directive)
    return DirectiveDoc(
        unit_line=_unit_line(memo),
        number=directive.number,
        date=directive.dated,
        subject=directive.subject,
        addressee_groups=tuple(g.name for g in directive_groups(directive)),
        ref_number=memo.number,
        ref_date=memo.dated,
        ref_subject=memo.subject,
        decision_summary=directive.decision_summary,
        actions=tuple(directive.actions),
        report_requirement=report_requirement_text(directive),
        contact="",
        attachments=(attachment,) if attachment else (),
        signature=signature,
        urgency=str(Urgency(directive.urgency).label) if directive.urgency else "",
        body=with_link(directive.body, link),
        link=link,
    )


def directive_docx(directive: Directive) -> bytes:
    return build_directive_docx(directive_document_data(directive))


# --- Queues ------------------------------------------------------------------------------------


def incoming_for_user(*, user: Any) -> list[Distribution]:
    """Directives sent to the user's unit, those still to handle first. Two queries."""
    official = getattr(user, "official", None)
    if official is None:
        return []
    rows = list(
        Distribution.objects.filter(unit_id=official.unit_id)
        .select_related("directive__unit", "receipt")
        .order_by("-directive__urgency", "-sent_at", "pk")[:500]
    )
    order = {s: i for i, s in enumerate(DistributionState.values)}
    rows.sort(key=lambda d: order[d.state] >= order[DistributionState.REPORT_SUBMITTED])
    return rows


def directives_of_unit(*, user: Any) -> QuerySet[Directive]:
    official = getattr(user, "official", None)
    if official is None:
        return Directive.objects.none()
    return Directive.objects.filter(unit_id=official.unit_id).select_related("memo").order_by("-created_at")


def memos_ready_for_directive(*, user: Any) -> list[Memo]:
    """Approved memos of the user's unit that no directive has been started from yet."""
    official = getattr(user, "official", None)
    if official is None:
        return []
    return list(
        memos_visible_to(user)
        .filter(unit_id=official.unit_id, state__in=[MemoState.APPROVED, MemoState.PARTLY_APPROVED], directives=None)
        .order_by("-decided_at")[:50]
    )


def directives_of_memo(memo: Memo) -> list[Directive]:
    return list(memo.directives.order_by("-created_at"))


def directive_awaiting_signature_for(*, user: Any) -> list[Directive]:
    posts = [p.pk for p, _c in positions_of_user(user=user)]
    return list(
        Directive.objects.filter(state=DirectiveState.AWAITING_SIGNATURE, signing_position_id__in=posts)
        .select_related("unit")
        .order_by("created_at")
    )


def distribution_reports(distribution: Distribution) -> list[FollowUpReport]:
    return list(distribution.reports.select_related("submitted_by__official", "reviewed_by__official"))


# --- Dashboard ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardCounts:
    total: int
    not_received: int
    received: int
    acknowledged: int
    report_submitted: int
    reported: int
    overdue: int


RECEIVED_STATES = [s for s in DistributionState.values if s != DistributionState.SENT]
ACKNOWLEDGED_STATES = [
    DistributionState.ACKNOWLEDGED,
    DistributionState.REPORT_SUBMITTED,
    DistributionState.REPORTED,
]


def dashboard_counts(directive: Directive) -> DashboardCounts:
    """One aggregate query, whatever the number of units.

    received / acknowledged count every unit that has got at least that far, so a unit that
    has reported is also counted as having received and acknowledged.
    """
    overdue_q = Q(overdue_since__isnull=False, state__in=OWING_STATES)
    c = Distribution.objects.filter(directive=directive).aggregate(
        total=Count("pk"),
        not_received=Count("pk", filter=Q(state=DistributionState.SENT)),
        received=Count("pk", filter=Q(state__in=RECEIVED_STATES)),
        acknowledged=Count("pk", filter=Q(state__in=ACKNOWLEDGED_STATES)),
        report_submitted=Count("pk", filter=Q(state=DistributionState.REPORT_SUBMITTED)),
        reported=Count("pk", filter=Q(state=DistributionState.REPORTED)),
        overdue=Count("pk", filter=overdue_q),
    )
    return DashboardCounts(**c)


def overdue_units(directive: Directive) -> list[Distribution]:
    return list(
        Distribution.objects.filter(directive=directive, overdue_since__isnull=False, state__in=OWING_STATES)
        .select_related("unit")
        .order_by("due_date", "unit__sort_order", "unit__name")
    )


def dashboard_rows(directive: Directive) -> list[Distribution]:
    """Every distribution with its receipt and latest report, in two queries."""
    latest = FollowUpReport.objects.order_by("-submitted_at", "-pk")
    return list(
        Distribution.objects.filter(directive=directive)
        .select_related("unit", "receipt")
        .prefetch_related(Prefetch("reports", queryset=latest, to_attr="report_list"))
        .order_by("unit__sort_order", "unit__name")
    )


CSV_HEADINGS = [
    "ลำดับ",
    "หน่วยงาน",
    "สถานะ",
    "เลขรับ",
    "วันที่ลงรับ",
    "เวลาลงรับ",
    "วันที่รับทราบ",
    "วันดำเนินการแล้วเสร็จ",
    "กำหนดส่งรายงาน",
    "เกินกำหนด",
    "ชื่อโครงการ",
    "ผู้เข้าร่วม: ผู้บริหาร",
    "ผู้เข้าร่วม: ข้าราชการ",
    "ผู้เข้าร่วม: ลูกจ้างและบุคลากรอื่น",
    "งบประมาณที่ใช้ (บาท)",
    "วันที่ส่งรายงาน",
    "สถานะรายงาน",
]


def dashboard_csv_rows(directive: Directive) -> list[list[Cell]]:
    """Thai dates and digits for reading; participant counts and money stay plain numbers so
    that a spreadsheet can add them up."""
    rows: list[list[Cell]] = []
    for i, d in enumerate(dashboard_rows(directive), start=1):
        reports: list[FollowUpReport] = getattr(d, "report_list", [])
        report = reports[0] if reports else None
        rows.append(
            [
                to_thai_digits(i),
                d.unit.name,
                d.get_state_display(),
                to_thai_digits(d.receipt.number) if d.receipt else "",
                thai_date(d.received_at, abbreviated=True) if d.received_at else "",
                thai_time(d.received_at) if d.received_at else "",
                thai_date(d.acknowledged_at, abbreviated=True) if d.acknowledged_at else "",
                thai_date(d.completed_on, abbreviated=True) if d.completed_on else "",
                thai_date(d.due_date, abbreviated=True) if d.due_date else "",
                "เกินกำหนด" if d.is_overdue else ("ส่งหลังกำหนด" if d.overdue_since else ""),
                report.project_name if report else "",
                report.participants_executives if report else "",
                report.participants_officials if report else "",
                report.participants_staff if report else "",
                report.budget_used.quantize(Decimal("0.01")) if report else "",
                thai_date(report.submitted_at, abbreviated=True) if report else "",
                report.get_status_display() if report else "",
            ]
        )
    return rows
