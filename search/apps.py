from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "การค้นหา"

    def ready(self) -> None:
        # The sources (memos, circulars, received letters) and the signals that queue their
        # re-indexing are set up here, by search: the domain apps never import search.
        from . import sources, tasks

        tasks.OUTBOX.check()
        sources.connect()
