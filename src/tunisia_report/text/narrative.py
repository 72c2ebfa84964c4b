"""The template engine: sentences rendered from dataset rows, every number read and footnoted.

A template is plain prose (no markup) with placeholders:

* ``{fig:ID}`` the figure's value ("14", "8,000"; "at least N" for a lower bound; the article's
  words for a qualitative amount), ``{fig:ID:words}`` its amount_text ("fourteen"); both carry a
  note citing the source and quoting the article (placed at the end of the clause, `text.notes`).
  ``{fig:ID:label|unit|attribution|date}``
  give the other fields, without a footnote.
* ``{event:ID:date}`` (footnoted, at the article's precision) and ``{event:ID:title}``.
* ``{place:ID:name}``, ``{measure:ID:name|stage|kind}``,
  ``{source:ID:title|author|date|publisher}``; ``{source:ID:cite}`` is empty text whose note
  cites the source as a whole (a passage that cites the article once).
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
from tunisia_report.text import escape, notes
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
from tunisia_report.text.i18n import edition, isolate, original_quote

_tracker: notes.Tracker | None = None  # what the kernel's texts have cited, while tracked
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
    global _tracker, _style
    style_file(style)
    _tracker = notes.Tracker() if on else None
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


def _note_source(data, table: str, item_id: str) -> str:
    if table == "sources":
        return item_id
    kind = next(k for k, (t, _) in _TABLES.items() if t == table)
    return lookup(data, kind, item_id, f"{kind}:{item_id}")["source_id"]


def _forms(piece: _Piece) -> dict:
    return {"plain": piece.plain, "markdown": piece.markdown, "html": piece.html}


def _cited_row(data, table: str, item_id: str) -> notes.Cited:
    """One value's citation (`text.notes`): its source's citation, full and short, and the
    article's words with their attribution; a source cited as a whole quotes nothing."""
    source_id = _note_source(data, table, item_id)
    lookup(data, "source", source_id, f"source:{source_id}")
    full, short = (_forms(citation(data, source_id, s)) for s in (False, True))
    if table == "sources":
        return notes.Cited(None, source_id, full, short)
    kind = next(k for k, (t, _) in _TABLES.items() if t == table)
    row = lookup(data, kind, item_id, f"{kind}:{item_id}")
    attribution = ""
    if table == "figures" and original(row, "attributed_to") != AUTHOR_VOICE:
        attribution = f" ({row['attributed_to']})"
    words = _literal(original_quote(row["quote"]) + attribution)
    return notes.Cited(f"{table}/{item_id}", source_id, full, short,
                       {**_forms(words), "words": str(row["quote"])})


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
        # (a name in Latin letters kept whole in a right-to-left line, its brackets in place)
        "source": {"title": lambda r: r["title"],
                   "author": lambda r: isolate(actor_words(data, r["author"])),
                   "date": published, "publisher": lambda r: isolate(r["producer"]),
                   "cite": lambda r: ""},
    }[kind]
    if attr not in getters:
        raise NarrativeError(placeholder, f"unknown field {attr!r}; use one of {sorted(getters)}")
    text = str(getters[attr](row))
    if kind == "source" and attr == "title":
        return _emphasis(text)
    footnoted = ((kind == "fig" and attr in ("", "words")) or (kind == "event" and attr == "date")
                 or (kind == "source" and attr == "cite"))
    piece = _literal(text)
    return _Piece(piece.plain, piece.markdown, piece.html, (table, item_id) if footnoted else None)


def inline(data, placeholder: str, values: dict | None = None, note: bool = True) -> dict:
    """One placeholder's value (without braces) as an inline expression shows it: ``plain``,
    ``markdown`` and ``html``, and its ``note`` (`text.notes.Cited`'s fields: the ``row`` it
    quotes, its ``source``, the ``full`` and ``short`` citations and the ``quote``, which the
    exporters place and choose in reading order) or None (always, with `note` false)."""
    piece = _field(data, placeholder, values or {})
    payload = {"plain": piece.plain, "markdown": piece.markdown, "html": piece.html,
               "note": None}
    if piece.note is not None and note:
        cited = _cited_row(data, *piece.note)
        payload["note"] = {"row": cited.row, "source": cited.source, "full": cited.full,
                           "short": cited.short, "quote": cited.quote}
        if _tracker is not None:  # the Markdown cites it here: later texts cite it in short
            _tracker.sources.add(cited.source)
            if cited.row is not None:
                _tracker.rows.add(cited.row)
    return payload


def check(data, placeholder: str) -> None:
    """Raise the DataError (a NarrativeError) that `inline` would for `placeholder`, without
    marking any source as cited."""
    _field(data, placeholder, {})


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
    """Join pieces with their notes' marks at clause ends (`text.notes`), and append the notes."""
    segments = [notes.Segment(p.plain, p.markdown, p.html, literal=p.note is None,
                              cites=[_cited_row(data, *p.note)] if p.note else [])
                for p in pieces]
    tracker = _tracker if _tracker is not None else notes.Tracker(full_always=True)
    text, found = notes.place(segments, key, tracker)
    after = notes.definitions(found, key)
    paragraphs = [p for p in text["html"].split("\n\n") if p.strip()]
    html_out = "".join(f"<p>{p}</p>" for p in paragraphs) + after["html"]
    return Text(text["markdown"] + after["markdown"], f'<div class="narrative">{html_out}</div>',
                text["plain"] + after["plain"])


def join_texts(*texts: Text) -> Text:
    """Several Texts as one, paragraph after paragraph (footnote ids stay unique)."""
    return Text("\n\n".join(t.markdown for t in texts), "".join(t.html for t in texts),
                "\n\n".join(t.plain for t in texts))
