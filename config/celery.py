import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("saraban")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Code-defined schedule (no django-celery-beat tables): the beat process reads it at start.
app.conf.beat_schedule = {
    # The two outboxes' sweeps (outbox/engine.py): rows whose hand-off at commit was missed
    # (broker down), retries that are due, and rows of workers that died, taken back once
    # their lease (60 s by default) has run out. Every 15 s, so that a dead worker's mail
    # goes out about 60-75 s after it died; every 60 s made that 95-115 s in the fault trial
    # (bench/b7_fault.py), close to the 2-minute promise. A sweep is two indexed UPDATEs
    # and one SELECT per outbox.
    "outbox-sweep": {"task": "notifications.tasks.sweep_outbox", "schedule": 15.0},
    "documents-sweep": {"task": "documents.tasks.sweep_documents", "schedule": 15.0},
    # The search index's outbox, and documents whose change fired no signal (bulk UPDATEs):
    # every 2 minutes, since the second part compares every document with its index row.
    "search-sweep": {"task": "search.tasks.sweep_search", "schedule": 120.0},
    # OCR of received letters' scans (letters/tasks.py): long jobs, a minute is enough.
    "letters-ocr-sweep": {"task": "letters.tasks.sweep_ocr", "schedule": 60.0},
    # Outgoing external letters waiting to be sent by e-mail or e-CMS (letters/outgoing_tasks.py).
    "letters-send-sweep": {"task": "letters.outgoing_tasks.sweep_dispatches", "schedule": 60.0},
    # e-CMS: letters waiting for us at the government hub (a no-op while ECMS_HUB_URL is
    # unset), and the notifiers we owe it (an outbox like the two above).
    "ecms-poll": {"task": "letters.ecms.tasks.poll_inbound", "schedule": crontab(minute="*/5")},
    "ecms-notifier-sweep": {"task": "letters.ecms.tasks.sweep_notifiers", "schedule": 15.0},
    # Reminders and overdue follow-ups (issue: directives and notifications).
    # Letters e-mailed to the units' mailboxes (letters/mail): one IMAP poll per mailbox a
    # minute, and the sweep of the replies that tell senders their เลขรับ.
    "letters-mail-poll": {"task": "letters.mail.tasks.poll_mailboxes", "schedule": 60.0},
    "letters-mail-replies-sweep": {"task": "letters.mail.tasks.sweep_replies", "schedule": 15.0},
    "reminders": {"task": "notifications.tasks.send_reminders", "schedule": crontab(minute="*/15")},
}
