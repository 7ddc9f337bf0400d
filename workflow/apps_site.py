"""The viewflow Application that holds the product's screens."""

from __future__ import annotations

from django.urls import path
from viewflow.urls import Application, route
from viewflow.workflow.flow import FlowViewset

from directives import urls as directive_urls
from memos.document_views import DocumentDownloadView, DocumentPreviewView, DraftPreviewView

from . import preview_views, views
from .flows import MemoFlow


class MemoApplication(Application):
    title = "งานสารบรรณ"
    icon = "mail"
    app_name = "memos"

    home_path = path("", views.HomeView.as_view(), name="index")
    inbox_path = path("inbox/", views.InboxView.as_view(), name="inbox")
    mine_path = path("memos/", views.MyMemosView.as_view(), name="memo_list")
    new_path = path("memos/new/", views.MemoEditView.as_view(), name="memo_new")
    detail_path = path("memos/<int:pk>/", views.MemoDetailView.as_view(), name="memo_detail")
    edit_path = path("memos/<int:pk>/edit/", views.MemoEditView.as_view(), name="memo_edit")
    submit_path = path("memos/<int:pk>/submit/", views.MemoSubmitView.as_view(), name="memo_submit")
    withdraw_path = path("memos/<int:pk>/withdraw/", views.MemoWithdrawView.as_view(), name="memo_withdraw")
    attach_path = path("memos/<int:pk>/attachments/", views.AttachmentUploadView.as_view(), name="attachment_add")
    attachment_path = path(
        "memos/<int:pk>/attachments/<int:attachment_id>/", views.AttachmentDownloadView.as_view(), name="attachment"
    )
    # Stored document versions and previews (documents app); each view asks memos.access.
    document_download_path = path(
        "memos/<int:pk>/documents/<int:version_id>/", DocumentDownloadView.as_view(), name="document_download"
    )
    document_preview_path = path(
        "memos/<int:pk>/documents/<int:version_id>/pdf/", DocumentPreviewView.as_view(), name="document_preview"
    )
    document_draft_path = path("memos/<int:pk>/documents/draft/", DraftPreviewView.as_view(), name="document_draft")
    register_path = path("registers/<str:series>/<int:year>/", views.RegisterView.as_view(), name="register")
    decision_preview_path = path("tasks/<int:task_pk>/preview/", preview_views.preview, name="decision_preview")

    # Circular directives, their distribution and follow-up reports (directives/urls.py).
    directive_new_path = directive_urls.directive_new_path
    directive_list_path = directive_urls.directive_list_path
    directive_incoming_path = directive_urls.directive_incoming_path
    directive_detail_path = directive_urls.directive_detail_path
    directive_edit_path = directive_urls.directive_edit_path
    directive_submit_path = directive_urls.directive_submit_path
    directive_sign_path = directive_urls.directive_sign_path
    directive_return_path = directive_urls.directive_return_path
    directive_document_path = directive_urls.directive_document_path
    directive_dashboard_path = directive_urls.directive_dashboard_path
    distribution_detail_path = directive_urls.distribution_detail_path
    distribution_receive_path = directive_urls.distribution_receive_path
    distribution_acknowledge_path = directive_urls.distribution_acknowledge_path
    distribution_completion_path = directive_urls.distribution_completion_path
    distribution_report_path = directive_urls.distribution_report_path
    report_file_path = directive_urls.report_file_path
    report_review_path = directive_urls.report_review_path

    # viewflow's own process and task pages for the memo flow (namespace memos:memo:…).
    flow_path = route("flow/", FlowViewset(MemoFlow, icon="route"))
