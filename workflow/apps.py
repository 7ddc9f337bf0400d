from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "เส้นทางหนังสือ"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        # viewflow's and the admin's pages print a user with str(); officials are known by
        # their Thai names, not by their logins.
        user_model = get_user_model()

        def display_name(user: object) -> str:
            full = user.get_full_name()  # type: ignore[attr-defined]
            return full or user.get_username()  # type: ignore[attr-defined]

        user_model.__str__ = display_name  # type: ignore[method-assign,assignment]
        _buddhist_era_years()

        # Both the web and the worker processes (which run the `send_reminders` beat task)
        # must know the review reminder; a wrong allowance stops the process here.
        from . import reminders

        reminders.check_settings()
        reminders.register_provider()


def _buddhist_era_years() -> None:
    """Django's "Y"/"y" date format characters give the Buddhist-era year when Thai is active.

    Our own templates format dates with documents.thai; this covers every page we do not
    template ourselves (viewflow's lists, the admin), which format through Django.
    """
    from django.utils import dateformat, translation

    original_y, original_small_y = dateformat.DateFormat.Y, dateformat.DateFormat.y

    def year(self: dateformat.DateFormat) -> str:
        if (translation.get_language() or "").startswith("th"):
            return f"{self.data.year + 543:04d}"  # type: ignore[union-attr]
        return str(original_y(self))

    def short_year(self: dateformat.DateFormat) -> str:
        if (translation.get_language() or "").startswith("th"):
            return f"{(self.data.year + 543) % 100:02d}"  # type: ignore[union-attr]
        return original_small_y(self)

    dateformat.DateFormat.Y = year  # type: ignore[method-assign,assignment]
    dateformat.DateFormat.y = short_year  # type: ignore[method-assign]
