"""The Thai catalogue in locale/th covers every string viewflow (and django-fsm-2, django-filter) shows.

Viewflow ships no Thai locale, so the project provides one. These tests keep it complete
when viewflow is upgraded (its own German catalogue and its templates/sources are the list
of msgids to cover), keep the committed .mo in step with the .po (users may not have
gettext installed), and check the login page comes out with no English viewflow string.
"""

from __future__ import annotations

import ast
import gettext
import html
import re
from pathlib import Path

import django_filters
import django_fsm
import pytest
import viewflow
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"
VIEWFLOW_DIR = Path(viewflow.__file__).resolve().parent
FSM_DIR = Path(django_fsm.__file__).resolve().parent
FILTERS_DIR = Path(django_filters.__file__).resolve().parent
REFERENCE_PO = VIEWFLOW_DIR / "locale" / "de" / "LC_MESSAGES" / "django.po"
# django-filter builds viewflow's list filters ("Today", "Yesterday", ...) and has no Thai either.
FILTERS_REFERENCE_PO = FILTERS_DIR / "locale" / "de" / "LC_MESSAGES" / "django.po"

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{[\w.]*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Left as they are on purpose: file-format names, not words.
KEPT_AS_IS = {"BPMN", "PNG"}


# --- a small .po reader (polib is not a dependency) ----------------------------------------


def _unquote(parts: list[str]) -> str:
    return "".join(ast.literal_eval(p) for p in parts)


def parse_po(path: Path) -> dict[tuple[str | None, str], dict]:
    """Map (msgctxt, msgid) to {"plural": msgid_plural or None, "strs": [msgstr, ...]}.

    Obsolete (#~) entries are read like live ones: their msgids were viewflow's once and
    may still be shown by code paths that format them at run time.
    """
    entries: dict[tuple[str | None, str], dict] = {}
    fields: dict[str, list[str]] = {}
    key = ""

    def flush() -> None:
        if "msgid" in fields:
            strs = [_unquote(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            ctx = _unquote(fields["msgctxt"]) if "msgctxt" in fields else None
            plural = _unquote(fields["msgid_plural"]) if "msgid_plural" in fields else None
            entries[(ctx, _unquote(fields["msgid"]))] = {"plural": plural, "strs": strs}
        fields.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw[3:] if raw.startswith("#~ ") else raw
        if not line.strip():
            flush()
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            key = match.group(1)
            if key in fields and key in ("msgctxt", "msgid"):
                flush()
            fields[key] = [match.group(2)]
        elif line.startswith('"'):
            fields[key].append(line)
        else:
            raise AssertionError(f"{path}: cannot read line {raw!r}")
    flush()
    return entries


def _is_symbol(text: str) -> bool:
    """True for msgids with nothing to translate: placeholders, punctuation, format names."""
    bare = PLACEHOLDER.sub("", text).strip()
    return not LATIN_WORD.search(bare) or bare in KEPT_AS_IS


# --- msgids viewflow uses --------------------------------------------------------------------

TEMPLATE_TRANS = re.compile(r"""\{%\s*trans(?:late)?\s+(["'])(.+?)\1(?:\s+context\s+(["'])(.+?)\3)?[^%]*%\}""")
GETTEXT_FUNCS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
PGETTEXT_FUNCS = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def _python_msgids(source: str) -> set[tuple[str | None, str]]:
    """msgids of gettext calls in real code (docstring examples are only text, as for xgettext)."""
    found: set[tuple[str | None, str]] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
        if func in GETTEXT_FUNCS and args[0] is not None:
            found.add((None, args[0]))
        elif func in PGETTEXT_FUNCS and len(args) > 1 and None not in args[:2]:
            found.add((args[0], args[1]))
    return found


def source_msgids(root: Path) -> set[tuple[str | None, str]]:
    """Literal msgids in a package's templates ({% trans %}) and Python files, not its tests."""
    found: set[tuple[str | None, str]] = set()
    for path in root.rglob("*"):
        if "tests" in path.relative_to(root).parts or not path.is_file():
            continue
        if path.suffix in {".html", ".txt"}:
            for m in TEMPLATE_TRANS.finditer(path.read_text(encoding="utf-8")):
                found.add((m.group(4), m.group(2)))
        elif path.suffix == ".py":
            found |= _python_msgids(path.read_text(encoding="utf-8"))
    return found


@pytest.fixture(scope="module")
def thai() -> dict[tuple[str | None, str], dict]:
    return parse_po(PO_PATH)


def _missing(msgids, thai) -> list[str]:
    problems = []
    for key in sorted(msgids, key=lambda k: (k[0] or "", k[1])):
        ctx, msgid = key
        if not msgid:
            continue
        entry = thai.get(key)
        label = f"{ctx}|{msgid!r}" if ctx else repr(msgid)
        if entry is None:
            problems.append(f"{label}: missing")
        elif not all(s.strip() for s in entry["strs"]):
            problems.append(f"{label}: empty translation")
        elif not _is_symbol(msgid) and any(s.strip() == msgid.strip() for s in entry["strs"]):
            problems.append(f"{label}: left in English")
    return problems


# --- tests ------------------------------------------------------------------------------------


def test_catalogue_header_is_thai_with_one_plural_form(thai) -> None:
    header = thai[(None, "")]["strs"][0]
    assert "Language: th\n" in header
    assert "Plural-Forms: nplurals=1; plural=0;" in header
    assert "charset=UTF-8" in header
    plural_entries = [e for e in thai.values() if e["plural"] is not None]
    assert plural_entries, "viewflow has plural strings; they must be in the catalogue"
    assert all(len(e["strs"]) == 1 for e in plural_entries)


def test_every_msgid_of_viewflows_own_catalogue_is_translated(thai) -> None:
    reference = parse_po(REFERENCE_PO)
    assert len(reference) > 100, f"{REFERENCE_PO} looks truncated"
    assert _missing(reference.keys(), thai) == []


def test_every_msgid_of_django_filters_catalogue_is_translated(thai) -> None:
    reference = parse_po(FILTERS_REFERENCE_PO)
    assert (None, "Yesterday") in reference
    assert _missing(reference.keys(), thai) == []


def test_every_literal_msgid_in_viewflow_fsm_and_filter_sources_is_translated(thai) -> None:
    used = source_msgids(VIEWFLOW_DIR) | source_msgids(FSM_DIR) | source_msgids(FILTERS_DIR)
    assert (None, "Inbox") in used and ("STATUS", "Done") in used, "the msgid scanner found nothing"
    assert _missing(used, thai) == []


def test_transition_labels_shown_on_the_task_page_are_translated(thai) -> None:
    # task_detail.html renders `{% trans label %}` for the transitions a user may take;
    # the labels are the transition functions' names, so no extractor sees them.
    labels = {"Assign", "Unassign", "Reassign", "Execute", "Cancel", "Undo", "Revive"}
    assert _missing({(None, label) for label in labels}, thai) == []


def test_translations_keep_placeholders_and_html(thai) -> None:
    problems = []
    for (_ctx, msgid), entry in thai.items():
        if not msgid:
            continue
        wanted = set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(entry["plural"] or ""))
        for text in entry["strs"]:
            got = set(PLACEHOLDER.findall(text))
            # A single Thai plural form may use the plural's variables instead of the singular's.
            if not got <= wanted or (entry["plural"] is None and got != wanted):
                problems.append(f"{msgid!r}: placeholders {sorted(got)} != {sorted(wanted)}")
            if sorted(HTML_TAG.findall(text)) != sorted(HTML_TAG.findall(msgid)):
                problems.append(f"{msgid!r}: HTML tags changed")
    assert problems == []


def test_compiled_mo_matches_the_po(thai) -> None:
    """The committed .mo holds exactly what the .po says (recompile with msgfmt if not)."""
    with MO_PATH.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for (ctx, msgid), entry in thai.items():
        if not msgid:
            continue  # msgfmt rewrites the header (drops POT-Creation-Date); checked above
        key = f"{ctx}\x04{msgid}" if ctx else msgid
        if entry["plural"] is None:
            expected[key] = entry["strs"][0]
        else:
            for i, text in enumerate(entry["strs"]):
                expected[(key, i)] = text
    stale = {k: (compiled.get(k), v) for k, v in expected.items() if compiled.get(k) != v}
    extra = set(compiled) - set(expected) - {""}
    assert not stale, f"django.mo is older than django.po: run msgfmt --check -o {MO_PATH} {PO_PATH}; {stale}"
    assert not extra, f"django.mo has entries the .po lacks: {extra}"


def test_django_loads_the_thai_catalogue() -> None:
    with translation.override("th"):
        assert translation.gettext("Inbox") == "กล่องงาน"
        assert translation.gettext("Queue") == "คิวงาน"
        assert translation.pgettext("STATUS", "Done") == "เสร็จสิ้น"
        # Django's own Thai catalogue still answers for what it owns.
        assert translation.gettext("username") == "ชื่อผู้ใช้"


def visible_text(page: str) -> list[str]:
    """Text a person sees: element text and user-facing attributes, without icon ligatures."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<i\b[^>]*material-icons[^>]*>[^<]*</i>", " ", page, flags=re.I)
    texts = re.findall(r"\b(?:placeholder|title|aria-label|alt|label)=\"([^\"]*)\"", page)
    texts += re.findall(r"<input\b[^>]*type=\"(?:submit|button)\"[^>]*value=\"([^\"]*)\"", page)
    texts += re.sub(r"<[^>]+>", "\n", page).splitlines()
    return [html.unescape(t).strip() for t in texts if t.strip()]


def english_msgids() -> set[str]:
    ids = {msgid for _ctx, msgid in parse_po(REFERENCE_PO)} | {m for _c, m in source_msgids(VIEWFLOW_DIR)}
    ids |= {msgid for _ctx, msgid in parse_po(FILTERS_REFERENCE_PO)}
    return {" ".join(m.split()) for m in ids if m.strip() and not _is_symbol(m)}


def untranslated(texts: list[str]) -> list[str]:
    leftovers = []
    for msgid in english_msgids():
        pattern = re.compile(r"(?<![A-Za-z])" + re.escape(msgid) + r"(?![A-Za-z])")
        leftovers += [f"{msgid!r} in {t!r}" for t in texts if pattern.search(" ".join(t.split()))]
    return sorted(leftovers)


@pytest.mark.django_db
def test_login_page_shows_no_english_viewflow_string(client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    texts = visible_text(response.content.decode())
    assert "เข้าสู่ระบบ" in texts
    assert untranslated(texts) == []
    # Field labels come from Django's Thai catalogue.
    assert "ชื่อผู้ใช้" in texts and "รหัสผ่าน" in texts


@pytest.mark.django_db
def test_failed_login_message_is_thai(client) -> None:
    response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    texts = visible_text(response.content.decode())
    assert untranslated(texts) == []
    assert any("รหัสผ่านที่ถูกต้อง" in t for t in texts)
