"""The template engine: sentences rendered from dataset rows, every number read and footnoted.

A template is plain prose (no markup) with placeholders:

* ``{fig:ID}`` the figure's value ("14", "8,000"; "at least N" for a lower bound; the article's
  words for a qualitative amount), ``{fig:ID:words}`` its amount_text ("fourteen"); both carry a
  footnote citing the source and quoting the article. ``{fig:ID:label|unit|attribution|date}``
  give the other fields, without a footnote.
* ``{event:ID:date}`` (footnoted, at the article's precision) and ``{event:ID:title}``.
* ``{place:ID:name}``, ``{measure:ID:name|stage|kind}``, ``{source:ID:title|author|date}``.
* ``{name}`` a value computed by the caller and passed as ``fill(..., name=value)``.
* ``{{`` and ``}}`` for literal braces.

Everything, prose included, is escaped for Markdown and HTML, so it shows literally.

A template is an English message: callers translate it first (`i18n.gettext(T)`), and the
translation has the same placeholders. Footnotes quote the article in English, as the original
(in another edition, marked so). Sources are cited by citeproc in a CSL style (`text.citations`);
once `track_citations()` is on (the report does it), a source's first note is cited in full and
later ones in the style's short form, as style guides ask.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pandas as pd

from tunisia_report.exceptions import NarrativeError
from tunisia_report.record import AUTHOR_VOICE
from tunisia_report.text import escape
from tunisia_report.text.bibliography import csl_items
from tunisia_report.text.citations import DEFAULT_STYLE, Citations, formatted, style_file
from tunisia_report.text.dates import event_date, format_date
from tunisia_report.text.formatting import (
    actor_words,
    format_number,
    format_value,
    localized_sources,
    original,
    published,
)
from tunisia_report.text.i18n import N_, edition, gettext, original_quote

# A note: the source's citation (citeproc's, in the report's CSL style: in full for a source's
# first note, then short), then the article's words.
CITED_NOTE = N_("{citation}: {quote}{attribution}.")
_cited: set[str] | None = None  # sources cited so far, while citations are tracked
_style = DEFAULT_STYLE  # the CSL style of the notes (the report's `citation_style`)

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_TABLES = {"fig": ("figures", "figure_id"), "event": ("events", "event_id"),
           "place": ("places", "place_id"), "measure": ("measures", "measure_id"),
           "source": ("sources", "source_id")}


@dataclass(frozen=True)
class Text:
    """One piece of narrative in the three forms the exporters read."""

    markdown: str
    html: str
    plain: str

    def show(self) -> None:
        """Display in the running notebook."""
        from tunisia_report.display import show_text

        show_text(self.markdown, self.html, self.plain)


@dataclass(frozen=True)
class _Piece:
    """A piece of output: the same words as plain text, Markdown and HTML, maybe a footnote key."""

    plain: str
    markdown: str
    html: str
    note: tuple[str, str] | None = None  # (table, id) to footnote


def _literal(text: str) -> _Piece:
    return _Piece(text, escape.markdown(text), escape.html_text(text))


def _emphasis(text: str) -> _Piece:
    return _Piece(text, f"*{escape.markdown(text)}*", f"<em>{escape.html_text(text)}</em>")


def lookup(data, kind: str, item_id: str, placeholder: str | None = None) -> pd.Series:
    """The row of `kind` ('fig', 'event', ...) with this id; NarrativeError if there is none."""
    placeholder = placeholder or f"{kind}:{item_id}"
    table, key = _TABLES[kind]
    rows = data[table][data[table][key] == item_id]
    if rows.empty:
        raise NarrativeError(placeholder, f"no row with {key} {item_id!r} in {table}")
    return rows.iloc[0]


def track_citations(on: bool = True, style: str = DEFAULT_STYLE) -> None:
    """From now on, cite each source in full in its first note and in short after (or, with
    `on` false, always in full, the default), in the CSL `style` (a NarrativeError if the
    pinned styles have no such style)."""
    global _cited, _style
    style_file(style)
    _cited = set() if on else None
    _style = style


_items: tuple | None = None  # (a sources table, its CSL items): 50 ms a table, asked per note


def source_citations(data) -> Citations:
    """Every source of `data` cited by citeproc in the active edition's language and months."""
    from babel.dates import get_month_names

    global _items
    if _items is None or _items[0] is not data.sources:
        _items = (data.sources, csl_items(localized_sources(data)))
    locale = edition().locale
    return formatted(_items[1], _style, edition().tag,
                     dict(get_month_names("wide", locale=locale)), edition().direction)


