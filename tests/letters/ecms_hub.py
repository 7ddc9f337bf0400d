"""A stand-in for the government e-CMS hub: a small SOAP server on 127.0.0.1 (a free port),
in a thread of the test. It records every request it receives, keeps a queue of inbound
items (letters for us) that polls take one at a time and deletes remove, answers an
outbound letter with a ProcessID (or a SOAP fault when told to refuse), and serves code
lists. Its letters are written here as literal XML, not with the product's builder, so the
product's reader is tested against text it did not produce (the misspelt namespace that
clients in the wild use, too)."""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
RSM = "urn:th:gov:egif:data:standard:GovernmentDocument:1.0"
RAM_MISSPELT = "urn:th:gov:egif:data:standard:ReuseableAggregateBusinessInformaionEntity:1"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _envelope(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP}"><SOAP-ENV:Header/>'
        f"<SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>"
    )


def letter_parts(
    process_id: str,
    *,
    letter_id: str = "กค 0402/4321",
    date: str = "2026-11-20",
    subject: str = "ขอเชิญประชุมเรื่องงบประมาณ",
    sender: str = "ORG-CGD",
    ministry: str = "MIN-MOF",
    receiver: str = "ORG-BMA-OPS",
    secrecy: str = "001",
    speed: str = "002",
    main: bytes | None = PDF,
    main_mime: str = "application/pdf",
    attachments: tuple[tuple[bytes, str], ...] = ((PNG, "image/png"),),
    huge_attachment: int = 0,
) -> tuple[str, str]:
    """The inbound answer for one letter, as the text before and after where a huge
    attachment's base64 would stream (`huge_attachment` bytes of it, written by the caller)."""
    files = ""
    if main is not None:
        files += f'<ram:MainLetterBinaryObject mimeCode="{main_mime}">{base64.b64encode(main).decode()}</ram:MainLetterBinaryObject>'
    for content, mime in attachments:
        files += f'<ram:AttachmentBinaryObject mimeCode="{mime}">{base64.b64encode(content).decode()}</ram:AttachmentBinaryObject>'
    head = (
        f"<CorrespondenceLetterInboundResponse><ProcessID>{process_id}</ProcessID>"
        f'<rsm:GovernmentDocument xmlns:rsm="{RSM}" xmlns:ram="{RAM_MISSPELT}"><ram:CorrespondenceLetter>'
        f"<ram:ID>{escape(letter_id)}</ram:ID><ram:CorrespondenceDate>{date}</ram:CorrespondenceDate>"
        f"<ram:Subject>{escape(subject)}</ram:Subject><ram:SecretCode>{secrecy}</ram:SecretCode>"
        f"<ram:SpeedCode>{speed}</ram:SpeedCode>"
        "<ram:SenderParty><ram:GivenName>สมชาย</ram:GivenName><ram:FamilyName>ใจดี</ram:FamilyName>"
        "<ram:JobTitle>อธิบดีกรมบัญชีกลาง</ram:JobTitle>"
        f"<ram:MinistryOrganization><ram:ID>{ministry}</ram:ID></ram:MinistryOrganization>"
        f"<ram:DepartmentOrganization><ram:ID>{sender}</ram:ID></ram:DepartmentOrganization></ram:SenderParty>"
        "<ram:ReceiverParty><ram:GivenName/><ram:FamilyName/><ram:JobTitle>ปลัดกรุงเทพมหานคร</ram:JobTitle>"
        "<ram:MinistryOrganization><ram:ID>MIN-MOI</ram:ID></ram:MinistryOrganization>"
        f"<ram:DepartmentOrganization><ram:ID>{receiver}</ram:ID></ram:DepartmentOrganization></ram:ReceiverParty>"
        "<ram:ReferenceCorrespondence><ram:ID>กท 0401/99</ram:ID><ram:CorrespondenceDate>2026-10-01"
        "</ram:CorrespondenceDate><ram:Subject>ขอข้อมูลงบประมาณ</ram:Subject></ram:ReferenceCorrespondence>"
        "<ram:Attachment>กำหนดการประชุม</ram:Attachment><ram:SendDate>2026-11-21</ram:SendDate>"
        f"<ram:Description>ส่งทาง e-CMS</ram:Description>{files}"
    )
    if huge_attachment:
        head += '<ram:AttachmentBinaryObject mimeCode="application/pdf">'
        tail = "</ram:AttachmentBinaryObject>"
    else:
        tail = ""
    tail += "</ram:CorrespondenceLetter></rsm:GovernmentDocument></CorrespondenceLetterInboundResponse>"
    prefix, suffix = _envelope("\x00").split("\x00")
    return prefix + head, tail + suffix


