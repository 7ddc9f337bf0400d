"""Screens of received letters (หนังสือรับ): the list, booking in a paper letter, the queue of
e-mail and e-CMS items waiting to be booked in, a letter's page and its actions.

Thin views: access check (letters.access) → form → service → redirect with a Thai message.
Included into the site's "memos" URL namespace by config/urls.py (memos:letter_list …)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from directory.selectors import positions_of_user
from documents.responses import StoredFileView, stored_file_response
from documents.thai import to_thai_digits

from . import selectors, services
from .access import incoming_get_for_user, incoming_may
from .forms import BookInForm, NoteForm, RejectForm, RouteForm
from .models import Channel, IncomingLetter, IncomingState, OcrState
from .outgoing_models import OutgoingLetter
from .uploads import limits_text


def _errors(request: HttpRequest, exc: ValidationError, form: Any = None) -> None:
    """A service's Thai refusal: inside the form when there is one (the booking form shows
    the duplicate refusal where the clerk is looking), otherwise at the top of the page."""
    for error in exc.messages:
        if form is not None:
            form.add_error(None, error)
        else:
            messages.error(request, error)


def _detail(pk: int, query: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("memos:letter_detail", args=[pk]) + query)


def _clerk_unit(request: HttpRequest) -> Any:
    official = getattr(request.user, "official", None)
    if official is None or not official.is_clerk:
        raise Http404("ไม่พบหน้านี้")
    return official.unit


def _seen(form: Any) -> int | None:
    return form.cleaned_data.get("seen") if form.is_valid() else None


# --- The list and the queue ------------------------------------------------------------------


class LetterListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state", "")
        text = request.GET.get("q", "")[:200]
        rows = list(selectors.letters_for_user(user=request.user, state=state, text=text)[: selectors.LIST_CAP])
        official = getattr(request.user, "official", None)
        context = {
            "rows": rows,
            "states": IncomingState.choices,
            "state": state if state in IncomingState.values else "",
            "q": text,
            "is_clerk": bool(official and official.is_clerk),
            "waiting": selectors.waiting_count(user=request.user),
            "capped": len(rows) >= selectors.LIST_CAP,
        }
        return render(request, "letters/letter_list.html", context)


class WaitingView(LoginRequiredMixin, View):
    """รอลงรับ: e-mail and e-CMS items of the clerk's unit waiting to be booked in."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = _clerk_unit(request)
        rows = list(selectors.waiting_for_clerk(user=request.user).prefetch_related("files")[: selectors.LIST_CAP])
        return render(request, "letters/waiting.html", {"rows": rows, "unit": unit, "reject_form": RejectForm()})


# --- Booking in ------------------------------------------------------------------------------


class BookInView(LoginRequiredMixin, View):
    """ลงทะเบียนรับหนังสือ: a paper letter and its scans, or (with pk) a waiting item, prefilled."""

    template_name = "letters/book_in.html"

    def _item(self, request: HttpRequest, pk: int | None) -> IncomingLetter | None:
        if pk is None:
            return None
        return incoming_get_for_user(user=request.user, letter_id=pk, action="book")

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        unit = _clerk_unit(request)
        item = self._item(request, pk)
        if item is not None and item.state != IncomingState.WAITING:
            return _detail(item.pk)
        initial = BookInForm.initial_from(item) if item is not None else {}
        form = BookInForm(initial=initial, files_required=item is None)
        return self.page(request, form, unit=unit, item=item)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        unit = _clerk_unit(request)
        item = self._item(request, pk)
        form = BookInForm(request.POST, request.FILES, files_required=item is None)
        if form.is_valid():
            try:
                letter = services.letter_book_in(
                    user=request.user,
                    unit=unit,
                    facts=form.facts(),
                    letter=item,
                    files=form.cleaned_data["scans"],
                    channel=item.channel if item is not None else Channel.PAPER,
                    form_token=form.cleaned_data.get("form_token", "") if item is None else "",
                )
            except ValidationError as exc:
                if getattr(exc, "code", "") == "already_booked":
                    done = item or services.paper_booked_by_form(
                        unit=unit, form_token=form.cleaned_data.get("form_token", "")
                    )
                    if done is not None:
                        messages.info(request, exc.messages[0])
                        return _detail(done.pk, "?booked=1" if done.receive_number else "")
                _errors(request, exc, form)
            else:
                messages.success(
                    request,
                    f"ลงทะเบียนรับแล้ว เลขรับ {to_thai_digits(letter.receive_number)}/{to_thai_digits(letter.year)}",
                )
                return _detail(letter.pk, "?booked=1")
        return self.page(request, form, unit=unit, item=item, status=400)

    def page(
        self, request: HttpRequest, form: BookInForm, *, unit: Any, item: IncomingLetter | None, status: int = 200
    ) -> HttpResponse:
        files = list(item.files.all()) if item is not None else []
        context = {"form": form, "unit": unit, "item": item, "item_files": files, "limits": limits_text()}
        return render(request, self.template_name, context, status=status)


