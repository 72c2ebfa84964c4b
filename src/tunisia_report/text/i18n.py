"""The report's editions: which language is active, its words (gettext catalogues through Babel)
and its conventions (CLDR locale, writing direction, quotation marks, font).

Every sentence is written in English in the code, marked for extraction (`gettext`, `ngettext`,
`N_`), and translated from ``locale/<lang>/LC_MESSAGES/messages.po``. Catalogues are compiled in
memory on first use in each process (Babel's `write_mo`, read by the standard `gettext`): there
are no `.mo` files to go stale. A message missing from a catalogue raises `TranslationError`
rather than falling back to English, and a translation whose placeholders differ from its
original, or that holds Markdown its original lacks (a translated paragraph is text), stops the
catalogue from loading, naming the file, line and message id.

`activate(lang)` sets the edition for the process (the report notebook's `lang` parameter);
everything in `tunisia_report.text` and `tunisia_report.charts` writes in it.
"""

from __future__ import annotations

import gettext as _gettext
import io
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tunisia_report.exceptions import TranslationError
from tunisia_report.text.prose import expressions

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "messages"
POT = LOCALE_DIR / f"{DOMAIN}.pot"


@dataclass(frozen=True)
class Edition:
    """One language of the report and the conventions that go with it."""

    lang: str  # the `lang` parameter, and the catalogue's folder
    locale: str  # CLDR locale for Babel: numbers, dates, plural rules
    region: str  # for the PDF's /Lang and Typst's `region`
    direction: str  # "ltr" or "rtl"
    quotes: tuple[str, str]  # opening and closing quotation marks
    font: str | None = None  # a font family the edition needs, from a pinned pip package
    font_package: str | None = None  # the package holding its files, under files/

    def font_files(self) -> list[Path]:
        """The edition's font files (empty if it needs none): passed by path to Typst and
        matplotlib, so no system font is assumed."""
        if not self.font_package:
            return []
        from importlib.resources import files

        folder = Path(str(files(self.font_package) / "files"))
        return sorted(folder.glob("*.ttf"))

    @property
    def tag(self) -> str:
        """BCP 47 language tag: 'en-GB', 'fr-FR', 'ar-TN'."""
        return f"{self.lang}-{self.region.upper()}"


# French: guillemets with narrow no-break spaces inside. Arabic: guillemets too (as in Tunisian
# and most Arabic print), without spaces. `ar_TN` follows CLDR: Latin digits, "." grouping and
# the Maghreb month names (جويلية).
EDITIONS = {
    "en": Edition("en", "en_GB", "gb", "ltr", ("\u201c", "\u201d")),
    "fr": Edition("fr", "fr_FR", "fr", "ltr", ("\u00ab\u202f", "\u202f\u00bb")),
    "ar": Edition("ar", "ar_TN", "tn", "rtl", ("\u00ab", "\u00bb"), "Amiri", "fontpkg_amiri"),
}
SOURCE_LANG = "en"  # the language of the code's messages and of the dataset's own text
_active = SOURCE_LANG


def activate(lang: str) -> Edition:
    """Make `lang` the edition every text and chart of this process is written in."""
    global _active
    edition(lang)
    _active = lang
    return EDITIONS[lang]


def edition(lang: str | None = None) -> Edition:
    """The active edition, or the one named; TranslationError for an unknown language."""
    lang = _active if lang is None else lang
    if lang not in EDITIONS:
        raise TranslationError(f"unknown language {lang!r}; languages: {', '.join(EDITIONS)}")
    return EDITIONS[lang]


def active() -> str:
    return _active


@contextmanager
def language(lang: str):
    """The edition `lang` for the duration of a `with` block."""
    previous = _active
    activate(lang)
    try:
        yield EDITIONS[lang]
    finally:
        activate(previous)


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; translate it with `gettext` where used."""
    return message


def gettext(message: str) -> str:
    """The message in the active language."""
    return translations(_active).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The message in the active language, in the plural form for `n` (Arabic has six)."""
    return translations(_active).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """The message in the active language, where the same English word needs another
    translation in this context."""
    return translations(_active).pgettext(context, message)


