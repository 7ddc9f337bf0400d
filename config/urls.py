from django.contrib import admin
from django.urls import include, path
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Site

from ops.health import HealthView
from workflow.apps_site import MemoApplication

# One URL namespace, "memos", for every screen of the product: the workflow's (home, inbox,
# tasks) declared by the Application, and each domain app's own urls.py included into it.
site = Site(
    title="ระบบสารบรรณอิเล็กทรอนิกส์",
    viewsets=[
        MemoApplication(
            urlpatterns=[
                path("", include("memos.urls")),
                path("", include("directives.urls")),
                path("", include("registers.urls")),
                path("", include("search.urls")),
                path("", include("letters.urls")),
                path("letters/out/", include("letters.outgoing_urls")),
            ]
        )
    ],
)

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("accounts/", AuthViewset().urls),
    path("notifications/", include("notifications.urls")),
    path("", site.urls),
]
# No route serves MEDIA_ROOT, in development either: every stored file leaves through a view
# that asks the access helper first (documents.responses.stored_file_response).
