from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "การแจ้งเตือน"

    def ready(self) -> None:
        from . import conf

        # A mistyped retry schedule should stop start-up, not surface hours later in a worker.
        conf.retry_delays()