def letter_chunks(process_id: str, **kwargs: Any) -> Iterator[bytes]:
    huge = int(kwargs.get("huge_attachment", 0))
    head, tail = letter_parts(process_id, **kwargs)
    yield head.encode("utf-8")
    if huge:
        # PDF bytes then zeros, as base64, a megabyte at a time: nothing holds it all.
        yield base64.b64encode(PDF[:42])
        left = (huge - 42) // 3 * 4
        block = b"A" * (1024 * 1024)
        while left > 0:
            yield block[: min(left, len(block))]
            left -= len(block)
    yield tail.encode("utf-8")


def letter_xml(process_id: str, **kwargs: Any) -> bytes:
    return b"".join(letter_chunks(process_id, **kwargs))


@dataclass
class Received:
    operation: str  # the Body's first element, or the notifier's name inside the outbound request
    root: Any  # the request parsed (lxml, by the test's side)

    def text(self, name: str) -> str:
        found = self.root.xpath(f"//*[local-name()='{name}']")
        return (found[0].text or "") if found else ""


@dataclass
class Hub:
    received: list[Received] = field(default_factory=list)
    queue: list[tuple[str, Callable[[], Iterator[bytes]]]] = field(default_factory=list)
    refuse: str = ""  # a SOAP fault's reason for the next outbound letters
    down: int = 0  # answer HTTP 503 to this many next requests
    codes: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    _sent: int = 0
    _server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/ecms"

    def queue_letter(self, process_id: str, **kwargs: Any) -> None:
        self.queue.append((process_id, lambda: letter_chunks(process_id, **kwargs)))

    def queue_raw(self, process_id: str, body: bytes) -> None:
        self.queue.append((process_id, lambda: iter([body])))

    def of(self, operation: str) -> list[Received]:
        return [r for r in self.received if r.operation == operation]

    # --- serving ----------------------------------------------------------------------------

    def start(self) -> Hub:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with hub.lock:
                    if hub.down:
                        hub.down -= 1
                        self.send_response(503)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
                request = root.find(f"{{{SOAP}}}Body")[0]
                operation = etree.QName(request).localname
                if operation == "CorrespondenceLetterOutboundRequest":
                    inner = [etree.QName(c).localname for c in request if etree.QName(c).localname != "ProcessID"]
                    operation = inner[0] if inner and inner[0] != "GovernmentDocument" else operation
                with hub.lock:
                    hub.received.append(Received(operation, root))
                self._answer(operation, request)

            def _send(self, text: str, status: int = 200) -> None:
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _answer(self, operation: str, request: Any) -> None:
                if operation == "CorrespondenceLetterOutboundRequest":
                    if hub.refuse:
                        fault = f"<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>{escape(hub.refuse)}</faultstring></SOAP-ENV:Fault>"
                        self._send(_envelope(fault), 500)
                        return
                    with hub.lock:
                        hub._sent += 1
                        pid = f"OUT-{hub._sent:04d}"
                    self._send(
                        _envelope(
                            f"<CorrespondenceLetterOutboundResponse><ProcessID>{pid}</ProcessID></CorrespondenceLetterOutboundResponse>"
                        )
                    )
                elif operation == "CorrespondenceLetterInboundRequest":
                    with hub.lock:
                        item = hub.queue[0] if hub.queue else None
                    if item is None:
                        self._send(_envelope("<CorrespondenceLetterInboundResponse/>"))
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "text/xml; charset=utf-8")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    try:
                        for chunk in item[1]():
                            self.wfile.write(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client stopped reading (a letter too large): fine
                    self.close_connection = True
                elif operation == "CorrespondenceLetterDeleteRequest":
                    pid = "".join(request.itertext()).strip()
                    with hub.lock:
                        hub.deleted.append(pid)
                        hub.queue = [q for q in hub.queue if q[0] != pid]
                    self._send(
                        _envelope(
                            "<CorrespondenceLetterDeleteResponse><Result>OK</Result></CorrespondenceLetterDeleteResponse>"
                        )
                    )
                elif operation in hub.codes:
                    rows = "".join(
                        f"<Item><ID>{escape(c)}</ID><Name>{escape(n)}</Name><MinistryID>{escape(m)}</MinistryID></Item>"
                        for c, n, m in hub.codes[operation]
                    )
                    self._send(_envelope(f"<{operation}Response>{rows}</{operation}Response>"))
                else:  # notifiers and anything else: acknowledged
                    self._send(_envelope(f"<{operation}Response><Result>OK</Result></{operation}Response>"))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
