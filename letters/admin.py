from . import outgoing_admin  # noqa: F401  (outgoing letters and their sendings)
