"""The viewflow Application that holds the product's screens."""

from __future__ import annotations

from django.urls import path
from viewflow.urls import Application

from . import views


class MemoApplication(Application):
    title = "งานสารบรรณ"
    icon = "mail"
    app_name = "memos"

    home_path = path("", views.HomeView.as_view(), name="index")
