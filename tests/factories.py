"""factory-boy factories, one per model.

Rows whose invariants belong to a service are made through that service, so a factory can
never build what the application itself could not: appointments go through
`appointment_create` (no overlapping holders), audit events through `audit.event_append`
(the hash chain holds), register entries through `register_allocate` (consecutive numbers),
and a task link through `memo_submit` (a real viewflow task behind it).

Everything else is a plain row with Thai defaults. Units and posts made here get keys of
their own (`unit-1`, `post-1`, ...), so they never clash with the BMA directory that the
test database already holds; to use a directory row, pass it (`unit=Unit.objects.get(...)`)
or its key (`OfficialFactory(unit_key="ops-hrd")`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from directives.models import (
    DeadlineRule,
    Directive,
    DirectiveEvent,
    DirectiveEventAction,
    DirectiveGroup,
    Distribution,
    FollowUpReport,
)
from directory.models import Appointment, Capacity, Official, Position, Prefix, RecipientGroup, Unit, UnitKind
from documents.models import DocumentKind, DocumentVersion, PageMarking, VersionStatus
from documents.thai import to_thai_digits
from memos.models import (
    Attachment,
    EventAction,
    ItemStyle,
    Memo,
    MemoEvent,
    MemoRevision,
    MemoSection,
    Proposal,
    RouteStep,
    RouteTemplate,
    RouteTemplateStep,
    SectionItem,
)
from notifications.models import Channel, Notification, Status
from registers.models import RegisterCounter, RegisterEntry, Series
from workflow.models import TaskLink

APPOINTED_FROM = dt.date(2020, 10, 1)


# --- People and the directory ---------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """A login. No password unless one is given: hashing costs time, and most tests sign in
    with `client.force_login`."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.go.th")
    first_name = "สมชาย"
    last_name = "ใจดี"
    password = None

    class Params:
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        return model_class.objects.create_user(*args, **kwargs)


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    key = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"หน่วยทดสอบ {to_thai_digits(n)}")
    kind = UnitKind.OFFICE
    parent = None
    sort_order = factory.Sequence(lambda n: 10_000 + n)


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    key = factory.Sequence(lambda n: f"post-{n}")
    title = factory.LazyAttribute(lambda p: f"หัวหน้า{p.unit.name}")
    unit = factory.SubFactory(UnitFactory)
    sort_order = factory.Sequence(lambda n: 10_000 + n)