class RejectView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = incoming_get_for_user(user=request.user, letter_id=pk, action="book")
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(request, "กรุณาระบุเหตุผลที่ไม่รับหนังสือ")
            return HttpResponseRedirect(reverse("memos:letter_waiting"))
        try:
            services.letter_reject(
                user=request.user, letter=letter, reason=form.cleaned_data["reason"], seen=form.cleaned_data["seen"]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "บันทึกการไม่รับหนังสือแล้ว และแจ้งผู้ส่งตามช่องทางที่ส่งมา")
        return HttpResponseRedirect(reverse("memos:letter_waiting"))


# --- A letter's page and its actions ---------------------------------------------------------


class LetterDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = incoming_get_for_user(user=request.user, letter_id=pk)
        return self.page(request, letter)

    def page(self, request: HttpRequest, letter: IncomingLetter, **forms: Any) -> HttpResponse:
        posts = [p.pk for p, _c in positions_of_user(user=request.user)]
        active = letter.state in (IncomingState.BOOKED, IncomingState.ROUTED)
        may_act = incoming_may(user=request.user, letter=letter, action="route", positions=posts)
        may_book = letter.state == IncomingState.WAITING and incoming_may(
            user=request.user, letter=letter, action="book"
        )
        seen = {"seen": letter.chain_seq}
        context = {
            "letter": letter,
            "files": list(letter.files.all()),
            "events": services.letter_events(letter),
            "just_booked": request.GET.get("booked") == "1",
            "can_route": active and may_act,
            "can_close": letter.state in (*selectors.ACTIVE_STATES, IncomingState.ANSWERED) and may_act,
            "can_book": may_book,
            "route_form": forms.get("route_form") or RouteForm(initial=seen),
            "close_form": NoteForm(initial={**seen, "note": "ทราบ เก็บเข้าแฟ้ม"}),
            "memo_form": NoteForm(initial=seen),
            "reject_form": RejectForm(initial=seen),
            "ocr_missing": letter.ocr_state in (OcrState.UNAVAILABLE, OcrState.FAILED),
            "ocr_pending": letter.ocr_state == OcrState.PENDING,
            "memo_ids": [e.payload.get("memo_id") for e in letter.events.all() if e.action == "memo"],
            # External letters that answer this one (drafts included), for whoever may act on it.
            "answers": list(
                OutgoingLetter.objects.filter(in_reply_to=letter)
                .only("pk", "state", "number", "subject")
                .order_by("pk")
            )
            if may_act
            else [],
        }
        return render(request, "letters/letter_detail.html", context, status=forms.get("status", 200))


class LetterFileView(StoredFileView, LoginRequiredMixin, View):
    """A scan, or its searchable copy (?searchable=1), for whoever may see the letter."""

    def get(self, request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
        letter = incoming_get_for_user(user=request.user, letter_id=pk)
        row = letter.files.filter(pk=file_pk).first()
        if row is None:
            raise Http404("ไม่พบไฟล์")
        if request.GET.get("searchable") == "1":
            if not row.searchable:
                raise Http404("ไม่พบไฟล์")
            base = row.original_name.rsplit(".", 1)[0] or "หนังสือ"
            return stored_file_response(row.searchable, f"{base} (ค้นข้อความได้).pdf", content_type="application/pdf")
        return stored_file_response(row.file, row.original_name or "หนังสือ", content_type=row.content_type or None)


class RouteView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = incoming_get_for_user(user=request.user, letter_id=pk)
        form = RouteForm(request.POST)
        if not form.is_valid():
            for error in form.non_field_errors():
                messages.error(request, str(error))
            return LetterDetailView().page(request, letter, route_form=form, status=400)
        data = form.cleaned_data
        try:
            letter = services.letter_route(
                user=request.user,
                letter=letter,
                note=data["note"],
                to_unit=data.get("to_unit"),
                to_position=data.get("to_position"),
                seen=data.get("seen"),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            target = letter.holder_position.title if letter.holder_position else letter.holder_unit.name  # type: ignore[union-attr]
            messages.success(request, f"ส่งหนังสือถึง{target}แล้ว และแจ้งผู้รับแล้ว")
        return _detail(pk)


class CloseView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = incoming_get_for_user(user=request.user, letter_id=pk)
        form = NoteForm(request.POST)
        form.is_valid()
        try:
            services.letter_close(
                user=request.user,
                letter=letter,
                note=form.cleaned_data.get("note", ""),
                seen=form.cleaned_data.get("seen"),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "บันทึก ทราบ/เก็บเข้าแฟ้ม แล้ว")
        return _detail(pk)


class RequestMemoView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = incoming_get_for_user(user=request.user, letter_id=pk)
        form = NoteForm(request.POST)
        form.is_valid()
        try:
            memo = services.letter_request_memo(
                user=request.user,
                letter=letter,
                note=form.cleaned_data.get("note", ""),
                seen=form.cleaned_data.get("seen"),
            )
        except ValidationError as exc:
            _errors(request, exc)
            return _detail(pk)
        messages.success(request, "สร้างร่างบันทึกข้อความที่อ้างถึงหนังสือนี้แล้ว กรุณาแก้ไขร่างให้ครบถ้วน")
        return HttpResponseRedirect(reverse("memos:memo_detail", args=[memo.pk]))
