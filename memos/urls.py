"""The memo screens. Included from config/urls.py into the site's "memos" URL namespace (the
viewflow Application that draws the menu), so their names are memos:memo_detail and so on.
Sending and withdrawing a memo (memos:memo_submit, memos:memo_withdraw) drive its flow and are
declared with the flow's screens in workflow/apps_site.py."""

from __future__ import annotations

from django.urls import path

from . import views
from .document_views import DocumentDownloadView, DocumentPreviewView, DraftPreviewView

urlpatterns = [
    path("memos/", views.MyMemosView.as_view(), name="memo_list"),
    path("memos/new/", views.MemoEditView.as_view(), name="memo_new"),
    path("memos/<int:pk>/", views.MemoDetailView.as_view(), name="memo_detail"),
    path("memos/<int:pk>/edit/", views.MemoEditView.as_view(), name="memo_edit"),
    path("memos/<int:pk>/attachments/", views.AttachmentUploadView.as_view(), name="attachment_add"),
    path("memos/<int:pk>/attachments/<int:attachment_id>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    # Stored document versions and previews; each view asks memos.access.
    path("memos/<int:pk>/documents/<int:version_id>/", DocumentDownloadView.as_view(), name="document_download"),
    path("memos/<int:pk>/documents/<int:version_id>/pdf/", DocumentPreviewView.as_view(), name="document_preview"),
    path("memos/<int:pk>/documents/draft/", DraftPreviewView.as_view(), name="document_draft"),
]
