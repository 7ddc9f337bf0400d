from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "การแจ้งเตือน"

    def ready(self) -> None:
        from .tasks import OUTBOX

        # A mistyped retry schedule or lease should stop start-up, not surface hours later
        # in a worker.
        OUTBOX.check()