class RecipientGroupFactory(DjangoModelFactory):
    class Meta:
        model = RecipientGroup
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"กลุ่มผู้รับทดสอบ {to_thai_digits(n)}")
    sort_order = 99

    @factory.post_generation
    def positions(group: RecipientGroup, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            group.positions.add(*extracted)


class OfficialFactory(DjangoModelFactory):
    """An official with a login. `unit_key` picks a unit of the BMA directory; `posts` is a
    sequence of (position key, capacity) appointed from APPOINTED_FROM, open-ended."""

    class Meta:
        model = Official
        skip_postgeneration_save = True

    class Params:
        unit_key = None

    user = factory.SubFactory(
        UserFactory,
        first_name=factory.SelfAttribute("..first_name"),
        last_name=factory.SelfAttribute("..last_name"),
    )
    prefix = Prefix.MR
    first_name = "สมชาย"
    last_name = factory.Sequence(lambda n: f"ทดสอบ{to_thai_digits(n)}")
    unit = factory.Maybe(
        "unit_key",
        yes_declaration=factory.LazyAttribute(lambda o: Unit.objects.get(key=o.unit_key)),
        no_declaration=factory.SubFactory(UnitFactory),
    )
    is_clerk = False

    @factory.post_generation
    def posts(official: Official, create: bool, extracted: Any, **kwargs: Any) -> None:
        for key, capacity in extracted or ():
            AppointmentFactory(official=official, position=Position.objects.get(key=key), capacity=capacity)


class AppointmentFactory(DjangoModelFactory):
    """Made through directory.services.appointment_create, which refuses overlapping holders."""

    class Meta:
        model = Appointment

    official = factory.SubFactory(OfficialFactory)
    position = factory.SubFactory(PositionFactory, unit=factory.SelfAttribute("..official.unit"))
    capacity = Capacity.HOLDER
    valid_from = APPOINTED_FROM
    valid_until = None
    order_reference = ""

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Appointment:
        from directory.services import appointment_create

        return appointment_create(**kwargs)


# --- Memos --------------------------------------------------------------------------------


class MemoFactory(DjangoModelFactory):
    """A draft memo of `drafter`'s unit, addressed to a post of its own, with one proposal
    and a one-step route to the addressee: ready to be submitted."""

    class Meta:
        model = Memo
        exclude = ("drafter",)
        skip_postgeneration_save = True

    drafter = factory.SubFactory(OfficialFactory)
    unit = factory.SelfAttribute("drafter.unit")
    drafted_by = factory.SelfAttribute("drafter.user")
    subject = factory.Sequence(lambda n: f"ขออนุมัติโครงการฝึกอบรม รุ่นที่ {to_thai_digits(n + 1)}")
    addressee = factory.SubFactory(PositionFactory)
    signing_position = factory.SubFactory(PositionFactory, unit=factory.SelfAttribute("..unit"))

    @factory.post_generation
    def proposals(memo: Memo, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            texts = ["อนุมัติโครงการตามที่เสนอ"] if extracted is None else extracted
            for number, text in enumerate(texts, start=1):
                ProposalFactory(memo=memo, number=number, text=text)

    @factory.post_generation
    def route(memo: Memo, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            for order, position in enumerate([memo.addressee] if extracted is None else extracted):
                RouteStepFactory(memo=memo, order=order, position=position)


class MemoSectionFactory(DjangoModelFactory):
    class Meta:
        model = MemoSection

    memo = factory.SubFactory(MemoFactory)
    order = factory.Sequence(lambda n: n + 1)
    heading = "ข้อเท็จจริง"


class SectionItemFactory(DjangoModelFactory):
    class Meta:
        model = SectionItem

    section = factory.SubFactory(MemoSectionFactory)
    order = factory.Sequence(lambda n: n + 1)
    style = ItemStyle.NUMBERED
    text = "สถาบันได้จัดทำแผนพัฒนาข้าราชการประจำปีแล้ว"


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    memo = factory.SubFactory(MemoFactory, proposals=[])
    number = factory.Sequence(lambda n: n + 1)
    text = "อนุมัติโครงการตามที่เสนอ"


class RouteStepFactory(DjangoModelFactory):
    class Meta:
        model = RouteStep

    memo = factory.SubFactory(MemoFactory, route=[])
    order = factory.Sequence(lambda n: n)
    position = factory.SubFactory(PositionFactory)


class AttachmentFactory(DjangoModelFactory):
    class Meta:
        model = Attachment

    memo = factory.SubFactory(MemoFactory)
    title = "แผนการฝึกอบรม"
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 plan", name="plan.pdf"))
    size = factory.LazyAttribute(lambda a: a.file.size)
    content_type = "application/pdf"
    uploaded_by = factory.SelfAttribute("memo.drafted_by")


class RouteTemplateFactory(DjangoModelFactory):
    class Meta:
        model = RouteTemplate

    unit = factory.SubFactory(UnitFactory)
    name = "เส้นทางทดสอบ"


class RouteTemplateStepFactory(DjangoModelFactory):
    class Meta:
        model = RouteTemplateStep

    template = factory.SubFactory(RouteTemplateFactory)
    order = factory.Sequence(lambda n: n)
    position = factory.SubFactory(PositionFactory)


class RegisterCounterFactory(DjangoModelFactory):
    class Meta:
        model = RegisterCounter

    unit = factory.SubFactory(UnitFactory)
    year = 2569
    series = Series.SEND


class RegisterEntryFactory(DjangoModelFactory):
    """Made through registers.services.register_allocate: the unit's next number in the series."""

    class Meta:
        model = RegisterEntry

    unit = factory.SubFactory(UnitFactory)
    series = Series.RECEIVE
    sender = "สำนักงานเขตพระนคร"
    recipient = factory.SelfAttribute("unit.name")
    subject = "รายงานผลการดำเนินโครงการฝึกอบรม"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> RegisterEntry:
        from registers.services import register_allocate

        return register_allocate(**kwargs)


class MemoEventFactory(DjangoModelFactory):
    """Appended through memos.audit.event_append, so the memo's hash chain still verifies."""

    class Meta:
        model = MemoEvent

    memo = factory.SubFactory(MemoFactory)
    action = EventAction.CREATE
    from_state = ""
    to_state = factory.SelfAttribute("memo.state")
    actor = factory.SelfAttribute("memo.drafted_by")
    actor_name = factory.LazyAttribute(lambda e: e.memo.drafted_by.official.full_name)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> MemoEvent:
        from memos.audit import event_append

        return event_append(**kwargs)


class MemoRevisionFactory(DjangoModelFactory):
    class Meta:
        model = MemoRevision

    memo = factory.SubFactory(MemoFactory)
    version = factory.SelfAttribute("memo.version")
    snapshot = factory.LazyAttribute(lambda r: {"subject": r.memo.subject})


class TaskLinkFactory(DjangoModelFactory):
    """The open sign task of a memo submitted through workflow.services.memo_submit (a task link
    is the workflow's own bookkeeping: there is no honest way to make one by hand)."""

    class Meta:
        model = TaskLink

    memo = factory.SubFactory(MemoFactory)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, memo: Memo, **kwargs: Any) -> TaskLink:
        from workflow.services import memo_submit

        memo_submit(memo=memo, user=memo.drafted_by)
        return TaskLink.objects.get(memo=memo, is_open=True)


# --- Directives ---------------------------------------------------------------------------


class DirectiveFactory(DjangoModelFactory):
    """A draft circular issued from a memo by its unit, reports due 14 days after completion."""

    class Meta:
        model = Directive

    memo = factory.SubFactory(MemoFactory)
    unit = factory.SelfAttribute("memo.unit")
    subject = factory.SelfAttribute("memo.subject")
    decision_summary = "ปลัดกรุงเทพมหานครได้พิจารณาสั่งการ อนุมัติในข้อ ๑"
    actions = factory.LazyFunction(lambda: ["ดำเนินโครงการฝึกอบรม", "รายงานผลให้สถาบันทราบ"])
    deadline_rule = DeadlineRule.AFTER_COMPLETION
    deadline_days = 14
    body = "จึงเรียนมาเพื่อโปรดทราบ และดำเนินการต่อไป"
    signing_position = factory.SelfAttribute("memo.signing_position")
    created_by = factory.SelfAttribute("memo.drafted_by")


class DirectiveGroupFactory(DjangoModelFactory):
    class Meta:
        model = DirectiveGroup

    directive = factory.SubFactory(DirectiveFactory)
    group = factory.SubFactory(RecipientGroupFactory)
    order = factory.Sequence(lambda n: n)


class DistributionFactory(DjangoModelFactory):
    class Meta:
        model = Distribution

    directive = factory.SubFactory(DirectiveFactory)
    unit = factory.SubFactory(UnitFactory)
    sent_at = factory.LazyFunction(timezone.now)


class FollowUpReportFactory(DjangoModelFactory):
    class Meta:
        model = FollowUpReport

    distribution = factory.SubFactory(DistributionFactory)
    project_name = "โครงการอบรมข้าราชการบรรจุใหม่"
    started_on = dt.date(2026, 11, 2)
    ended_on = dt.date(2026, 11, 6)
    participants_officials = 40
    budget_used = Decimal("12000.50")
    outcome = "บรรลุเป้าหมาย"
    submitted_by = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyFunction(timezone.now)


class DirectiveEventFactory(DjangoModelFactory):
    class Meta:
        model = DirectiveEvent

    directive = factory.SubFactory(DirectiveFactory)
    action = DirectiveEventAction.CREATE
    actor = factory.SelfAttribute("directive.created_by")
    created_at = factory.LazyFunction(timezone.now)


# --- Documents and notifications ----------------------------------------------------------


class DocumentVersionFactory(DjangoModelFactory):
    """A pending version, waiting for the render worker."""

    class Meta:
        model = DocumentVersion

    kind = DocumentKind.MEMO
    memo = factory.SubFactory(MemoFactory)
    version = factory.Sequence(lambda n: n + 1)


class PageMarkingFactory(DjangoModelFactory):
    """The pending marking step of a stored (done) version: its unmarked file is named, not
    written (the worker reads it when the step runs)."""

    class Meta:
        model = PageMarking

    version = factory.SubFactory(
        DocumentVersionFactory,
        status=VersionStatus.DONE,
        file=factory.LazyAttribute(lambda v: f"documents/memo-{v.memo.pk}/v{v.version}-00000000.docx"),
        sha256="0" * 64,
        size=1,
    )
    plain_file = factory.LazyAttribute(lambda m: m.version.file.name)
    plain_sha256 = factory.LazyAttribute(lambda m: m.version.sha256)
    plain_size = factory.LazyAttribute(lambda m: m.version.size)


class NotificationFactory(DjangoModelFactory):
    """An in-app notification, delivered (in the inbox) and unread."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda n: n.recipient.email if n.recipient else "")
    channel = Channel.INAPP
    kind = "task_assigned"
    subject = "มีบันทึกข้อความเสนอท่านพิจารณา"
    body = "กรุณาเปิดงานจากกล่องงานของท่าน"
    url = "/memos/"
    status = Status.SENT
    dedup_key = factory.Sequence(lambda n: f"test:{n}")
