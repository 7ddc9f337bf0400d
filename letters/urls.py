"""Received-letter screens, included from config/urls.py into the site's "memos" URL namespace
(memos:letter_list, memos:letter_detail …), so they get the site's frame and menu."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("letters/", views.LetterListView.as_view(), name="letter_list"),
    path("letters/waiting/", views.WaitingView.as_view(), name="letter_waiting"),
    path("letters/new/", views.BookInView.as_view(), name="letter_new"),
    path("letters/<int:pk>/", views.LetterDetailView.as_view(), name="letter_detail"),
    path("letters/<int:pk>/book/", views.BookInView.as_view(), name="letter_book"),
    path("letters/<int:pk>/reject/", views.RejectView.as_view(), name="letter_reject"),
    path("letters/<int:pk>/route/", views.RouteView.as_view(), name="letter_route"),
    path("letters/<int:pk>/memo/", views.RequestMemoView.as_view(), name="letter_memo"),
    path("letters/<int:pk>/close/", views.CloseView.as_view(), name="letter_close"),
    path("letters/<int:pk>/files/<int:file_pk>/", views.LetterFileView.as_view(), name="letter_file"),
]
