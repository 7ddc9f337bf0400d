"""The viewflow Application that holds the product's screens, in the URL namespace "memos".

workflow declares only its own screens here: the home page, the unified inbox, the task pages
(viewflow's, under flow/), and the two memo actions that start or cancel the memo's flow. Each
domain app's screens (memos/urls.py, directives/urls.py) are included into the same namespace
by config/urls.py, so workflow does not need to know them.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, route
from viewflow.workflow.flow import FlowViewset
from viewflow.workflow.flow import views as flow_views

from documents.display import be_format, display_name

from . import preview_views, views
from .flows import MemoFlow


class _ThaiColumns:
    """viewflow's list columns of the same names, as an official reads them: Buddhist-era
    years, people by their Thai names (viewflow prefers a view's method to the model field)."""

    def created(self, obj: Any) -> str:
        return be_format(obj.created)

    def finished(self, obj: Any) -> str:
        return be_format(obj.finished)

    def owner(self, obj: Any) -> str:
        return display_name(obj.owner)

    created.short_description = _("Created")  # type: ignore[attr-defined]
    created.orderby_column = "created"  # type: ignore[attr-defined]
    finished.short_description = _("Finished")  # type: ignore[attr-defined]
    finished.orderby_column = "finished"  # type: ignore[attr-defined]
    owner.short_description = _("Owner")  # type: ignore[attr-defined]


class ProcessListView(_ThaiColumns, flow_views.DashboardProcessListView):
    def get_queryset(self) -> Any:
        # viewflow pages an unordered list (Django warns); newest first, as its task list.
        return super().get_queryset().select_related("memo").order_by("-created")


# Each task's summary reads its memo (process.memo, workflow/flows.py) and each row names its
# owner: joined in the list's one query instead of two queries a row.
TASK_ROW_JOINS = ("process__memo", "owner__official")


class TaskListView(_ThaiColumns, flow_views.DashboardTaskListView):
    def get_queryset(self) -> Any:
        return super().get_queryset().select_related(*TASK_ROW_JOINS)


class DashboardView(flow_views.DashboardView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for column in context["columns"]:
            column["tasks"] = column["tasks"].select_related(*TASK_ROW_JOINS)
        context["finished"] = context["finished"].select_related(*TASK_ROW_JOINS)
        return context


class MemoFlowViewset(FlowViewset):
    """viewflow's process and task pages of the memo flow (for administrators, from the side
    menu). The detail and dashboard pages are our copies of its templates
    (templates/viewflow/workflow/); its lists use the columns above; every list joins what
    its rows print."""

    dashboard_view_class = DashboardView
    process_list_view_class = ProcessListView
    task_list_view_class = TaskListView


class MemoApplication(Application):
    title = "งานสารบรรณ"
    icon = "mail"
    app_name = "memos"

    home_path = path("", views.HomeView.as_view(), name="index")
    inbox_path = path("inbox/", views.InboxView.as_view(), name="inbox")
    # Sending starts the memo's flow and withdrawing cancels it: they belong to the flow.
    submit_path = path("memos/<int:pk>/submit/", views.MemoSubmitView.as_view(), name="memo_submit")
    withdraw_path = path("memos/<int:pk>/withdraw/", views.MemoWithdrawView.as_view(), name="memo_withdraw")
    decision_preview_path = path("tasks/<int:task_pk>/preview/", preview_views.preview, name="decision_preview")

    # viewflow's own process and task pages for the memo flow (namespace memos:memo:…).
    flow_path = route("flow/", MemoFlowViewset(MemoFlow, icon="route"))
