from django.apps import AppConfig


class MemosConfig(AppConfig):
    name = "memos"
    verbose_name = "งานสารบรรณ"

    def ready(self) -> None:
        from directory.loader import directory_loaded

        from .routes import institute_route_template

        directory_loaded.connect(institute_route_template, dispatch_uid="memos.institute_route_template")