def citation(data, source_id: str, short: bool = False) -> _Piece:
    """A source's citation as a note gives it, without its closing full stop."""
    cited = source_citations(data)
    form = (cited.short if short else cited.full)[source_id]
    return _Piece(*(text[:-1] if text.endswith(".") else text
                    for text in (form.plain, form.markdown, form.html)))


def _footnote(data, table: str, item_id: str) -> _Piece:
    """'Mohamed Bechri, ‘Title’, The Washington Institute, 23 July 2014, URL: “quote”
    (attribution).' for one row; later notes for the same source in the style's short form."""
    source_id = _note_source(data, table, item_id)
    short = _cited is not None and source_id in _cited
    if _cited is not None:
        _cited.add(source_id)
    return _note(data, table, item_id, short)


def _note_source(data, table: str, item_id: str) -> str:
    kind = next(k for k, (t, _) in _TABLES.items() if t == table)
    return lookup(data, kind, item_id, f"{kind}:{item_id}")["source_id"]


def _note(data, table: str, item_id: str, short: bool) -> _Piece:
    """One row's note, in full or short (see `_footnote`)."""
    kind = next(k for k, (t, _) in _TABLES.items() if t == table)
    row = lookup(data, kind, item_id, f"{kind}:{item_id}")
    source_id = row["source_id"]
    lookup(data, "source", source_id, f"source:{source_id}")
    attribution = ""
    if table == "figures" and original(row, "attributed_to") != AUTHOR_VOICE:
        attribution = f" ({row['attributed_to']})"
    pieces = {
        "citation": citation(data, source_id, short),
        "quote": _literal(original_quote(row["quote"])),
        "attribution": _literal(attribution),
    }
    return _join(_compose(gettext(CITED_NOTE), pieces))


def _compose(template: str, pieces: dict[str, _Piece]) -> list[_Piece]:
    """A template whose placeholders are all given as pieces, as a list of pieces."""
    out, position = [], 0
    for match in PLACEHOLDER.finditer(template):
        out.append(_literal(template[position:match.start()]))
        out.append(_literal(match.group(0)[0]) if match.group(1) is None
                   else pieces[match.group(1)])
        position = match.end()
    out.append(_literal(template[position:]))
    return out


def _join(pieces: list[_Piece]) -> _Piece:
    return _Piece(*("".join(getattr(p, f) for p in pieces) for f in ("plain", "markdown", "html")))


def _field(data, placeholder: str, values: dict) -> _Piece:
    """Resolve one placeholder (without braces) to a piece of output."""
    parts = placeholder.split(":")
    if len(parts) == 1:
        name = parts[0]
        if name not in values:
            raise NarrativeError(placeholder, "no such value was passed to fill()")
        value = values[name]
        is_int = isinstance(value, int) and not isinstance(value, bool)
        return _literal(format_number(value) if is_int else str(value))
    kind, item_id, attr = (parts + [""])[:3] if len(parts) in (2, 3) else ("", "", "")
    if kind not in _TABLES:
        raise NarrativeError(placeholder, f"unknown kind {kind!r}; use one of {sorted(_TABLES)}")
    row = lookup(data, kind, item_id, placeholder)
    table = _TABLES[kind][0]
    getters = {
        "fig": {"": lambda r: format_value(r), "words": lambda r: r["amount_text"],
                "label": lambda r: r["label"], "unit": lambda r: r["unit"],
                "attribution": lambda r: r["attributed_to"],
                "date": lambda r: format_date(r["date"], r["date_precision"])},
        "event": {"date": event_date, "title": lambda r: r["title"]},
        "place": {"name": lambda r: r["name"]},
        "measure": {"name": lambda r: r["name"], "stage": lambda r: r["stage"],
                    "kind": lambda r: r["kind"]},
        "source": {"title": lambda r: r["title"],
                   "author": lambda r: actor_words(data, r["author"]),
                   "date": published},
    }[kind]
    if attr not in getters:
        raise NarrativeError(placeholder, f"unknown field {attr!r}; use one of {sorted(getters)}")
    text = str(getters[attr](row))
    if kind == "source" and attr == "title":
        return _emphasis(text)
    footnoted = (kind == "fig" and attr in ("", "words")) or (kind == "event" and attr == "date")
    piece = _literal(text)
    return _Piece(piece.plain, piece.markdown, piece.html, (table, item_id) if footnoted else None)


