"""Received letters (หนังสือรับ): list, read, book in a paper letter, book in an item waiting
from e-mail or e-CMS. Everything goes through letters.access and letters.services, the same
as the screens."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from directory.models import Position, Unit
from letters import outgoing as outgoing_services
from letters import services as letter_services
from letters.access import incoming_get_for_user, incoming_visible_to
from letters.models import Agency, Channel, IncomingLetter, IncomingState
from letters.outgoing_access import outgoing_get_for_user, outgoing_visible_to
from letters.outgoing_models import OutgoingLetter, OutgoingState, SendChannel
from letters.services import SCAN_EXTENSIONS
from letters.uploads import check_scans, megabytes
from memos.models import Secrecy, Urgency

from ..problems import Problem
from .common import CONFLICT, INVALID, NOT_FOUND, Pagination, errors

TAG = ["หนังสือรับ"]


# --- Shapes ------------------------------------------------------------------------------------


class IncomingListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=IncomingState.choices, help_text="สถานะ")
    state_label = serializers.CharField(source="get_state_display", help_text="สถานะ (คำอ่าน)")
    channel = serializers.ChoiceField(choices=Channel.choices, help_text="ช่องทางที่ได้รับ")
    unit_id = serializers.IntegerField(help_text="ส่วนราชการผู้รับ")
    year = serializers.IntegerField(allow_null=True, help_text="ปี พ.ศ. ของทะเบียนรับ")
    receive_number = serializers.IntegerField(allow_null=True, help_text="เลขรับ")
    received_at = serializers.DateTimeField(allow_null=True, help_text="วันเวลาที่รับ")
    sender_name = serializers.CharField(help_text="จาก")
    their_number = serializers.CharField(help_text="ที่ (เลขที่หนังสือของผู้ส่ง)")
    their_date = serializers.DateField(allow_null=True, help_text="ลงวันที่ (ISO 8601)")
    subject = serializers.CharField(help_text="เรื่อง")
    urgency = serializers.ChoiceField(choices=Urgency.choices, help_text="ชั้นความเร็ว")
    secrecy = serializers.ChoiceField(choices=Secrecy.choices, help_text="ชั้นความลับ")
    holder_unit_id = serializers.IntegerField(allow_null=True, help_text="ส่วนราชการที่ถือเรื่องอยู่")
    holder_position_id = serializers.IntegerField(allow_null=True, help_text="ตำแหน่งที่ถือเรื่องอยู่")


class IncomingEventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    action = serializers.CharField(help_text="การดำเนินการ")
    action_label = serializers.CharField(source="get_action_display")
    actor_name = serializers.CharField()
    to_unit_id = serializers.IntegerField(allow_null=True)
    to_position_id = serializers.IntegerField(allow_null=True)
    text = serializers.CharField(help_text="ข้อความ (เกษียน)")
    created_at = serializers.DateTimeField()


class IncomingFileOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    original_name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    sha256 = serializers.CharField()


class IncomingDetailSerializer(IncomingListSerializer):
    addressee = serializers.CharField(help_text="เรียน")
    enclosures = serializers.CharField(help_text="สิ่งที่ส่งมาด้วย")
    remarks = serializers.CharField(help_text="หมายเหตุ")
    ocr_state = serializers.CharField(help_text="การอ่านข้อความด้วย OCR")
    text = serializers.CharField(help_text="ข้อความในหนังสือ (จาก OCR หรืออีเมล)")
    files = IncomingFileOutSerializer(many=True)
    events = IncomingEventSerializer(many=True, help_text="ความเคลื่อนไหว")


class FileInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, help_text="ชื่อไฟล์ เช่น scan.pdf (PDF, JPEG หรือ PNG)")
    content_base64 = serializers.CharField(help_text="เนื้อไฟล์เข้ารหัส base64")


class FactsSerializer(serializers.Serializer):
    sender_agency = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1, help_text="รหัสหน่วยงานผู้ส่ง"
    )
    sender_name = serializers.CharField(max_length=300, required=False, allow_blank=True, default="", help_text="จาก")
    their_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="", help_text="ที่")
    their_date = serializers.DateField(required=False, allow_null=True, default=None, help_text="ลงวันที่ (ISO 8601)")
    subject = serializers.CharField(max_length=500, help_text="เรื่อง")
    addressee = serializers.CharField(max_length=300, required=False, allow_blank=True, default="", help_text="เรียน")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)
    secrecy = serializers.ChoiceField(
        choices=[c for c in Secrecy.choices if c[0] != Secrecy.TOP_SECRET], required=False, default=Secrecy.NORMAL
    )
    enclosures = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    remarks = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PaperBookInSerializer(FactsSerializer):
    unit = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2**31 - 1,
        help_text="ส่วนราชการผู้รับ (ว่างไว้ = หน่วยงานของผู้เรียก)",
    )
    files = FileInSerializer(many=True, required=False, default=list, max_length=20, help_text="ภาพสแกนของหนังสือ")


class IncomingFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=IncomingState.choices, help_text="สถานะ")
    year = filters.NumberFilter(field_name="year", min_value=2500, max_value=3000, help_text="ปี พ.ศ. ของทะเบียนรับ")
    channel = filters.ChoiceFilter(choices=Channel.choices, help_text="ช่องทาง")

    class Meta:
        model = IncomingLetter
        fields = ["state", "year", "channel"]


# --- Helpers -----------------------------------------------------------------------------------


def _facts(data: dict[str, Any]) -> letter_services.LetterFacts:
    agency = None
    if data.get("sender_agency"):
        agency = Agency.objects.filter(pk=data["sender_agency"]).first()
        if agency is None:
            raise Problem("ไม่พบหน่วยงานผู้ส่งที่ระบุ", code="no_agency")
    return letter_services.LetterFacts(
        sender_agency=agency,
        sender_name=data.get("sender_name", ""),
        their_number=data.get("their_number", ""),
        their_date=data.get("their_date"),
        subject=data["subject"],
        addressee=data.get("addressee", ""),
        urgency=int(data.get("urgency", 0)),
        secrecy=int(data.get("secrecy", 0)),
        enclosures=data.get("enclosures", ""),
        remarks=data.get("remarks", ""),
    )


def _files(items: list[dict[str, Any]]) -> list[letter_services.IncomingFile]:
    """Decoded, then checked as a scan uploaded on the booking form is (letters.uploads)."""
    uploads = []
    for item in items:
        name = item["name"]
        if name.lower().rsplit(".", 1)[-1] not in SCAN_EXTENSIONS:
            raise Problem("รับได้เฉพาะไฟล์ PDF, JPEG หรือ PNG", code="file_type")
        # Refused before decoding: base64 is 4/3 of the file.
        if len(item["content_base64"]) > settings.LETTER_FILE_MAX_BYTES * 4 // 3 + 8:
            raise Problem(f"ไฟล์ {name} ใหญ่เกิน {megabytes(settings.LETTER_FILE_MAX_BYTES)} เมกะไบต์", code="too_large")
        try:
            content = base64.b64decode(item["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise Problem(f"เนื้อไฟล์ {name} ไม่ใช่ base64 ที่ถูกต้อง", code="bad_base64")
        uploads.append(SimpleUploadedFile(name, content, content_type="application/octet-stream"))
    return check_scans(uploads)


def incoming_detail(letter: IncomingLetter) -> dict[str, Any]:
    data = {f: getattr(letter, f) for f in IncomingDetailSerializer().fields if hasattr(letter, f)}
    data["get_state_display"] = letter.get_state_display()
    data["files"] = list(letter.files.all())
    data["events"] = letter_services.letter_events(letter)
    return data


# --- Endpoints ---------------------------------------------------------------------------------


class IncomingListCreate(generics.ListAPIView):
    serializer_class = IncomingListSerializer
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = IncomingFilter

    def get_queryset(self) -> QuerySet[IncomingLetter]:
        return incoming_visible_to(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        tags=TAG,
        summary="รายการหนังสือรับที่ท่านมีสิทธิ์เห็น",
        description="หนังสือของหน่วยงาน (สำหรับเจ้าหน้าที่สารบรรณ) และที่ส่งต่อถึงหน่วยงานหรือตำแหน่งของท่าน "
        "หนังสือชั้นลับเห็นเฉพาะผู้มีชื่อในเส้นทาง เรียงจากใหม่ไปเก่า",
        responses={200: IncomingListSerializer(many=True), **errors(INVALID, NOT_FOUND)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    @extend_schema(
        tags=TAG,
        summary="ลงทะเบียนรับหนังสือกระดาษ",
        description="เจ้าหน้าที่สารบรรณลงทะเบียนรับหนังสือจากหน่วยงานภายนอก ได้เลขรับจากทะเบียนหนังสือรับของหน่วยงาน "
        "หนังสือฉบับเดียวกัน (ผู้ส่ง เลขที่ และวันที่เดียวกัน) ถูกปฏิเสธพร้อมบอกการลงรับครั้งแรก "
        "ภาพสแกนตรวจชนิดจากเนื้อไฟล์ (PDF, JPEG, PNG)",
        request=PaperBookInSerializer,
        responses={201: IncomingDetailSerializer, **errors(INVALID, NOT_FOUND)},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PaperBookInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        official = getattr(request.user, "official", None)
        if data.get("unit"):
            unit = get_object_or_404(Unit, pk=data["unit"])
        elif official is not None:
            unit = official.unit
        else:
            raise Problem("บัญชีนี้ยังไม่ได้ผูกกับข้าราชการ จึงลงทะเบียนรับไม่ได้", code="no_official", status_code=403)
        letter = letter_services.letter_book_in(
            user=request.user, unit=unit, facts=_facts(data), files=_files(data["files"])
        )
        letter = incoming_get_for_user(user=request.user, letter_id=letter.pk)
        return Response(IncomingDetailSerializer(incoming_detail(letter)).data, status=status.HTTP_201_CREATED)


class IncomingDetail(generics.GenericAPIView):
    serializer_class = IncomingDetailSerializer

    @extend_schema(
        tags=TAG,
        summary="อ่านหนังสือรับ",
        description="ข้อมูลหนังสือ เลขรับ ไฟล์ และความเคลื่อนไหว (การเกษียนส่งต่อ การตอบ การเก็บเข้าแฟ้ม)",
        responses={200: IncomingDetailSerializer, **errors(NOT_FOUND)},
    )
    def get(self, request: Request, pk: int) -> Response:
        letter = incoming_get_for_user(user=request.user, letter_id=pk)
        return Response(IncomingDetailSerializer(incoming_detail(letter)).data)


class IncomingBookIn(generics.GenericAPIView):
    serializer_class = FactsSerializer

    @extend_schema(
        tags=TAG,
        summary="ลงทะเบียนรับรายการที่รอลงรับ (อีเมลหรือ e-CMS)",
        description="เจ้าหน้าที่สารบรรณของหน่วยงานผู้รับตรวจข้อมูลที่ได้จากอีเมลหรือ e-CMS แล้วลงรับ ได้เลขรับ ลงรับซ้ำตอบ 409",
        request=FactsSerializer,
        responses={200: IncomingDetailSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def post(self, request: Request, pk: int) -> Response:
        letter = incoming_get_for_user(user=request.user, letter_id=pk, action="book")
        serializer = FactsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        letter_services.letter_book_in(
            user=request.user, unit=letter.unit, facts=_facts(serializer.validated_data), letter=letter
        )
        letter = incoming_get_for_user(user=request.user, letter_id=pk)
        return Response(IncomingDetailSerializer(incoming_detail(letter)).data)


class RouteSerializer(serializers.Serializer):
    to_unit = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1, help_text="ส่งต่อถึงส่วนราชการ"
    )
    to_position = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1, help_text="หรือถึงตำแหน่ง"
    )
    note = serializers.CharField(max_length=4000, help_text="เกษียนสั่งการ")


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="", help_text="ข้อความ")


class IncomingRoute(generics.GenericAPIView):
    serializer_class = RouteSerializer

    @extend_schema(
        tags=TAG,
        summary="เกษียนส่งต่อหนังสือรับ",
        description="ส่งต่อถึงส่วนราชการหรือตำแหน่งหนึ่ง (ระบุอย่างใดอย่างหนึ่ง) พร้อมเกษียนสั่งการ ผู้รับได้รับแจ้งเตือน "
        "ได้เฉพาะเจ้าหน้าที่สารบรรณของหน่วยงานผู้รับหรือผู้ถือเรื่องอยู่",
        request=RouteSerializer,
        responses={200: IncomingDetailSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def post(self, request: Request, pk: int) -> Response:
        letter = incoming_get_for_user(user=request.user, letter_id=pk, action="route")
        serializer = RouteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        to_unit = get_object_or_404(Unit, pk=data["to_unit"]) if data.get("to_unit") else None
        to_position = get_object_or_404(Position, pk=data["to_position"]) if data.get("to_position") else None
        letter_services.letter_route(
            user=request.user, letter=letter, to_unit=to_unit, to_position=to_position, note=data["note"]
        )
        letter = incoming_get_for_user(user=request.user, letter_id=pk)
        return Response(IncomingDetailSerializer(incoming_detail(letter)).data)


class IncomingClose(generics.GenericAPIView):
    serializer_class = CloseSerializer

    @extend_schema(
        tags=TAG,
        summary="ทราบ/เก็บเข้าแฟ้ม",
        description="ปิดเรื่องหนังสือรับที่ไม่ต้องดำเนินการต่อ",
        request=CloseSerializer,
        responses={200: IncomingDetailSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def post(self, request: Request, pk: int) -> Response:
        letter = incoming_get_for_user(user=request.user, letter_id=pk, action="close")
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        letter_services.letter_close(user=request.user, letter=letter, note=serializer.validated_data["note"])
        letter = incoming_get_for_user(user=request.user, letter_id=pk)
        return Response(IncomingDetailSerializer(incoming_detail(letter)).data)


# --- Outgoing letters (หนังสือส่ง) ---------------------------------------------------------------

OUT_TAG = ["หนังสือส่ง"]


class OutgoingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=OutgoingState.choices, help_text="สถานะ")
    state_label = serializers.CharField(source="get_state_display", help_text="สถานะ (คำอ่าน)")
    unit_id = serializers.IntegerField(help_text="ส่วนราชการเจ้าของหนังสือ")
    number = serializers.CharField(help_text="ที่ (ออกเมื่อลงนาม)")
    dated = serializers.DateField(allow_null=True, help_text="ลงวันที่ (ISO 8601)")
    subject = serializers.CharField(help_text="เรื่อง")
    addressee = serializers.CharField(help_text="เรียน")
    recipient_name = serializers.CharField(help_text="ถึง")
    recipient_email = serializers.CharField(help_text="อีเมลผู้รับ")
    in_reply_to_id = serializers.IntegerField(allow_null=True, help_text="หนังสือรับที่ตอบ")
    channel = serializers.CharField(help_text="ช่องทางที่ส่ง")
    signed_at = serializers.DateTimeField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)


class SendSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=SendChannel.choices, help_text="ส่งทาง e-CMS อีเมล หรือไปรษณีย์")


class OutgoingFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=OutgoingState.choices, help_text="สถานะ")

    class Meta:
        model = OutgoingLetter
        fields = ["state"]


class OutgoingList(generics.ListAPIView):
    serializer_class = OutgoingSerializer
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = OutgoingFilter

    def get_queryset(self) -> QuerySet[OutgoingLetter]:
        return outgoing_visible_to(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        tags=OUT_TAG,
        summary="รายการหนังสือส่ง (หนังสือภายนอก) ที่ท่านมีสิทธิ์เห็น",
        responses={200: OutgoingSerializer(many=True), **errors(INVALID, NOT_FOUND)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class OutgoingDetail(generics.GenericAPIView):
    serializer_class = OutgoingSerializer

    @extend_schema(tags=OUT_TAG, summary="อ่านหนังสือส่ง", responses={200: OutgoingSerializer, **errors(NOT_FOUND)})
    def get(self, request: Request, pk: int) -> Response:
        letter = outgoing_get_for_user(user=request.user, letter_id=pk)
        return Response(OutgoingSerializer(letter).data)


class OutgoingSign(generics.GenericAPIView):
    serializer_class = OutgoingSerializer

    @extend_schema(
        tags=OUT_TAG,
        summary="ลงนามหนังสือส่ง",
        description="ผู้ลงนาม (หรือผู้รักษาราชการแทน) ลงนาม ได้เลขที่หนังสือจากทะเบียนหนังสือส่งของหน่วยงาน",
        request=None,
        responses={200: OutgoingSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def post(self, request: Request, pk: int) -> Response:
        letter = outgoing_get_for_user(user=request.user, letter_id=pk, action="act")
        letter = outgoing_services.outgoing_sign(letter=letter, user=request.user)
        return Response(OutgoingSerializer(outgoing_get_for_user(user=request.user, letter_id=pk)).data)


class OutgoingSend(generics.GenericAPIView):
    serializer_class = SendSerializer

    @extend_schema(
        tags=OUT_TAG,
        summary="ส่งหนังสือที่ลงนามแล้ว",
        description="ส่งทาง e-CMS หรืออีเมล (แนบ PDF ที่ลงนาม) ผ่านคิวที่ลองใหม่จนสำเร็จ หรือบันทึกว่าส่งทางไปรษณีย์ กดซ้ำไม่ส่งซ้ำ",
        request=SendSerializer,
        responses={200: OutgoingSerializer, **errors(INVALID, NOT_FOUND, CONFLICT)},
    )
    def post(self, request: Request, pk: int) -> Response:
        letter = outgoing_get_for_user(user=request.user, letter_id=pk, action="send")
        serializer = SendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outgoing_services.outgoing_send(letter=letter, user=request.user, channel=serializer.validated_data["channel"])
        return Response(OutgoingSerializer(outgoing_get_for_user(user=request.user, letter_id=pk)).data)
