from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Site

from workflow.apps_site import MemoApplication

site = Site(
    title="ระบบสารบรรณอิเล็กทรอนิกส์",
    primary_color="#1a3a6b",
    secondary_color="#3f5f95",
    viewsets=[MemoApplication()],
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", AuthViewset().urls),
    path("notifications/", include("notifications.urls")),
    path("", site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
