from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "หนังสือภายนอก (รับ–ส่ง)"

    def ready(self) -> None:
        from . import registrations

        registrations.register()
