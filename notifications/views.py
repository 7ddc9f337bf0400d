from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from . import selectors
from .models import Notification
from .services import notification_mark_read


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self) -> Any:
        return selectors.inbox_for(self.request.user)


class OpenView(LoginRequiredMixin, View):
    """Opening a notification marks it read and goes to what it is about."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            notification = notification_mark_read(user=request.user, notification_id=pk)
        except Notification.DoesNotExist:
            raise Http404("ไม่พบการแจ้งเตือนนี้")
        target = notification.url
        # The url is written by our own code, but a redirect taken from the database must
        # still never leave the site.
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("notifications:inbox")
        return HttpResponseRedirect(target)