def quote(text: str) -> str:
    """Text between the active edition's quotation marks."""
    opening, closing = edition().quotes
    return f"{opening}{text}{closing}"


def isolate(text: str) -> str:
    """Text of another direction (a Latin title, a URL, the article's English words) kept whole
    inside a right-to-left line: between Unicode's first-strong isolate and its pop (U+2068,
    U+2069), in a right-to-left edition only. HTML uses `<bdi>` instead."""
    return f"\u2068{text}\u2069" if edition().direction == "rtl" else text


# The article's words, verbatim and in English: other editions say it is the original.
ORIGINAL_QUOTE = N_("{quote}")


def original_quote(text: str) -> str:
    """The article's own (English) words in quotation marks, marked as the original in another
    edition ('“…”'; '«\u202f…\u202f» (en anglais dans l’original)'); in a right-to-left edition
    the English words are isolated, so the marks around them keep their sides."""
    return gettext(ORIGINAL_QUOTE).format(quote=isolated_quote(text))


def isolated_quote(text: str) -> str:
    """Words of another language quoted inside a right-to-left line, isolated with their
    quotation marks ('⁨«left fourteen soldiers dead»⁩'): when the quote wraps, each mark stays
    at its own end of the words, on whatever line that end falls."""
    return isolate(quote(text))


class _Missing(_gettext.NullTranslations):
    """The end of the fallback chain: a message the catalogue lacks is an error, not English."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path

    def gettext(self, message):
        raise TranslationError(f"{self.path}: no translation of msgid {message!r}; "
                               "run `make messages` and translate it")

    def pgettext(self, context, message):
        raise TranslationError(f"{self.path}: no translation of msgid {message!r} "
                               f"(context {context!r}); run `make messages` and translate it")

    def ngettext(self, singular, plural, n):
        raise TranslationError(f"{self.path}: no translation of msgid {singular!r} "
                               f"(plural {plural!r}); run `make messages` and translate it")


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `lang` (English: the messages themselves)."""
    edition(lang)
    if lang == SOURCE_LANG:
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo

    path = catalogue_path(lang)
    catalog = read_catalogue(path)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    compiled = _gettext.GNUTranslations(buffer)
    compiled.add_fallback(_Missing(path))
    return compiled


def read_catalogue(path: Path):
    """A `.po` file as a Babel catalogue, checked: untranslated and fuzzy entries are left out
    (so they count as missing), and any placeholder problem raises TranslationError."""
    from babel.messages.pofile import read_po

    try:
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=edition(path.parts[-3]).locale, abort_invalid=True)
    except FileNotFoundError:
        raise TranslationError(f"{path}: no such catalogue") from None
    except Exception as exc:  # babel.messages.pofile.PoFileError
        raise TranslationError(f"{path}: not a valid .po file: {exc}") from None
    problems = placeholder_problems(catalog, path) + markup_problems(catalog, path)
    if problems:
        raise TranslationError("\n".join(problems))
    for message in list(catalog):
        if message.id and (message.fuzzy or not _translated(message)):
            del catalog[message.id]
    return catalog


# A template placeholder ({fig:ID}, {n}) or a literal brace pair; anything else with a brace is
# a broken placeholder.
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{[^{}]*\}")


def placeholders(text: str) -> set[str] | None:
    """The placeholders of a message, or None if a brace is left unmatched."""
    found = {m for m in _PLACEHOLDER.findall(text) if m not in ("{{", "}}")}
    rest = _PLACEHOLDER.sub("", text)
    return None if "{" in rest or "}" in rest else found