def inline(data, placeholder: str, values: dict | None = None) -> dict:
    """One placeholder's value (without braces) as an inline expression shows it: ``plain``,
    ``markdown`` and ``html``, and its ``note`` (the ``row`` it quotes, its ``source`` and the
    ``full`` and ``short`` forms,
    which the exporters choose in reading order) or None. Marks the note's source as cited."""
    piece = _field(data, placeholder, values or {})
    payload = {"plain": piece.plain, "markdown": piece.markdown, "html": piece.html,
               "note": None}
    if piece.note is not None:
        table, item_id = piece.note
        source_id = _note_source(data, table, item_id)
        if _cited is not None:
            _cited.add(source_id)
        payload["note"] = {"row": f"{table}/{item_id}", "source": source_id, **{
            form: {"plain": note.plain, "markdown": note.markdown, "html": note.html}
            for form, note in (("full", _note(data, table, item_id, False)),
                               ("short", _note(data, table, item_id, True)))}}
    return payload


def fill(template: str, data, **values) -> Text:
    """Render a template (see the module docstring) from the dataset, with footnotes."""
    pieces: list[_Piece] = []
    position = 0
    for match in PLACEHOLDER.finditer(template):
        pieces.append(_literal(template[position:match.start()]))
        token = match.group(0)
        pieces.append(_literal(token[0]) if token in ("{{", "}}")
                      else _field(data, match.group(1), values))
        position = match.end()
    pieces.append(_literal(template[position:]))
    return _assemble(pieces, data, hashlib.sha1(template.encode()).hexdigest()[:6])


def _assemble(pieces: list[_Piece], data, key: str) -> Text:
    """Join pieces, number the footnotes in order of first use, and append their definitions."""
    order: list[tuple[str, str]] = []
    plain, md, html = [], [], []
    for piece in pieces:
        plain.append(piece.plain)
        md.append(piece.markdown)
        html.append(piece.html)
        if piece.note is None:
            continue
        if piece.note not in order:
            order.append(piece.note)
        n = order.index(piece.note) + 1
        plain.append(f"[{n}]")
        md.append(f"[^{key}-{n}]")
        html.append(f'<sup><a href="#fn-{key}-{n}" id="fnref-{key}-{n}">{n}</a></sup>')
    notes = [_footnote(data, table, item_id) for table, item_id in order]
    paragraphs = [p for p in "".join(html).split("\n\n") if p.strip()]
    html_out = "".join(f"<p>{p}</p>" for p in paragraphs)
    if notes:
        md.append("\n\n" + "\n".join(f"[^{key}-{n}]: {note.markdown}"
                                     for n, note in enumerate(notes, 1)))
        plain.append("\n\n" + "\n".join(f"[{n}] {note.plain}" for n, note in enumerate(notes, 1)))
        html_out += '<ol class="footnotes">' + "".join(
            f'<li id="fn-{key}-{n}">{note.html} <a href="#fnref-{key}-{n}">↩</a></li>'
            for n, note in enumerate(notes, 1)) + "</ol>"
    return Text("".join(md), f'<div class="narrative">{html_out}</div>', "".join(plain))


def join_texts(*texts: Text) -> Text:
    """Several Texts as one, paragraph after paragraph (footnote ids stay unique)."""
    return Text("\n\n".join(t.markdown for t in texts), "".join(t.html for t in texts),
                "\n\n".join(t.plain for t in texts))
