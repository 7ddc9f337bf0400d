"""Every factory makes a row that passes the model's own validation, and the service-made
ones keep the invariants their service promises."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from directory.models import Capacity, Position
from memos.audit import chain_verify
from memos.models import MemoState
from tests import factories
from workflow.models import TaskKind

pytestmark = pytest.mark.django_db

ALL = [
    factories.UserFactory,
    factories.UnitFactory,
    factories.PositionFactory,
    factories.RecipientGroupFactory,
    factories.OfficialFactory,
    factories.AppointmentFactory,
    factories.MemoFactory,
    factories.MemoSectionFactory,
    factories.SectionItemFactory,
    factories.ProposalFactory,
    factories.RouteStepFactory,
    factories.AttachmentFactory,
    factories.RouteTemplateFactory,
    factories.RouteTemplateStepFactory,
    factories.RegisterCounterFactory,
    factories.RegisterEntryFactory,
    factories.MemoEventFactory,
    factories.MemoRevisionFactory,
    factories.TaskLinkFactory,
    factories.DirectiveFactory,
    factories.DirectiveGroupFactory,
    factories.DistributionFactory,
    factories.FollowUpReportFactory,
    factories.DirectiveEventFactory,
    factories.DocumentVersionFactory,
    factories.PageMarkingFactory,
    factories.NotificationFactory,
]


# Not checked by full_clean: protected FSM fields refuse the assignment clean_fields makes
# (only the services' transitions change them), and the creation event of a memo has no
# previous state, as memo_create writes it.
NOT_CLEANED = ["state", "from_state"]


@pytest.mark.parametrize("factory", ALL, ids=lambda f: f.__name__)
def test_factory_makes_a_valid_row(factory):
    obj = factory()
    obj.full_clean(exclude=NOT_CLEANED)
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_every_concrete_model_of_the_project_has_a_factory():
    from django.apps import apps

    covered = {f._meta.model for f in ALL}
    ours = {
        model
        for app in ("memos", "directives", "documents", "notifications", "workflow")
        for model in apps.get_app_config(app).get_models()
        if not model._meta.proxy
    }
    assert ours - covered == set()


def test_an_official_of_the_directory_acts_for_the_posts_given(directory):
    official = factories.OfficialFactory(unit_key="ops-hrd", posts=[("ops-hrd-head", Capacity.ACTING_IN_POST)])
    assert official.unit.key == "ops-hrd"
    assert [(a.position.key, a.capacity) for a in official.appointments.all()] == [
        ("ops-hrd-head", Capacity.ACTING_IN_POST)
    ]


def test_appointments_go_through_the_service_and_refuse_a_second_holder():
    first = factories.AppointmentFactory()
    with pytest.raises(ValidationError, match="มีผู้ดำรงตำแหน่งอยู่แล้ว"):
        factories.AppointmentFactory(position=first.position)


def test_register_entries_take_consecutive_numbers_and_events_keep_the_chain():
    unit = factories.UnitFactory()
    assert [factories.RegisterEntryFactory(unit=unit).number for _ in range(3)] == [1, 2, 3]
    event = factories.MemoEventFactory()
    factories.MemoEventFactory(memo=event.memo, action="submit", text="เสนอ")
    assert chain_verify(memo_id=event.memo_id).ok


def test_a_task_link_is_the_sign_task_of_a_submitted_memo():
    signer = factories.OfficialFactory()
    post = factories.PositionFactory(unit=signer.unit)
    factories.AppointmentFactory(official=signer, position=post)
    link = factories.TaskLinkFactory(memo=factories.MemoFactory(drafter=signer, signing_position=post))
    assert link.kind == TaskKind.SIGN and link.position == Position.objects.get(pk=post.pk)
    assert link.memo.state == MemoState.AWAITING_SIGNATURE
