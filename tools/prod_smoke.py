"""Start the production recipe (docs/deploy.md, Procfile.production) on this machine and walk
the reference scenario through it over HTTP, as the officials would; then stop everything.

    .venv/bin/python tools/prod_smoke.py            # exit 0: every check passed
    PROD_SMOKE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/saraban_x \\
    PROD_SMOKE_REDIS_URL=redis://127.0.0.1:6379/4 PROD_SMOKE_PORT=8140 PROD_SMOKE_SMTP_PORT=8141 \\
    .venv/bin/python tools/prod_smoke.py

What it checks: the roles sign in with their passwords; the clerk drafts a memo on the form and
sends it; the acting director signs; the two receiving offices' clerks book it in; the deputy
writes a note and forwards; the Permanent Secretary decides. A Celery worker renders the
memo's .docx, which the drafter downloads and previews as PDF (LibreOffice, the converter,
when installed); the drafter's "decided" e-mail reaches the SMTP
server; a collected static file is served 200 (whitenoise, hashed name); a stored file is
refused to an anonymous request and to another unit (404 both); nothing in the
processes' logs shows a traceback; every process stops on SIGTERM with exit code 0.
The database (made afresh, then dropped) and the Redis database number are the run's own.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import sys
import tempfile
import time
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from prod_recipe import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    DEFAULT_REDIS_URL,
    Recipe,
    running_recipe,
    services_answer,
    wait_for,
)

SUBJECT = "ทดสอบระบบก่อนใช้งานจริง แผนพัฒนาข้าราชการกรุงเทพมหานคร"
NOTE = "เรียน ปลัดกรุงเทพมหานคร\nเพื่อโปรดพิจารณา เห็นควรอนุมัติตามเสนอ"
TASK_LINK = re.compile(r'href="(/[^"]*?/execute/)"')
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class FormReader(HTMLParser):
    """The fields of one form as a browser would submit them unchanged."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
                self.fields.setdefault(self._select, value)
            if "selected" in a:
                self.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, form_id: str) -> dict[str, str]:
    reader = FormReader(form_id)
    reader.feed(html)
    if not reader.fields:
        raise AssertionError(f"no form #{form_id} on the page")
    # A textarea's first newline belongs to the markup, not the value (HTML spec).
    return {k: v[1:] if v.startswith("\n") else v for k, v in reader.fields.items()}