def placeholder_problems(catalog, path: Path) -> list[str]:
    """'file:line: msgid "...": ...' for each translation whose placeholders do not match."""
    problems = []
    for message in catalog:
        if not message.id or not _translated(message):
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set().union(*(placeholders(i) or set() for i in ids))
        for form in strings:
            found = placeholders(form)
            where = f"{path}:{message.lineno}: msgid {ids[0]!r}"
            if found is None:
                problems.append(f"{where}: unmatched brace in the translation {form!r}")
            elif len(ids) == 1 and found != expected:
                problems.append(f"{where}: placeholders {sorted(found)} in the translation, "
                                f"expected {sorted(expected)}")
            elif not found <= expected:
                problems.append(f"{where}: placeholders {sorted(found - expected)} in the "
                                "translation are not in the original")
            elif sorted(expressions(form)) != sorted(expressions(ids[0])):
                problems.append(f"{where}: inline expressions {sorted(expressions(form))} in the "
                                f"translation, expected {sorted(expressions(ids[0]))}")
    return problems


# Markdown a translation may hold only where its original holds it: a translated paragraph is
# text, and the exports read it as Markdown. Links and images (with their targets), footnotes
# and references, raw HTML, autolinks and entities, then the characters that open inline markup
# (emphasis, code, math, citations, sub- and superscript, escapes and hard breaks, tables), and
# a block's marker at the start of a line (heading, quote, list, table, fence,
# rule, indented code).
_MARKUP = re.compile(
    r"(?P<link>!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\((?P<target>[^()\s]*(?:\([^()]*\))?[^()\s]*)"
    r"(?:\s+[^)]*)?\))"
    r"|(?P<reference>\[\^?[^\[\]]*\]\[[^\[\]]*\]|\[\^[^\]]*\])"
    r"|(?P<html></?[A-Za-z!?][^>]*>|<[a-z][a-z0-9+.-]*:[^>]*>)"
    r"|(?P<entity>&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)"
    r"|(?P<block>(?:^|\n)[ \t]*(?:#{1,6}(?=\s|$)|>|[-+*](?=\s)|\d{1,9}[.)](?=\s)|\||:::|```|~~~"
    r"|=+[ \t]*(?=\n|$)|-{2,}[ \t]*(?=\n|$))|\n(?: {4}|\t))"
    r"|(?P<char>\*+|(?<![^\W_])_+|_+(?![^\W_])|[~^`$|\\]|@(?=[\w{]))")
_PLAIN_SPANS = re.compile(r"(?<!`)\{eval\}`[^`]+`|\{\{|\}\}|\{[^{}]*\}")


def markup(text: str) -> Counter:
    """The Markdown of a message, token by token ('link', target), ('char', '*'), ('block',
    '#'): its expressions and placeholders are checked apart and left out."""
    text = _PLAIN_SPANS.sub(" ", text)
    found: Counter = Counter()
    for match in _MARKUP.finditer(text):
        kind = match.lastgroup if match.lastgroup != "target" else "link"
        if match["link"]:
            found["link", match["target"]] += 1
            inner = match["link"][match["link"].index("[") + 1:match["link"].rindex("](")]
            found.update(markup(inner))
        else:
            found[kind, match[kind].strip()] += 1
    return found


def markup_problems(catalog, path: Path) -> list[str]:
    """'file:line: msgid "...": ...' for each translation that holds Markdown its original does
    not: a heading after a line break, a link elsewhere than the original's, math, raw HTML."""
    problems = []
    for message in catalog:
        if not message.id or not _translated(message):
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        allowed = sum((markup(i) for i in ids), Counter())
        for form in strings:
            extra = markup(form) - allowed
            if extra:
                what = ", ".join(f"{kind} {token!r}" for kind, token in sorted(extra))
                problems.append(f"{path}:{message.lineno}: msgid {ids[0]!r}: the translation "
                                f"is text, but it holds markup its original lacks: {what}")
    return problems


def _translated(message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    return all(s.strip() for s in strings)
