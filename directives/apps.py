from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "directives"
    verbose_name = "หนังสือเวียนและการติดตามผล"

    def ready(self) -> None:
        # Registered here so that both the web and the worker processes (which run the
        # `send_reminders` beat task) know the providers.
        from memos import reminders as memo_reminders
        from notifications import reminders

        from . import reminders as directive_reminders

        memo_reminders.check_settings()
        reminders.register(directive_reminders.overdue_distributions)
        reminders.register(memo_reminders.overdue_reviews)