class Browser:
    """One person's browser: a cookie jar and keep-alive connection, no JavaScript."""

    def __init__(self, base_url: str, who: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.who = who
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Language": "th"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                # gunicorn closed an idle keep-alive connection: open a new one once.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def get(self, path: str, expect: int = 200) -> str:
        status, headers, data = self.request("GET", path)
        if status != expect:
            raise AssertionError(f"{self.who}: GET {path} answered {status}, expected {expect}")
        return data.decode("utf-8", errors="replace")

    def post(self, path: str, form: dict[str, str], expect: int = 302) -> str:
        status, headers, data = self.request("POST", path, form)
        if status != expect:
            text = data.decode("utf-8", errors="replace")
            errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]{0,200})', text)
            raise AssertionError(f"{self.who}: POST {path} answered {status}, expected {expect}; {errors[:5]}")
        return urlsplit(headers.get("location", "")).path

    def sign_in(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            raise AssertionError("no CSRF token on the login page")
        where = self.post(
            "/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
        )
        if where.startswith("/accounts/login/"):
            raise AssertionError(f"{username}: sign-in refused")

    def first_task(self) -> str:
        links = TASK_LINK.findall(self.get("/memos/inbox/"))
        if not links:
            raise AssertionError(f"{self.who}: nothing in the inbox")
        return str(links[0])

    def act(self, form: dict[str, str], expect_page: str) -> str:
        """Open the first task of the inbox, post `form` to it, return the page it leads to."""
        task = self.first_task()
        self.get(task)
        where = self.post(task, form)
        page = self.get(where)
        if expect_page not in page:
            raise AssertionError(f"{self.who}: after {form.get('action')} the page does not say {expect_page!r}")
        return page


def check(label: str, results: list[tuple[str, float]], started: float) -> None:
    results.append((label, time.monotonic() - started))
    print(f"  ok  {label} ({time.monotonic() - started:.1f} s)", flush=True)


def scenario(recipe: Recipe) -> list[tuple[str, float]]:
    """The reference scenario over HTTP; raises AssertionError at the first check that fails."""
    results: list[tuple[str, float]] = []
    t0 = time.monotonic()
    people = {}
    for username in (
        "inst_clerk",
        "inst_director",
        "deputy_clerk",
        "deputy",
        "ops_clerk",
        "perm_sec",
        "district_clerk",
    ):
        people[username] = Browser(recipe.base_url, username)
        people[username].sign_in(username, recipe.logins[username])
    wrong = Browser(recipe.base_url, "wrong password")
    page = wrong.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    wrong.post(
        "/accounts/login/",
        {"username": "perm_sec", "password": "not-the-password", "csrfmiddlewaretoken": token.group(1)},
        expect=200,
    )
    check("7 roles signed in with their passwords; a wrong password is refused", results, t0)

    clerk = people["inst_clerk"]
    fields = form_fields(clerk.get("/memos/memos/new/"), "memo-form")
    fields.update(
        {
            "h-subject": SUBJECT,
            "s-0-items": "ปลัดกรุงเทพมหานครได้เห็นชอบให้ทุกหน่วยงานจัดทำข้อมูลการพัฒนาบุคลากรของหน่วยงาน",
            "s-1-intro": "สถาบันฯ ได้ดำเนินการ ดังนี้",
            "s-1-items": "รวบรวมข้อมูลโครงการ/กิจกรรมการฝึกอบรมฯ ของทุกหน่วยงาน จำนวน ๓๓๒ โครงการ",
            "s-2-intro": "สถาบันฯ พิจารณาแล้ว เห็นควรดำเนินการ ดังนี้",
            "p-0-text": "อนุมัติแผนพัฒนาข้าราชการกรุงเทพมหานครและบุคลากรกรุงเทพมหานคร ประจำปีงบประมาณ พ.ศ. ๒๕๗๐",
            "p-0-ask": "approve",
        }
    )
    memo_path = clerk.post("/memos/memos/new/", fields)
    match = re.fullmatch(r"/memos/memos/(\d+)/", memo_path)
    if not match:
        raise AssertionError(f"saving the draft led to {memo_path!r}, not a memo page")
    memo_id = int(match.group(1))
    assert SUBJECT in clerk.get(memo_path), "the memo page does not show the subject"
    clerk.post(f"/memos/memos/{memo_id}/submit/", {})
    check(f"the clerk drafted memo {memo_id} on the form and sent it for signature", results, t0)

    people["inst_director"].act({"action": "sign"}, "กท ๐๔๐๑/๑")
    check("the acting director signed: number กท ๐๔๐๑/๑", results, t0)
    people["deputy_clerk"].act({"action": "book_in"}, "ลงทะเบียนรับแล้ว")
    people["deputy"].act({"action": "forward", "note": NOTE}, "เพื่อโปรดพิจารณา")
    people["ops_clerk"].act({"action": "book_in"}, "ลงทะเบียนรับแล้ว")
    check("booked in by the deputy's office, noted and forwarded by the deputy, booked in by ส.ส.ป.", results, t0)
    decider = people["perm_sec"]
    task = decider.first_task()
    rulings = sorted(set(re.findall(r'name="ruling_(\d+)"', decider.get(task))))
    assert rulings, "the decision task shows no proposals"
    page = decider.get(decider.post(task, {"action": "decide", **{f"ruling_{n}": "approve" for n in rulings}}))
    assert "อนุมัติในข้อ ๑" in page, "the memo page does not show the decision"
    check("the Permanent Secretary decided: อนุมัติในข้อ ๑", results, t0)

    # The worker renders the .docx of each step; the drafter downloads the latest.
    doc_link = re.compile(rf'href="(/memos/memos/{memo_id}/documents/(\d+)/)"')

    def rendered() -> str | None:
        links = doc_link.findall(clerk.get(memo_path))
        return max(links, key=lambda link: int(link[1]))[0] if links else None

    document = wait_for(rendered, timeout=60, what="a rendered document version on the memo page", every=0.25)
    status, headers, data = clerk.request("GET", document)
    assert status == 200 and data[:2] == b"PK", f"the document download answered {status}"
    assert headers.get("content-type", "").startswith(DOCX_TYPE), headers.get("content-type")
    check(f"a worker rendered the memo; the drafter downloaded {len(data):,} bytes of .docx", results, t0)

    if shutil.which("soffice"):
        status, headers, data = clerk.request("GET", document + "pdf/")
        assert status == 200 and data[:5] == b"%PDF-", f"the PDF preview answered {status}"
        check(f"the converter (LibreOffice) previewed it as a {len(data):,}-byte PDF", results, t0)
    else:
        print("  --  no soffice on this machine: the PDF preview (the converter) is not checked", flush=True)

    status, headers, data = Browser(recipe.base_url, "anonymous").request("GET", document)
    assert status == 404 and b"PK" not in data[:2], f"anonymous download answered {status}"
    if status == 302:
        assert headers.get("location", "").startswith("/accounts/login/"), headers.get("location")
    status, _, data = people["district_clerk"].request("GET", document)
    assert status == 404, f"another unit's clerk got {status} for the memo's document"
    check("the stored file: anonymous → 404, another unit's clerk → 404", results, t0)

    def decided_mail() -> bool:
        return any(
            "inst_clerk@localhost" in m.to and m.subject.startswith("ผลการพิจารณา") for m in recipe.mail.snapshot()
        )

    try:
        wait_for(decided_mail, timeout=60, what="the drafter's decision e-mail at the SMTP server", every=0.1)
    except AssertionError as exc:
        received = "; ".join(f"{m.to} {m.subject!r}" for m in recipe.mail.snapshot())
        raise AssertionError(f"{exc}; received: {received or 'nothing'}") from None
    mails = recipe.mail.snapshot()
    ids = [m.message_id for m in mails]
    assert len(ids) == len(set(ids)), f"duplicate Message-IDs: {ids}"
    check(f"the drafter's decision e-mail reached the SMTP server ({len(mails)} e-mails in all)", results, t0)

    login_page = Browser(recipe.base_url, "anonymous").get("/accounts/login/")
    css = re.search(r'href="(/static/css/saraban\.[0-9a-f]{12}\.css)"', login_page)
    assert css, "the login page does not link the hashed saraban.css (collectstatic + manifest storage)"
    status, headers, data = Browser(recipe.base_url, "anonymous").request("GET", css.group(1))
    assert status == 200 and data, f"{css.group(1)} answered {status}"
    assert "max-age=315360000" in headers.get("cache-control", ""), headers.get("cache-control")
    status, _, _ = Browser(recipe.base_url, "anonymous").request("GET", "/static/css/no-such-file.css")
    assert status == 404, f"a missing static file answered {status}"
    check(f"static: {css.group(1)} served 200 by whitenoise with a long cache life", results, t0)

    status, _, data = Browser(recipe.base_url, "anonymous").request("GET", "/no/such/page/")
    assert status == 404 and b"Traceback" not in data, f"an unknown address answered {status}"
    for browser in people.values():
        browser.close()
    return results


def main() -> int:
    database_url = os.environ.get("PROD_SMOKE_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("PROD_SMOKE_REDIS_URL", DEFAULT_REDIS_URL)
    why = services_answer(database_url, redis_url)
    if why:
        print(f"prod smoke: skipped: {why}")
        return 0
    var_dir = Path(os.environ.get("PROD_SMOKE_DIR") or tempfile.mkdtemp(prefix="saraban-prod-smoke-"))
    web_port = int(os.environ.get("PROD_SMOKE_PORT", "0")) or None
    smtp_port = int(os.environ.get("PROD_SMOKE_SMTP_PORT", "0")) or None
    started = time.monotonic()
    print(f"prod smoke: {database_url}, broker {redis_url}, logs in {var_dir}", flush=True)
    failure = ""
    recipe: Recipe | None = None
    try:
        with running_recipe(
            var_dir=var_dir, database_url=database_url, redis_url=redis_url, web_port=web_port, smtp_port=smtp_port
        ) as recipe:
            scenario(recipe)
    except AssertionError as exc:
        failure = str(exc)
    if recipe is not None and not failure:
        if recipe.unclean:
            failure = f"did not stop cleanly on SIGTERM: {', '.join(recipe.unclean)}"
        for process in recipe.processes.values():
            if "Traceback" in process.log():
                failure = failure or f"a traceback in {process.log_path}"
    if failure:
        print(f"prod smoke: FAILED after {time.monotonic() - started:.1f} s: {failure}", file=sys.stderr)
        if recipe is not None:
            for process in recipe.processes.values():
                print(f"--- {process.log_path} (last lines)\n{process.log()[-2500:]}", file=sys.stderr)
        return 1
    print(f"prod smoke: passed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
