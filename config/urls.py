from django.contrib import admin
from django.urls import include, path
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Site

from ops.health import HealthView
from workflow.apps_site import MemoApplication

site = Site(
    title="ระบบสารบรรณอิเล็กทรอนิกส์",
    # The theme colours are in static/css/saraban.css: given here, viewflow writes them as an
    # inline <style>, which the Content-Security-Policy refuses.
    viewsets=[MemoApplication()],
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
