"""The decision page's live preview: the browser posts the form as it stands, the server words it.

The wording rule lives in memos.wording only; the page's script debounces, posts here and
puts the returned fragment in place (templates/memos/task_decide.html).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, JsonResponse
from django.views import View

from memos.access import memo_visible_to

from . import forms
from .models import TaskKind, TaskLink
from .nodes import OPEN_STATUSES, user_acts_for_task


class DecisionPreviewView(LoginRequiredMixin, View):
    """POST the decision form's current values; get back the lines memo_decide would record.

    The same access as the task page (workflow.nodes.memo_task_view): a user who cannot see
    the memo or does not act for the task's post gets 404, as does a task that is done or is
    not a decision. Nothing is written."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, task_pk: int) -> JsonResponse:
        link = (
            TaskLink.objects.select_related("task", "memo")
            .filter(task_id=task_pk, kind=TaskKind.DECIDE, is_open=True)
            .first()
        )
        if link is None or link.task.status not in OPEN_STATUSES:
            raise Http404
        user: Any = request.user
        if not memo_visible_to(user, link.memo) or not user_acts_for_task(user, link.task):
            raise Http404
        form = forms.DecideForm(request.POST, proposals=list(link.memo.proposals.all()))
        return JsonResponse(
            {"lines": form.preview_lines(), "undecided": form.undecided(), "html": str(form.preview_html())}
        )


preview = DecisionPreviewView.as_view()
