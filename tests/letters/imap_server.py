"""A real IMAP server on loopback for the tests of the polled mailboxes: Debian's dovecot,
run in the foreground with a configuration written into a temporary folder (a high port,
plain-text login allowed on loopback, one passwd-file user, a maildir under the folder).

Messages are put in the mailbox the way a mail server would leave them: APPENDed over IMAP
as the mailbox's user, unseen. The tests read the flags back the same way.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import imapclient
import pytest

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
MISSING_REASON = (
    "dovecot is not installed (Debian: apt-get install dovecot-imapd; .ci/run installs it): "
    "the mailbox tests need a real IMAP server"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _mail_owner() -> tuple[int, int]:
    """Dovecot never reads mail as root: when the tests run as root, the maildir belongs to
    the `dovecot` system user; otherwise to whoever runs the tests."""
    if os.geteuid() != 0:
        return os.getuid(), os.getgid()
    entry = pwd.getpwnam("dovecot")
    return entry.pw_uid, entry.pw_gid


class ImapServer:
    """One dovecot instance: `start()`, `stop()` (and start again on the same port, with the
    same mail), `append(message)`, `unseen()`."""

    def __init__(
        self,
        root: Path,
        *,
        user: str = "saraban",
        password: str = "pw-imap",  # noqa: S107  (a test server)
        tls: bool = False,
    ) -> None:
        self.root = root
        self.user = user
        self.password = password
        self.port = free_port()
        # With tls: IMAPS on `tls_port` and STARTTLS on `port`, with a certificate for
        # localhost that only `ca_file` trusts.
        self.tls = tls
        self.tls_port = free_port() if tls else 0
        self.ca_file = self.root / "cert.pem"
        self.process: subprocess.Popen[bytes] | None = None
        self._configure()

    def _configure(self) -> None:
        uid, gid = _mail_owner()
        for name in ("run", "state", "home"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        home = self.root / "home" / self.user
        home.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            for path in (self.root / "home", home):
                os.chown(path, uid, gid)
            # dovecot's login processes (user dovenull) must reach the sockets under run/.
            self.root.chmod(0o755)
        ssl_lines = "ssl = no"
        if self.tls:
            subprocess.run(
                [
                    "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(self.root / "key.pem"), "-out", str(self.ca_file),
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                ],
                check=True,
                capture_output=True,
            )  # fmt: skip
            ssl_lines = f"ssl = yes\nssl_cert = <{self.ca_file}\nssl_key = <{self.root / 'key.pem'}"
        # Run by an ordinary user, dovecot cannot switch to its own system users.
        users = ""
        if os.geteuid() != 0:
            me = pwd.getpwuid(os.getuid()).pw_name
            users = f"default_internal_user = {me}\ndefault_login_user = {me}"
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}:{uid}:{gid}::{home}::\n")
        (self.root / "dovecot.conf").write_text(
            f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
instance_name = saraban-test-{self.port}
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl_lines}
{users}
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = {min(uid, 100)}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {self.root}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
        )

    def start(self) -> None:
        assert DOVECOT, MISSING_REASON
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"dovecot exited: {self.process.stderr.read().decode() if self.process.stderr else ''}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not answer on port {self.port}: {self.log()}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None
        # The port is free again once nothing listens: the next start() may take it.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            except OSError:
                return
            time.sleep(0.05)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def client(self) -> imapclient.IMAPClient:
        client = imapclient.IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(self.user, self.password)
        return client

    def append(self, message: EmailMessage | bytes, folder: str = "INBOX") -> None:
        raw = message if isinstance(message, bytes) else message.as_bytes()
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            client.append(folder, raw, flags=())

    def unseen(self, folder: str = "INBOX") -> list[str]:
        """The Message-IDs of the messages not yet flagged seen."""
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search(["UNSEEN"])
            if not uids:
                return []
            found = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
            return sorted(
                data[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[-1].strip() for data in found.values()
            )

    def count(self, folder: str = "INBOX") -> int:
        with self.client() as client:
            return int(client.select_folder(folder, readonly=True)[b"EXISTS"])


# --- pytest fixtures (imported by tests/letters/test_mail_*.py) ----------------------------

PASSWORD_ENV = "SARABAN_TEST_MAILBOX_PASSWORD"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    if DOVECOT is None:
        pytest.skip(MISSING_REASON)
    # Not pytest's tmp_path: its parents are private to root, and dovecot's login processes
    # (user dovenull) must reach the sockets under the server's folder.
    root = Path(tempfile.mkdtemp(prefix="saraban-imap-", dir="/tmp"))
    server = ImapServer(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def tls_imap_server() -> Iterator[ImapServer]:
    if DOVECOT is None:
        pytest.skip(MISSING_REASON)
    root = Path(tempfile.mkdtemp(prefix="saraban-imaps-", dir="/tmp"))
    server = ImapServer(root, tls=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def mailbox_password(imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(PASSWORD_ENV, imap_server.password)
    return imap_server.password


def letter_mail(
    *,
    message_id: str,
    subject: str,
    sender: str = "สำนักงาน ก.พ. <saraban@ocsc.go.th>",
    body: str = "เรียน ผู้อำนวยการสำนักงานเลขานุการ\n\nส่งหนังสือมาเพื่อทราบ",
    attachments: tuple[tuple[str, bytes, str], ...] = (),
    headers: tuple[tuple[str, str], ...] = (),
) -> EmailMessage:
    """A letter e-mailed by another agency: Thai subject and body, attachments as given
    (name, content, MIME type)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "saraban@ops.bangkok.go.th"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Wed, 02 Dec 2026 10:00:00 +0700"
    for name, value in headers:
        message[name] = value
    message.set_content(body)
    for name, content, mime in attachments:
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message
