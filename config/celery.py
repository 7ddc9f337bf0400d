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
    # their lease (60 s by default) has run out: a dead worker's mail goes out within about
    # two minutes.
    "outbox-sweep": {"task": "notifications.tasks.sweep_outbox", "schedule": 60.0},
    "documents-sweep": {"task": "documents.tasks.sweep_documents", "schedule": 60.0},
    # Reminders and overdue follow-ups (issue: directives and notifications).
    "reminders": {"task": "notifications.tasks.send_reminders", "schedule": crontab(minute="*/15")},
}
