"""Included from config/urls.py into the site's "memos" URL namespace (memos:search)."""

from django.urls import path

from . import views

urlpatterns = [path("search/", views.SearchView.as_view(), name="search")]
