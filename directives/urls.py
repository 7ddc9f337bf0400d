"""Directive screens: circulars, their distribution to units and the follow-up reports.
Included from config/urls.py into the site's "memos" URL namespace (memos:directive_detail …)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("memos/<int:memo_pk>/directive/new/", views.DirectiveNewView.as_view(), name="directive_new"),
    path("directives/", views.DirectiveListView.as_view(), name="directive_list"),
    path("directives/incoming/", views.IncomingView.as_view(), name="directive_incoming"),
    path("directives/<int:pk>/", views.DirectiveDetailView.as_view(), name="directive_detail"),
    path("directives/<int:pk>/edit/", views.DirectiveEditView.as_view(), name="directive_edit"),
    path("directives/<int:pk>/submit/", views.DirectiveSubmitView.as_view(), name="directive_submit"),
    path("directives/<int:pk>/sign/", views.DirectiveSignView.as_view(), name="directive_sign"),
    path("directives/<int:pk>/return/", views.DirectiveReturnView.as_view(), name="directive_return"),
    path("directives/<int:pk>/document/", views.DirectiveDocumentView.as_view(), name="directive_document"),
    path("directives/<int:pk>/dashboard/", views.DirectiveDashboardView.as_view(), name="directive_dashboard"),
    path("distributions/<int:pk>/", views.DistributionDetailView.as_view(), name="distribution_detail"),
    path("distributions/<int:pk>/receive/", views.DistributionReceiveView.as_view(), name="distribution_receive"),
    path(
        "distributions/<int:pk>/acknowledge/",
        views.DistributionAcknowledgeView.as_view(),
        name="distribution_acknowledge",
    ),
    path(
        "distributions/<int:pk>/completion/", views.DistributionCompletionView.as_view(), name="distribution_completion"
    ),
    path("distributions/<int:pk>/report/", views.DistributionReportView.as_view(), name="distribution_report"),
    path("directive-reports/<int:pk>/file/", views.ReportFileView.as_view(), name="report_file"),
    path("directive-reports/<int:pk>/review/", views.ReportReviewView.as_view(), name="report_review"),
]
