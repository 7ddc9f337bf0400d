"""/api/v1/ and the schema pages (/api/schema/, Swagger UI, ReDoc)."""

from __future__ import annotations

from csp import constants as csp
from csp.decorators import csp_update
from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from .converters import IdConverter, SeriesConverter, YearConverter
from .views import circulars, directory, documents, letters, memos, registers, search, tasks
from .views.fallback import not_found

app_name = "api"

register_converter(IdConverter, "api_id")
register_converter(SeriesConverter, "api_series")
register_converter(YearConverter, "api_year")

v1 = [
    path("me/", directory.Me.as_view(), name="me"),
    # Memos
    path("memos/", memos.MemoListCreate.as_view(), name="memo-list"),
    path("memos/<api_id:pk>/", memos.MemoDetail.as_view(), name="memo-detail"),
    path("memos/<api_id:pk>/submit/", memos.MemoSubmit.as_view(), name="memo-submit"),
    path("memos/<api_id:pk>/withdraw/", memos.MemoWithdraw.as_view(), name="memo-withdraw"),
    path("memos/<api_id:pk>/circular-draft/", memos.MemoCircularDraft.as_view(), name="memo-circular-draft"),
    path("memos/<api_id:pk>/documents/", documents.DocumentList.as_view(), name="memo-documents"),
    path(
        "memos/<api_id:pk>/documents/<api_id:version_id>/download/",
        documents.DocumentDownload.as_view(),
        name="memo-document-download",
    ),
    path(
        "memos/<api_id:pk>/documents/<api_id:version_id>/preview/",
        documents.DocumentPreview.as_view(),
        name="memo-document-preview",
    ),
    path(
        "memos/<api_id:pk>/attachments/<api_id:attachment_id>/download/",
        documents.AttachmentDownload.as_view(),
        name="memo-attachment-download",
    ),
    # Received letters
    path("letters/incoming/", letters.IncomingListCreate.as_view(), name="incoming-list"),
    path("letters/incoming/<api_id:pk>/", letters.IncomingDetail.as_view(), name="incoming-detail"),
    path("letters/incoming/<api_id:pk>/book-in/", letters.IncomingBookIn.as_view(), name="incoming-book-in"),
    path("letters/incoming/<api_id:pk>/route/", letters.IncomingRoute.as_view(), name="incoming-route"),
    path("letters/incoming/<api_id:pk>/close/", letters.IncomingClose.as_view(), name="incoming-close"),
    path("letters/outgoing/", letters.OutgoingList.as_view(), name="outgoing-list"),
    path("letters/outgoing/<api_id:pk>/", letters.OutgoingDetail.as_view(), name="outgoing-detail"),
    path("letters/outgoing/<api_id:pk>/sign/", letters.OutgoingSign.as_view(), name="outgoing-sign"),
    path("letters/outgoing/<api_id:pk>/send/", letters.OutgoingSend.as_view(), name="outgoing-send"),
    # Tasks
    path("tasks/", tasks.Inbox.as_view(), name="task-list"),
    path("tasks/unit-queue/", tasks.UnitQueue.as_view(), name="task-unit-queue"),
    path("tasks/circulars/", tasks.InboxCirculars.as_view(), name="task-circulars"),
    path("tasks/<api_id:pk>/", tasks.TaskDetail.as_view(), name="task-detail"),
    path("tasks/<api_id:pk>/sign/", tasks.TaskSign.as_view(), name="task-sign"),
    path("tasks/<api_id:pk>/forward/", tasks.TaskForward.as_view(), name="task-forward"),
    path("tasks/<api_id:pk>/return/", tasks.TaskReturn.as_view(), name="task-return"),
    path("tasks/<api_id:pk>/decide/", tasks.TaskDecide.as_view(), name="task-decide"),
    path("tasks/<api_id:pk>/decision-preview/", tasks.TaskDecisionPreview.as_view(), name="task-decision-preview"),
    path("tasks/<api_id:pk>/book-in/", tasks.TaskBookIn.as_view(), name="task-book-in"),
    path("tasks/<api_id:pk>/resubmit/", tasks.TaskResubmit.as_view(), name="task-resubmit"),
    # Circulars
    path("circulars/", circulars.CircularListCreate.as_view(), name="circular-list"),
    path("circulars/to-sign/", circulars.CircularToSign.as_view(), name="circular-to-sign"),
    path("circulars/<api_id:pk>/", circulars.CircularDetail.as_view(), name="circular-detail"),
    path("circulars/<api_id:pk>/submit/", circulars.CircularSubmit.as_view(), name="circular-submit"),
    path("circulars/<api_id:pk>/sign/", circulars.CircularSign.as_view(), name="circular-sign"),
    path("circulars/<api_id:pk>/return/", circulars.CircularReturn.as_view(), name="circular-return"),
    path(
        "circulars/<api_id:pk>/distributions/", circulars.CircularDistributions.as_view(), name="circular-distributions"
    ),
    path("circulars/<api_id:pk>/document/", documents.CircularDocument.as_view(), name="circular-document"),
    path("reports/<api_id:pk>/file/", documents.ReportFile.as_view(), name="report-file"),
    path("reports/<api_id:pk>/accept/", circulars.ReportAccept.as_view(), name="report-accept"),
    path("reports/<api_id:pk>/return/", circulars.ReportReturn.as_view(), name="report-return"),
    path("distributions/", circulars.DistributionList.as_view(), name="distribution-list"),
    path("distributions/<api_id:pk>/", circulars.DistributionDetail.as_view(), name="distribution-detail"),
    path("distributions/<api_id:pk>/book-in/", circulars.DistributionBookIn.as_view(), name="distribution-book-in"),
    path(
        "distributions/<api_id:pk>/acknowledge/",
        circulars.DistributionAcknowledge.as_view(),
        name="distribution-acknowledge",
    ),
    path(
        "distributions/<api_id:pk>/completion/",
        circulars.DistributionCompletion.as_view(),
        name="distribution-completion",
    ),
    path("distributions/<api_id:pk>/reports/", circulars.DistributionReport.as_view(), name="distribution-report"),
    # Registers
    path("registers/", registers.RegisterSeriesList.as_view(), name="register-series"),
    path("registers/<api_series:series>/<api_year:year>/", registers.RegisterList.as_view(), name="register-list"),
    path("registers/<api_series:series>/<api_year:year>/xlsx/", registers.RegisterXlsx.as_view(), name="register-xlsx"),
    # Search
    path("search/", search.Search.as_view(), name="search"),
    # Directory
    path("directory/units/", directory.UnitList.as_view(), name="unit-list"),
    path("directory/units/<api_id:pk>/", directory.UnitDetail.as_view(), name="unit-detail"),
    path("directory/groups/", directory.RecipientGroupList.as_view(), name="group-list"),
    path("directory/positions/", directory.PositionList.as_view(), name="position-list"),
    path("directory/positions/<api_id:pk>/", directory.PositionDetail.as_view(), name="position-detail"),
    path("directory/positions/<api_id:pk>/acting/", directory.PositionActing.as_view(), name="position-acting"),
]

_inline_styles = csp_update({"style-src": [csp.UNSAFE_INLINE]})

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI and ReDoc from drf-spectacular-sidecar (our static files, no CDN), in
    # templates without inline script: the split view serves Swagger's start-up script as a
    # file of its own. Both libraries style their elements from script (ReDoc cannot draw at
    # all otherwise), so these two pages, and only they, admit inline styles; scripts stay
    # 'self' only. They show the schema, which any visitor may read, and no one's data.
    path(
        "schema/swagger/",
        _inline_styles(SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")),
        name="swagger",
    ),
    path(
        "schema/redoc/",
        _inline_styles(SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")),
        name="redoc",
    ),
    # Anything else under /api/ is a problem document too, never an HTML page.
    re_path(r"^[\s\S]*$", not_found),
]
