"""The viewflow Application that holds the product's screens, in the URL namespace "memos".

workflow declares only its own screens here: the home page, the unified inbox, the task pages
(viewflow's, under flow/), and the two memo actions that start or cancel the memo's flow. Each
domain app's screens (memos/urls.py, directives/urls.py) are included into the same namespace
by config/urls.py, so workflow does not need to know them.
"""

from __future__ import annotations

from django.urls import path
from viewflow.urls import Application, route
from viewflow.workflow.flow import FlowViewset

from . import preview_views, views
from .flows import MemoFlow


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
    flow_path = route("flow/", FlowViewset(MemoFlow, icon="route"))
