from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "เอกสาร"

    def ready(self) -> None:
        from .tasks import MARK_OUTBOX, OUTBOX

        OUTBOX.check()  # a bad retry schedule or lease stops start-up
        MARK_OUTBOX.check()

        from .worker import connect, warm_web

        connect()  # warm converter and template when a Celery worker starts
        warm_web()
