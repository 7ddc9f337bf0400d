"""Building and reading the e-CMS hub's SOAP messages (TH e-GIF GovernmentDocument; shapes in
the project's e-CMS notes): the outbound letter, the notifiers, the poll, the delete and the
code-list requests; and a reader for what the hub (or a file) hands us.

The reader is hardened because the other end is another agency's software: it streams the
bytes through lxml with a parser *target* (no tree of the whole message is ever built), so

- a DOCTYPE is refused outright (no DTD, hence no entity of any kind: no billion laughs, no
  external entity, no network: `resolve_entities=False, load_dtd=False, no_network=True`);
- every binary object's base64 text is counted as it arrives and the read stops as soon as
  it would decode to more than the limit, before anything is decoded: a 200 MB enclosure
  costs at most the limit in memory, and only as much reading;
- any other text, the depth and the number of elements are bounded.

Element names are matched by local name: clients in the wild use two spellings of the
reusable-aggregate namespace (see the notes); we write the correct one.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from lxml import etree

from documents.thai import to_thai_digits

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSA_NS = "http://www.w3.org/2005/08/addressing"
RSM_NS = "urn:th:gov:egif:data:standard:GovernmentDocument:1.0"
RAM_NS = "urn:th:gov:egif:data:standard:ReusableAggregateBusinessInformationEntity:1"
RAM_NS_MISSPELT = "urn:th:gov:egif:data:standard:ReuseableAggregateBusinessInformaionEntity:1"

NOTIFIERS = (
    "ReceiveLetterNotifier",
    "AcceptLetterNotifier",
    "RejectLetterNotifier",
    "InvalidLetterNotifier",
    "InvalidAcceptIDNotifier",
)
BINARY_ELEMENTS = frozenset({"MainLetterBinaryObject", "AttachmentBinaryObject"})

# Bounds on everything that is not a binary object.
MAX_TEXT_CHARS = 64 * 1024
MAX_DEPTH = 40
MAX_ELEMENTS = 20_000
MAX_FILES = 100
READ_CHUNK = 256 * 1024


class EcmsError(Exception):
    """A message we will not take: `str(exc)` is a Thai sentence, `code` says why
    (malformed / no_main / unknown_org / too_large / mime / no_unit / hub), `partial` holds
    what could be read before the stop (ProcessID, LetterID, ...), to answer the hub."""

    def __init__(self, message: str, code: str, partial: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.partial = partial or {}


# --- reading ------------------------------------------------------------------------------------


class _Node:
    __slots__ = ("attrib", "b64", "b64_len", "children", "name", "parent", "text")

    def __init__(self, name: str, attrib: dict[str, str], parent: _Node | None) -> None:
        self.name = name
        self.attrib = attrib
        self.parent = parent
        self.children: list[_Node] = []
        self.text: list[str] = []
        self.b64: list[str] | None = [] if name in BINARY_ELEMENTS else None
        self.b64_len = 0

    def child(self, name: str) -> _Node | None:
        for node in self.children:
            if node.name == name:
                return node
        return None

    def all(self, name: str) -> list[_Node]:
        return [node for node in self.children if node.name == name]

    def value(self, name: str) -> str:
        node = self.child(name)
        return "".join(node.text).strip() if node is not None else ""

    def find(self, name: str) -> _Node | None:
        """This node or the first descendant called `name` (breadth first)."""
        queue = [self]
        while queue:
            node = queue.pop(0)
            if node.name == name:
                return node
            queue.extend(node.children)
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _mb(size: int) -> str:
    return to_thai_digits(f"{size / (1024 * 1024):.0f}")


class _Target:
    """lxml parser target: builds our small tree, counting base64 as it streams in."""

    def __init__(self, max_bytes: int, max_total: int) -> None:
        self.max_bytes = max_bytes
        self.max_b64 = (max_bytes + 2) // 3 * 4
        self.max_total = max_total
        self.max_total_b64 = (max_total + 2) // 3 * 4
        self.total_b64 = 0
        self.root: _Node | None = None
        self.current: _Node | None = None
        self.depth = 0
        self.elements = 0
        self.files = 0

    def doctype(self, *args: Any) -> None:
        raise EcmsError("ข้อความ XML มีการประกาศ DOCTYPE ซึ่งระบบไม่รับ (ไม่รับ DTD และ entity)", "malformed")

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_DEPTH or self.elements > MAX_ELEMENTS:
            raise EcmsError("ข้อความ XML ซ้อนลึกหรือมีจำนวนองค์ประกอบมากเกินกำหนด", "malformed")
        node = _Node(_local(tag), {_local(k): v for k, v in attrib.items()}, self.current)
        if node.b64 is not None:
            self.files += 1
            if self.files > MAX_FILES:
                raise EcmsError(f"หนังสือมีไฟล์แนบเกิน {MAX_FILES} ไฟล์", "too_large")
        if self.current is None:
            self.root = node
        else:
            self.current.children.append(node)
        self.current = node

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.current is not None:
            self.current = self.current.parent

    def data(self, text: str) -> None:
        node = self.current
        if node is None:
            return
        if node.b64 is not None:
            chunk = "".join(text.split())
            node.b64_len += len(chunk)
            if node.b64_len > self.max_b64:
                label = "หนังสือ" if node.name == "MainLetterBinaryObject" else "สิ่งที่ส่งมาด้วย"
                raise EcmsError(
                    f"ไฟล์{label}ในหนังสือ e-CMS มีขนาดเกิน {_mb(self.max_bytes)} เมกะไบต์ ซึ่งเป็นขนาดสูงสุดที่รับได้ "
                    "จึงไม่รับหนังสือฉบับนี้",
                    "too_large",
                )
            self.total_b64 += len(chunk)
            if self.total_b64 > self.max_total_b64:
                raise EcmsError(
                    f"ไฟล์ทั้งหมดในหนังสือ e-CMS ฉบับนี้รวมกันมีขนาดเกิน {_mb(self.max_total)} เมกะไบต์ "
                    "ซึ่งเป็นขนาดสูงสุดที่รับได้ จึงไม่รับหนังสือฉบับนี้",
                    "too_large",
                )
            node.b64.append(chunk)
            return
        if sum(map(len, node.text)) + len(text) > MAX_TEXT_CHARS:
            raise EcmsError(f"ข้อความในองค์ประกอบ {node.name} ยาวเกินกำหนด", "malformed")
        node.text.append(text)

    def comment(self, text: str) -> None:
        pass

    def pi(self, target: str, data: str) -> None:
        pass

    def close(self) -> _Node | None:
        return self.root


def _parser(target: _Target) -> etree.XMLParser:
    return etree.XMLParser(
        target=target,
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _chunks(source: bytes | IO[bytes] | Iterable[bytes]) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray):
        for start in range(0, len(source), READ_CHUNK):
            yield bytes(source[start : start + READ_CHUNK])
    elif hasattr(source, "read"):
        while chunk := source.read(READ_CHUNK):  # type: ignore[union-attr]
            yield chunk
    else:
        yield from source  # type: ignore[misc]


def read_tree(source: bytes | IO[bytes] | Iterable[bytes], *, max_bytes: int, max_total: int | None = None) -> _Node:
    """Stream `source` through the hardened parser; our small tree, or EcmsError. `max_bytes`
    bounds each binary object (decoded), `max_total` all of them together."""
    target = _Target(max_bytes, max_total if max_total is not None else max_bytes * 3)
    parser = _parser(target)
    try:
        fed = False
        for chunk in _chunks(source):
            if chunk:
                parser.feed(chunk)
                fed = True
        if not fed:
            raise EcmsError("ไฟล์หรือข้อความ XML ว่างเปล่า", "malformed")
        root = parser.close()
    except EcmsError as exc:
        exc.partial = exc.partial or _summary(target.root)
        raise
    except etree.XMLSyntaxError as exc:
        raise EcmsError(f"ข้อความ XML ไม่ถูกต้อง อ่านไม่ได้ ({exc.msg})", "malformed", _summary(target.root)) from None
    if root is None:
        raise EcmsError("ข้อความ XML ไม่ถูกต้อง อ่านไม่ได้", "malformed")
    return root


def _summary(root: _Node | None) -> dict[str, str]:
    """What identifies the message, from a tree that may be cut short."""
    if root is None:
        return {}
    out: dict[str, str] = {}
    process = root.find("ProcessID")
    if process is not None:
        out["process_id"] = "".join(process.text).strip()
    letter = root.find("CorrespondenceLetter")
    if letter is not None:
        out["letter_id"] = letter.value("ID")
        out["date"] = letter.value("CorrespondenceDate")
        out["subject"] = letter.value("Subject")
    return out


@dataclass(frozen=True)
class Party:
    given_name: str = ""
    family_name: str = ""
    job_title: str = ""
    ministry_id: str = ""
    department_id: str = ""


@dataclass(frozen=True)
class Reference:
    letter_id: str
    date: str
    subject: str


@dataclass(frozen=True)
class BinaryObject:
    mime_code: str
    content: bytes
    name: str = ""


@dataclass
class GovernmentLetter:
    letter_id: str
    date: dt.date
    subject: str
    secret_code: str = ""
    speed_code: str = ""
    sender: Party = field(default_factory=Party)
    receiver: Party = field(default_factory=Party)
    references: list[Reference] = field(default_factory=list)
    attachment_text: str = ""
    send_date: str = ""
    description: str = ""
    main: BinaryObject | None = None
    attachments: list[BinaryObject] = field(default_factory=list)


@dataclass
class HubMessage:
    """What one answer (or one file) holds."""

    operation: str  # the Body's first element: "CorrespondenceLetterInboundResponse", ...
    process_id: str = ""
    letter: GovernmentLetter | None = None
    notifier: str = ""  # "AcceptLetterNotifier", ... when the answer is a notifier
    notifier_fields: dict[str, str] = field(default_factory=dict)
    fault: str = ""
    body: _Node | None = None


def _party(node: _Node | None) -> Party:
    if node is None:
        return Party()
    ministry = node.child("MinistryOrganization")
    department = node.child("DepartmentOrganization")
    return Party(
        given_name=node.value("GivenName"),
        family_name=node.value("FamilyName"),
        job_title=node.value("JobTitle"),
        ministry_id=ministry.value("ID") if ministry is not None else "",
        department_id=department.value("ID") if department is not None else "",
    )


def _binary(node: _Node, *, what: str) -> BinaryObject:
    text = "".join(node.b64 or [])
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise EcmsError(f"ข้อมูลไฟล์{what}ไม่ใช่ base64 ที่ถูกต้อง", "malformed") from None
    return BinaryObject(mime_code=node.attrib.get("mimeCode", "").strip().lower(), content=content)


def parse_date(value: str, *, what: str = "ลงวันที่") -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise EcmsError(f"{what}ของหนังสือ ({value or 'ว่าง'}) ไม่ใช่วันที่แบบ ปปปป-ดด-วว", "malformed") from None


def letter_from(node: _Node) -> GovernmentLetter:
    letter = node.find("CorrespondenceLetter")
    if letter is None:
        raise EcmsError("ไม่พบ CorrespondenceLetter ในเอกสาร GovernmentDocument", "malformed")
    letter_id = letter.value("ID")
    if not letter_id:
        raise EcmsError("หนังสือไม่มีเลขที่หนังสือ (ID)", "malformed")
    subject = letter.value("Subject")
    if not subject:
        raise EcmsError("หนังสือไม่มีเรื่อง (Subject)", "malformed")
    date = parse_date(letter.value("CorrespondenceDate"))
    main_nodes = letter.all("MainLetterBinaryObject")
    main = _binary(main_nodes[0], what="หนังสือ") if main_nodes else None
    if main is None or not main.content:
        raise EcmsError("หนังสือ e-CMS ไม่มีไฟล์ตัวหนังสือ (MainLetterBinaryObject) จึงไม่รับ", "no_main")
    return GovernmentLetter(
        letter_id=letter_id,
        date=date,
        subject=subject,
        secret_code=letter.value("SecretCode"),
        speed_code=letter.value("SpeedCode"),
        sender=_party(letter.child("SenderParty")),
        receiver=_party(letter.child("ReceiverParty")),
        references=[
            Reference(letter_id=r.value("ID"), date=r.value("CorrespondenceDate"), subject=r.value("Subject"))
            for r in letter.all("ReferenceCorrespondence")
        ],
        attachment_text=letter.value("Attachment"),
        send_date=letter.value("SendDate"),
        description=letter.value("Description"),
        main=main,
        attachments=[_binary(n, what="สิ่งที่ส่งมาด้วย") for n in letter.all("AttachmentBinaryObject")],
    )


def read_message(
    source: bytes | IO[bytes] | Iterable[bytes], *, max_bytes: int, max_total: int | None = None
) -> HubMessage:
    """A SOAP envelope from the hub, or a bare GovernmentDocument from a file."""
    root = read_tree(source, max_bytes=max_bytes, max_total=max_total)
    body = root.child("Body") if root.name == "Envelope" else None
    if root.name == "Envelope" and body is None:
        raise EcmsError("ข้อความ SOAP ไม่มีส่วน Body", "malformed")
    top = (body.children[0] if body is not None and body.children else None) if body is not None else root
    if top is None:
        raise EcmsError("ข้อความ SOAP มีส่วน Body ว่างเปล่า", "malformed")
    message = HubMessage(operation=top.name, body=top)
    if top.name == "Fault":
        message.fault = top.value("faultstring") or top.value("Reason") or "ไม่ทราบสาเหตุ"
        return message
    process = top.find("ProcessID")
    message.process_id = "".join(process.text).strip() if process is not None else ""
    try:
        document = top.find("GovernmentDocument")
        if document is not None:
            message.letter = letter_from(document)
            return message
        for name in NOTIFIERS:
            notifier = top.find(name)
            if notifier is not None:
                message.notifier = name
                message.notifier_fields = {c.name: "".join(c.text).strip() for c in notifier.children}
                return message
    except EcmsError as exc:
        exc.partial = {**_summary(top), **exc.partial}
        raise
    return message


def read_letter(
    source: bytes | IO[bytes] | Iterable[bytes], *, max_bytes: int, max_total: int | None = None
) -> HubMessage:
    """Like read_message, but a letter must be there."""
    message = read_message(source, max_bytes=max_bytes, max_total=max_total)
    if message.fault:
        raise EcmsError(f"ข้อความเป็นการแจ้งข้อผิดพลาด: {message.fault}", "malformed")
    if message.letter is None:
        raise EcmsError("ไม่พบหนังสือ (GovernmentDocument) ในข้อความ", "malformed")
    return message


def code_rows(message: HubMessage) -> list[dict[str, str]]:
    """The rows of a code-list answer: every element with an ID (or Code) child and a name."""
    rows: list[dict[str, str]] = []
    queue = [message.body] if message.body is not None else []
    while queue:
        node = queue.pop(0)
        assert node is not None
        code = node.value("ID") or node.value("Code")
        name = node.value("Name") or node.value("Description") or node.value("NameTH")
        if code and name:
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "ministry": node.value("MinistryID") or node.value("MinistryCode"),
                    "extension": node.value("Extension"),
                }
            )
            continue
        queue.extend(node.children)
    return [r for r in rows if r["code"] and r["name"]]


# --- building -----------------------------------------------------------------------------------


def _envelope(*, to: str, message_id: str = "") -> tuple[etree._Element, etree._Element]:
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"SOAP-ENV": SOAP_NS})
    header = etree.SubElement(envelope, f"{{{SOAP_NS}}}Header")
    etree.SubElement(header, f"{{{WSA_NS}}}MessageID", nsmap={"wsa": WSA_NS}).text = (
        message_id or f"urn:uuid:{uuid.uuid4()}"
    )
    etree.SubElement(header, f"{{{WSA_NS}}}To", nsmap={"wsa": WSA_NS}).text = to
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    return envelope, body


def _bytes(envelope: etree._Element) -> bytes:
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _ram(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{RAM_NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def _plain(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, name)
    if text is not None:
        element.text = text
    return element


def _party_element(parent: etree._Element, name: str, party: Party) -> None:
    element = _ram(parent, name)
    _ram(element, "GivenName", party.given_name)
    _ram(element, "FamilyName", party.family_name)
    _ram(element, "JobTitle", party.job_title)
    _ram(_ram(element, "MinistryOrganization"), "ID", party.ministry_id)
    _ram(_ram(element, "DepartmentOrganization"), "ID", party.department_id)


def government_document(parent: etree._Element, letter: GovernmentLetter) -> etree._Element:
    document = etree.SubElement(parent, f"{{{RSM_NS}}}GovernmentDocument", nsmap={"rsm": RSM_NS, "ram": RAM_NS})
    body = _ram(document, "CorrespondenceLetter")
    _ram(body, "ID", letter.letter_id)
    _ram(body, "CorrespondenceDate", letter.date.isoformat())
    _ram(body, "Subject", letter.subject)
    _ram(body, "SecretCode", letter.secret_code)
    _ram(body, "SpeedCode", letter.speed_code)
    _party_element(body, "SenderParty", letter.sender)
    _party_element(body, "ReceiverParty", letter.receiver)
    for reference in letter.references:
        ref = _ram(body, "ReferenceCorrespondence")
        _ram(ref, "ID", reference.letter_id)
        _ram(ref, "CorrespondenceDate", reference.date)
        _ram(ref, "Subject", reference.subject)
    _ram(body, "Attachment", letter.attachment_text)
    _ram(body, "SendDate", letter.send_date)
    _ram(body, "Description", letter.description)
    if letter.main is not None:
        main = _ram(body, "MainLetterBinaryObject", base64.b64encode(letter.main.content).decode("ascii"))
        main.set("mimeCode", letter.main.mime_code)
    for item in letter.attachments:
        attachment = _ram(body, "AttachmentBinaryObject", base64.b64encode(item.content).decode("ascii"))
        attachment.set("mimeCode", item.mime_code)
    return document


def build_outbound(letter: GovernmentLetter, *, to: str, message_id: str = "") -> bytes:
    """CorrespondenceLetterOutboundRequest carrying one letter."""
    envelope, body = _envelope(to=to, message_id=message_id)
    request = _plain(body, "CorrespondenceLetterOutboundRequest")
    government_document(request, letter)
    return _bytes(envelope)


def build_notifier(
    kind: str,
    *,
    to: str,
    letter_id: str,
    date: str,
    subject: str,
    process_id: str = "",
    accept_id: str = "",
    reason: str = "",
    message_id: str = "",
) -> bytes:
    """One notifier, inside CorrespondenceLetterOutboundRequest as the hub's clients send it.
    AcceptID goes with Accept and InvalidAcceptID; a refusal's reason goes in Description."""
    if kind not in NOTIFIERS:
        raise ValueError(kind)
    envelope, body = _envelope(to=to, message_id=message_id)
    request = _plain(body, "CorrespondenceLetterOutboundRequest")
    if process_id:
        _plain(request, "ProcessID", process_id)
    notifier = _plain(request, kind)
    _plain(notifier, "LetterID", letter_id)
    if kind in ("AcceptLetterNotifier", "InvalidAcceptIDNotifier"):
        _plain(notifier, "AcceptID", accept_id)
    _plain(notifier, "CorrespondenceDate", date)
    _plain(notifier, "Subject", subject)
    if reason:
        _plain(notifier, "Description", reason)
    return _bytes(envelope)


def build_request(operation: str, *, to: str, fields: dict[str, str] | None = None, message_id: str = "") -> bytes:
    """A request whose Body is one element with plain children: the poll
    (CorrespondenceLetterInboundRequest), CorrespondenceLetterDeleteRequest{ProcessID}, the
    code lists (GetSecretCodes, ...)."""
    envelope, body = _envelope(to=to, message_id=message_id)
    request = _plain(body, operation)
    for name, value in (fields or {}).items():
        _plain(request, name, value)
    return _bytes(envelope)
