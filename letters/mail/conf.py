"""The mailbox poller's limits, from settings (each may be set from the environment in
config/settings.py; these are the defaults, stated in docs/operations.md)."""

from __future__ import annotations

from django.conf import settings

# A message larger than this is not fetched: it stays unseen on the server and is listed
# among the mailbox's problems in the admin.
DEFAULT_MESSAGE_MAX_BYTES = 60 * 1024 * 1024
# At most this many attachments of one message are taken in; the rest are named in the
# item's remarks (the message itself stays in the mailbox).
DEFAULT_ATTACHMENT_MAX_COUNT = 20
# How often beat polls every mailbox, and how long one poll may hold a mailbox.
DEFAULT_POLL_SECONDS = 60
DEFAULT_POLL_LEASE_SECONDS = 600
DEFAULT_IMAP_TIMEOUT = 30
# Messages taken per poll of one mailbox: a mailbox with thousands unseen (the first poll of
# an old account) is worked through over several beats, each well inside the poll's hold.
DEFAULT_POLL_BATCH = 100
DEFAULT_REPLY_RETRY_DELAYS = (60, 300, 1800, 3600, 4 * 3600)


def message_max_bytes() -> int:
    return int(getattr(settings, "MAIL_MESSAGE_MAX_BYTES", DEFAULT_MESSAGE_MAX_BYTES))


def attachment_max_bytes() -> int:
    """One attachment: the same limit as an upload on screen unless set apart."""
    return int(getattr(settings, "MAIL_ATTACHMENT_MAX_BYTES", settings.ATTACHMENT_MAX_BYTES))


def attachment_max_count() -> int:
    return int(getattr(settings, "MAIL_ATTACHMENT_MAX_COUNT", DEFAULT_ATTACHMENT_MAX_COUNT))


def poll_lease_seconds() -> int:
    return int(getattr(settings, "MAIL_POLL_LEASE_SECONDS", DEFAULT_POLL_LEASE_SECONDS))


def poll_batch() -> int:
    return max(1, int(getattr(settings, "MAIL_POLL_BATCH", DEFAULT_POLL_BATCH)))


def imap_timeout() -> int:
    return int(getattr(settings, "MAIL_IMAP_TIMEOUT", DEFAULT_IMAP_TIMEOUT))


def imap_ca_file() -> str | None:
    """A PEM file of the certificate authorities to trust for IMAP over TLS (an office's own
    CA); unset: the system's."""
    return str(getattr(settings, "MAIL_IMAP_CA_FILE", "") or "") or None
