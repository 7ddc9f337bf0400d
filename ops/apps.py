from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the service: the working-day calendar, health checks, request ids in the logs,
    backup and restore."""

    name = "ops"
    verbose_name = "การดูแลระบบ"

    def ready(self) -> None:
        from . import workdays

        workdays.check_settings()
