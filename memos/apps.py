from django.apps import AppConfig


class MemosConfig(AppConfig):
    name = "memos"
    verbose_name = "งานสารบรรณ"

    def ready(self) -> None:
        from . import registrations

        registrations.register()
