"""Directive screens. Mounted in workflow/apps_site.py (namespace "memos"); `patterns` lists
them all, and each is also a module attribute ending in `_path` so the Application can take
them as class attributes."""

from __future__ import annotations

from django.urls import path

from . import views

directive_new_path = path("memos/<int:memo_pk>/directive/new/", views.DirectiveNewView.as_view(), name="directive_new")
directive_list_path = path("directives/", views.DirectiveListView.as_view(), name="directive_list")
directive_incoming_path = path("directives/incoming/", views.IncomingView.as_view(), name="directive_incoming")
directive_detail_path = path("directives/<int:pk>/", views.DirectiveDetailView.as_view(), name="directive_detail")
directive_edit_path = path("directives/<int:pk>/edit/", views.DirectiveEditView.as_view(), name="directive_edit")
directive_submit_path = path(
    "directives/<int:pk>/submit/", views.DirectiveSubmitView.as_view(), name="directive_submit"
)
directive_sign_path = path("directives/<int:pk>/sign/", views.DirectiveSignView.as_view(), name="directive_sign")
directive_return_path = path(
    "directives/<int:pk>/return/", views.DirectiveReturnView.as_view(), name="directive_return"
)
directive_document_path = path(
    "directives/<int:pk>/document/", views.DirectiveDocumentView.as_view(), name="directive_document"
)
directive_dashboard_path = path(
    "directives/<int:pk>/dashboard/", views.DirectiveDashboardView.as_view(), name="directive_dashboard"
)
distribution_detail_path = path(
    "distributions/<int:pk>/", views.DistributionDetailView.as_view(), name="distribution_detail"
)
distribution_receive_path = path(
    "distributions/<int:pk>/receive/", views.DistributionReceiveView.as_view(), name="distribution_receive"
)
distribution_acknowledge_path = path(
    "distributions/<int:pk>/acknowledge/", views.DistributionAcknowledgeView.as_view(), name="distribution_acknowledge"
)
distribution_completion_path = path(
    "distributions/<int:pk>/completion/", views.DistributionCompletionView.as_view(), name="distribution_completion"
)
distribution_report_path = path(
    "distributions/<int:pk>/report/", views.DistributionReportView.as_view(), name="distribution_report"
)
report_file_path = path("directive-reports/<int:pk>/file/", views.ReportFileView.as_view(), name="report_file")
report_review_path = path("directive-reports/<int:pk>/review/", views.ReportReviewView.as_view(), name="report_review")

patterns = [value for name, value in list(globals().items()) if name.endswith("_path")]
