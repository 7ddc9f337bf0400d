from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from memos.models import CAPACITY_WORDING, Capacity
from memos.selectors import positions_of_user


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "memos/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        official = getattr(self.request.user, "official", None)
        posts = [
            {"position": position, "acting": CAPACITY_WORDING.get(Capacity(capacity), "")}
            for position, capacity in positions_of_user(user=self.request.user)
        ]
        context.update({"official": official, "posts": posts})
        return context
