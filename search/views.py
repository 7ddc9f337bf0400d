"""The results page of the one search box in the header."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from directory.models import Unit
from documents.thai import to_arabic_digits

from .forms import SearchForm
from .selectors import search


class SearchView(LoginRequiredMixin, TemplateView):
    template_name = "search/results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        result = None
        if form.is_bound and form.is_valid():
            try:
                page = int(to_arabic_digits(self.request.GET.get("page", "1")))
            except ValueError:
                page = 1
            result = search(user=self.request.user, query=form.query(), page=page)
            kept = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            context["page_query"] = urlencode(kept)
        context["form"] = form
        context["result"] = result
        context["units"] = Unit.objects.filter(is_active=True).order_by("sort_order", "name").only("pk", "name")
        return context
