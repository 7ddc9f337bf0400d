"""The outgoing letter screens: lists, the draft form, the letter's page and its buttons, the
document and the enclosures. Thin views: access check → form → service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import View

from directory.models import Position
from documents.responses import DOCX_TYPE, StoredFileView, pdf_response, stored_file_response

from . import outgoing as services
from .access import incoming_get_for_user
from .models import IncomingLetter
from .outgoing_access import outgoing_get_for_user
from .outgoing_forms import REVIEW_FIELDS, AttachForm, NoteForm, OutgoingForm, ReturnForm, SendForm, WithdrawForm
from .outgoing_models import EDITABLE_STATES, DispatchStatus, OutgoingDispatch, OutgoingLetter, OutgoingState
from .outgoing_selectors import (
    outgoing_docx,
    outgoing_filename,
    outgoing_of_unit,
    outgoing_signed_docx,
    outgoing_tasks_for,
    outgoing_version,
)
from .outgoing_tasks import dispatch_error


def _detail(pk: int) -> str:
    return reverse("memos:letters_out:detail", args=[pk])


def _errors(request: HttpRequest, exc: ValidationError, form: Any = None) -> None:
    if hasattr(exc, "error_dict") and form is not None:
        for field, errors in exc.message_dict.items():
            for error in errors:
                if field in form.fields:
                    form.add_error(field, error)
                else:
                    messages.error(request, error)
    else:
        for error in exc.messages:
            messages.error(request, error)


class OutgoingListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        letters = list(outgoing_of_unit(request.user)[:200])
        return render(
            request,
            "letters/out/list.html",
            {"letters": letters, "tasks": outgoing_tasks_for(request.user)},
        )


def _initial(letter: OutgoingLetter | None, user: Any, reply_to: IncomingLetter | None) -> dict[str, Any]:
    if letter is not None:
        initial: dict[str, Any] = {
            name: getattr(letter, name)
            for name in (
                "recipient_agency",
                "recipient_name",
                "recipient_address",
                "recipient_email",
                "addressee",
                "subject",
                "reference",
                "enclosures",
                "body",
                "urgency",
                "secrecy",
                "signing_position",
                "owner_unit_line",
                "phone",
            )
        }
        positions = {p.pk: p for p in Position.objects.filter(pk__in=letter.review_position_ids or [])}
        for name, pk in zip(REVIEW_FIELDS, letter.review_position_ids or [], strict=False):
            initial[name] = positions.get(int(pk))
        return initial
    official = getattr(user, "official", None)
    initial = {}
    if official is not None:
        # The unit's own head signs by default (the first post of the unit in the directory).
        initial["signing_position"] = (
            Position.objects.filter(unit=official.unit, is_active=True).order_by("sort_order").first()
        )
        initial["phone"] = official.unit.phone
    if reply_to is not None:
        initial.update(
            {
                "recipient_agency": reply_to.sender_agency,
                "recipient_name": reply_to.sender_name,
                "recipient_email": reply_to.sender_agency.email if reply_to.sender_agency else "",
                "recipient_address": reply_to.sender_agency.address if reply_to.sender_agency else "",
                "subject": reply_to.subject,
                "reference": services.reply_reference(reply_to),
                "urgency": reply_to.urgency,
            }
        )
    return initial


class OutgoingEditView(LoginRequiredMixin, View):
    """Draft a letter (new, from a received letter with ?reply_to=<id>, or edit a draft)."""

    template_name = "letters/out/form.html"

    def _reply_to(self, request: HttpRequest) -> IncomingLetter | None:
        raw = request.GET.get("reply_to") or request.POST.get("reply_to") or ""
        if not raw:
            return None
        if not raw.isdigit():
            raise Http404
        return incoming_get_for_user(user=request.user, letter_id=int(raw))

    def _letter(self, request: HttpRequest, pk: int | None) -> OutgoingLetter | None:
        return outgoing_get_for_user(user=request.user, letter_id=pk, action="edit") if pk else None

    def _render(self, request: HttpRequest, **context: Any) -> HttpResponse:
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        if getattr(request.user, "official", None) is None:
            messages.error(request, "บัญชีนี้ยังไม่ได้ผูกกับข้าราชการ จึงร่างหนังสือไม่ได้")
            return HttpResponseRedirect(reverse("memos:letters_out:list"))
        letter = self._letter(request, pk)
        if letter is not None and letter.state not in EDITABLE_STATES:
            messages.warning(request, f"แก้ไขไม่ได้ เนื่องจากหนังสืออยู่ในสถานะ “{letter.get_state_display()}”")
            return HttpResponseRedirect(_detail(letter.pk))
        reply_to = None if letter else self._reply_to(request)
        form = OutgoingForm(initial=_initial(letter, request.user, reply_to))
        return self._render(request, form=form, letter=letter, reply_to=reply_to)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        letter = self._letter(request, pk)
        reply_to = None if letter else self._reply_to(request)
        form = OutgoingForm(request.POST)
        if not form.is_valid():
            messages.error(request, "กรุณาแก้ไขข้อมูลที่ระบุด้านล่าง")
            return self._render(request, form=form, letter=letter, reply_to=reply_to)
        try:
            if letter is None:
                letter = services.outgoing_create(user=request.user, data=form.to_input(), in_reply_to=reply_to)
            else:
                letter = services.outgoing_update(letter=letter, user=request.user, data=form.to_input())
        except ValidationError as exc:
            _errors(request, exc, form)
            return self._render(request, form=form, letter=letter, reply_to=reply_to)
        messages.success(request, "บันทึกร่างแล้ว")
        return HttpResponseRedirect(_detail(letter.pk))


class OutgoingDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = outgoing_get_for_user(user=request.user, letter_id=pk)
        user: Any = request.user
        official = getattr(user, "official", None)
        mine = set(services.outgoing_positions(user))
        drafter = letter.drafted_by_id == user.pk
        dispatch = OutgoingDispatch.objects.filter(letter=letter).first()
        holds = letter.state == OutgoingState.IN_REVIEW and letter.current_position_id in mine
        signer_step = letter.current_position_id == letter.signing_position_id
        clerk = official is not None and official.is_clerk and official.unit_id == letter.unit_id
        route = {p.pk: p for p in Position.objects.filter(pk__in=letter.route_ids())}
        context = {
            "letter": letter,
            "events": services.outgoing_events(letter),
            "files": list(letter.files.all()),
            "route": [route[pk] for pk in letter.route_ids() if pk in route],
            "dispatch": dispatch,
            "dispatch_error": dispatch_error(dispatch) if dispatch else "",
            "version": outgoing_version(letter),
            "can_edit": drafter and letter.state in EDITABLE_STATES,
            "can_submit": drafter and letter.state == OutgoingState.DRAFT,
            "can_resubmit": drafter and letter.state == OutgoingState.RETURNED,
            "can_forward": holds and not signer_step,
            "can_return": holds,
            "can_sign": holds and signer_step,
            "can_send": letter.state == OutgoingState.SIGNED and dispatch is None and (drafter or clerk),
            "can_retry_send": dispatch is not None and dispatch.status == DispatchStatus.FAILED and (drafter or clerk),
            "can_withdraw": drafter
            and dispatch is None
            and letter.state not in (OutgoingState.SENT, OutgoingState.WITHDRAWN),
            "note_form": NoteForm(),
            "return_form": ReturnForm(),
            "send_form": SendForm(initial={"channel": "email" if letter.recipient_email else "post"}),
            "withdraw_form": WithdrawForm(),
            "attach_form": AttachForm(),
            "signed": letter.state in (OutgoingState.SIGNED, OutgoingState.SENT),
        }
        return render(request, "letters/out/detail.html", context)


class ActionView(LoginRequiredMixin, View):
    """One button of the letter's page: the service named by the subclass, with its form."""

    form_class: type[Any] | None = None
    done = ""

    def act(self, letter: OutgoingLetter, user: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = outgoing_get_for_user(user=request.user, letter_id=pk)
        data: dict[str, Any] = {}
        if self.form_class is not None:
            form = self.form_class(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return HttpResponseRedirect(_detail(pk))
            data = form.cleaned_data
        try:
            self.act(letter, request.user, data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, self.done)
        return HttpResponseRedirect(_detail(pk))


def _action(service: Callable[..., Any], done: str, form: type[Any] | None = None, **fields: str) -> type[ActionView]:
    def act(self: ActionView, letter: OutgoingLetter, user: Any, data: dict[str, Any]) -> Any:
        return service(letter=letter, user=user, **{arg: data.get(key, "") for arg, key in fields.items()})

    return type(f"{service.__name__}_view", (ActionView,), {"form_class": form, "done": done, "act": act})


SubmitView = _action(services.outgoing_submit, "เสนอลงนามแล้ว")
ResubmitView = _action(services.outgoing_resubmit, "เสนอใหม่แล้ว", NoteForm, note="note")
ForwardView = _action(services.outgoing_forward, "เสนอต่อแล้ว", NoteForm, note="note")
ReturnView = _action(services.outgoing_return, "ส่งคืนผู้ร่างแล้ว", ReturnForm, note="note")
SignView = _action(services.outgoing_sign, "ลงนามแล้ว หนังสือได้รับเลขที่จากทะเบียนหนังสือส่ง")
SendView = _action(services.outgoing_send, "สั่งส่งหนังสือแล้ว", SendForm, channel="channel")
RetrySendView = _action(services.outgoing_send_retry, "สั่งส่งอีกครั้งแล้ว")
WithdrawView = _action(services.outgoing_withdraw, "ถอนเรื่องแล้ว", WithdrawForm, reason="reason")


class AttachView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = outgoing_get_for_user(user=request.user, letter_id=pk, action="edit")
        form = AttachForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "กรุณาเลือกไฟล์ที่จะแนบ")
        else:
            try:
                services.outgoing_attach(
                    letter=letter, user=request.user, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "แนบไฟล์แล้ว")
        return HttpResponseRedirect(_detail(pk))


class FileDownloadView(StoredFileView, LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
        letter = outgoing_get_for_user(user=request.user, letter_id=pk)
        row = get_object_or_404(letter.files, pk=file_id)
        return stored_file_response(row.file, row.original_name or "file", content_type=row.content_type or None)


def _document(letter: OutgoingLetter) -> bytes:
    if letter.state in (OutgoingState.SIGNED, OutgoingState.SENT):
        return outgoing_signed_docx(letter)
    return outgoing_docx(letter)


class DocumentView(StoredFileView, LoginRequiredMixin, View):
    """The letter as .docx: the signed document once signed, the draft as it stands before."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        letter = outgoing_get_for_user(user=request.user, letter_id=pk)
        response = HttpResponse(_document(letter), content_type=DOCX_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, outgoing_filename(letter, "docx")) or ""
        return response


class PreviewView(StoredFileView, LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        letter = outgoing_get_for_user(user=request.user, letter_id=pk)
        return pdf_response(
            request,
            _document(letter),
            outgoing_filename(letter, "pdf"),
            docx_url=reverse("memos:letters_out:document", args=[pk]),
        )
