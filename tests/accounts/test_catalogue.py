"""accounts/locale/th: Thai for Django's password screens and django-axes' admin pages."""

from __future__ import annotations

import gettext
from pathlib import Path

import accounts
from tests.i18n.test_catalogue import parse_po

LOCALE_DIR = Path(accounts.__file__).resolve().parent / "locale" / "th" / "LC_MESSAGES"


def test_every_entry_is_translated_and_the_mo_matches_the_po() -> None:
    entries = parse_po(LOCALE_DIR / "django.po")
    with (LOCALE_DIR / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    expected = {msgid: entry["strs"][0] for (_ctx, msgid), entry in entries.items() if msgid}
    assert all(text.strip() for text in expected.values())
    stale = {k: v for k, v in expected.items() if compiled.get(k) != v}
    assert not stale, f"run msgfmt -o {LOCALE_DIR / 'django.mo'} {LOCALE_DIR / 'django.po'}"
    assert set(compiled) - set(expected) - {""} == set()
