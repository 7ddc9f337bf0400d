"""The register screens. Included from config/urls.py into the site's "memos" URL namespace
(as memos/urls.py and directives/urls.py are), so their names are memos:register and so on;
memos:register kept the name and path it had when the screen lived in memos/."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("registers/", views.RegisterIndexView.as_view(), name="register_index"),
    path("registers/import/", views.RegisterImportView.as_view(), name="register_import"),
    path("registers/import/<int:pk>/", views.RegisterImportPreviewView.as_view(), name="register_import_preview"),
    path("registers/<str:series>/<int:year>/", views.RegisterView.as_view(), name="register"),
]
