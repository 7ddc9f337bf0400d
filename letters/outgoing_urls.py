"""The outgoing letter screens, mounted at /letters/out/ inside the site's "memos" namespace
(config/urls.py), so their names are memos:letters_out:list and so on."""

from __future__ import annotations

from django.urls import path

from . import outgoing_views as views

app_name = "letters_out"

urlpatterns = [
    path("", views.OutgoingListView.as_view(), name="list"),
    path("new/", views.OutgoingEditView.as_view(), name="new"),
    path("<int:pk>/", views.OutgoingDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OutgoingEditView.as_view(), name="edit"),
    path("<int:pk>/attach/", views.AttachView.as_view(), name="attach"),
    path("<int:pk>/files/<int:file_id>/", views.FileDownloadView.as_view(), name="file"),
    path("<int:pk>/document/", views.DocumentView.as_view(), name="document"),
    path("<int:pk>/document/pdf/", views.PreviewView.as_view(), name="preview"),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("<int:pk>/resubmit/", views.ResubmitView.as_view(), name="resubmit"),
    path("<int:pk>/forward/", views.ForwardView.as_view(), name="forward"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("<int:pk>/sign/", views.SignView.as_view(), name="sign"),
    path("<int:pk>/send/", views.SendView.as_view(), name="send"),
    path("<int:pk>/send/retry/", views.RetrySendView.as_view(), name="send_retry"),
    path("<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
]
