"""Static files storage for production (DEBUG off)."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's hashed, pre-compressed files, forgiving two gaps:

    - viewflow's bundled CSS refers to font files the package does not ship (roboto-fontface's
      Thin weights); such a reference is left as it is instead of failing collectstatic.
    - before collectstatic has run there is no manifest; pages then name the files unhashed
      (and whitenoise finds nothing to serve) instead of failing with a server error.
    """

    manifest_strict = False

    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            return name
