from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "directives"
    verbose_name = "หนังสือเวียนและการติดตามผล"

    def ready(self) -> None:
        from . import registrations

        registrations.register()
