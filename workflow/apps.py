from django.apps import AppConfig

from memos import flow_hooks  # no models: safe to import while apps load


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "เส้นทางหนังสือ"

    def ready(self) -> None:
        from . import reminders, selectors

        # The memo screens (memos/views.py) show where a memo is and the open task, which
        # live here; memos may not import workflow, so it asks through this provider.
        flow_hooks.register_holder_provider(selectors.memo_holders)

        # Both the web and the worker processes (which run the `send_reminders` beat task)
        # must know the review reminder; a wrong allowance stops the process here.
        reminders.check_settings()
        reminders.register_provider()
