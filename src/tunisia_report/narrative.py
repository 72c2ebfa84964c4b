"""Sentences rendered from dataset rows: every number is read from the data and footnoted.

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
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pandas as pd

from tunisia_report import escape
from tunisia_report.dates import format_date
from tunisia_report.exceptions import ReportError

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
ARTICLE = "bechri-2014"
AUTHOR_VOICE = "The author"  # figures.attributed_to when the article states a figure itself
_TABLES = {"fig": ("figures", "figure_id"), "event": ("events", "event_id"),
           "place": ("places", "place_id"), "measure": ("measures", "measure_id"),
           "source": ("sources", "source_id")}


class NarrativeError(ReportError, KeyError):
    """A template names a placeholder, an id or a field that the dataset does not have."""

    def __init__(self, placeholder: str, reason: str):
        self.placeholder = placeholder
        super().__init__(f"placeholder {{{placeholder}}}: {reason}")

    def __str__(self) -> str:
        return str(self.args[0])


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


def format_number(value, unit: str = "") -> str:
    """'8,000'; years are written without a separator ('1950')."""
    return str(int(value)) if unit == "year" else f"{int(value):,}"


def format_value(row) -> str:
    """A figure's amount as prose: the number, 'at least N', or the article's words."""
    if pd.isna(row["value"]):
        return str(row["amount_text"])
    number = format_number(row["value"], row["unit"])
    return f"at least {number}" if row["value_kind"] == "lower_bound" else number


def surname(name: str) -> str:
    """The last word of a personal name ('Mohamed Bechri' -> 'Bechri')."""
    return str(name).split()[-1]


def short_producer(producer: str) -> str:
    """The producer without a trailing 'for ...' clause, if at least three words remain.

    'The Washington Institute for Near East Policy' -> 'The Washington Institute';
    'Center for Strategic Studies' stays whole.
    """
    head = str(producer).split(" for ", 1)[0]
    return head if len(head.split()) >= 3 else str(producer)


def source_line(data, source_id: str = ARTICLE) -> str:
    """'Source: Bechri, The Washington Institute, 23 July 2014', built from the sources table."""
    return f"Source: {_source_short(data, source_id)}"


def _source_short(data, source_id: str) -> str:
    row = _row(data, "source", source_id, f"source:{source_id}")
    parts = [surname(row["author"])] if pd.notna(row["author"]) else []
    parts.append(short_producer(row["producer"]))
    if pd.notna(row["date_published"]):
        parts.append(format_date(row["date_published"], "day"))
    return ", ".join(parts)


def _row(data, kind: str, item_id: str, placeholder: str) -> pd.Series:
    table, key = _TABLES[kind]
    rows = data[table][data[table][key] == item_id]
    if rows.empty:
        raise NarrativeError(placeholder, f"no row with {key} {item_id!r} in {table}")
    return rows.iloc[0]


def _footnote(data, table: str, item_id: str) -> _Piece:
    """'Bechri, *Title*, 23 July 2014: “quote” (attribution).' for one row."""
    kind = next(k for k, (t, _) in _TABLES.items() if t == table)
    row = _row(data, kind, item_id, f"{kind}:{item_id}")
    source = _row(data, "source", row["source_id"], f"source:{row['source_id']}")
    who = surname(source["author"]) if pd.notna(source["author"]) else source["producer"]
    when = (format_date(source["date_published"], "day")
            if pd.notna(source["date_published"]) else "n.d.")
    tail = f": “{row['quote']}”"
    if table == "figures" and row["attributed_to"] != AUTHOR_VOICE:
        tail += f" ({row['attributed_to']})"
    pieces = [_literal(f"{who}, "), _emphasis(str(source["title"])), _literal(f", {when}{tail}.")]
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
    row = _row(data, kind, item_id, placeholder)
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
        "source": {"title": lambda r: r["title"], "author": lambda r: r["author"],
                   "date": lambda r: (format_date(r["date_published"], "day")
                                      if pd.notna(r["date_published"]) else "n.d.")},
    }[kind]
    if attr not in getters:
        raise NarrativeError(placeholder, f"unknown field {attr!r}; use one of {sorted(getters)}")
    text = str(getters[attr](row))
    if kind == "source" and attr == "title":
        return _emphasis(text)
    footnoted = (kind == "fig" and attr in ("", "words")) or (kind == "event" and attr == "date")
    piece = _literal(text)
    return _Piece(piece.plain, piece.markdown, piece.html, (table, item_id) if footnoted else None)


def event_date(row) -> str:
    """An event's date at its precision; a span of days as '13–14 July 2014'."""
    start, end, precision = row["start_date"], row["end_date"], row["date_precision"]
    if precision == "day" and pd.notna(start) and start != end:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{format_date(end, 'day')}"
        return f"{format_date(start, 'day')} – {format_date(end, 'day')}"
    return format_date(start if pd.notna(start) else end, precision)


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


# --- the appendix and the computed findings -------------------------------------------------


def figures_appendix(data) -> Text:
    """Every figure: amount, unit, kind, date, attribution and the article's words, as a table."""
    heads = ["Figure", "Amount", "Unit", "Kind", "Date", "Attributed to", "The article's words"]
    rows = []
    for row in data.figures.to_dict("records"):
        amount = format_value(row)
        if pd.notna(row["value"]):
            amount += f" (“{row['amount_text']}”)"
        rows.append([row["label"], amount, row["unit"], str(row["value_kind"]).replace("_", " "),
                     format_date(row["date"], row["date_precision"]), row["attributed_to"],
                     f"“{row['quote']}”"])
    md = ["| " + " | ".join(escape.markdown(h) for h in heads) + " |",
          "|" + "|".join("---" for _ in heads) + "|"]
    md += ["| " + " | ".join(escape.markdown(c) for c in r) + " |" for r in rows]
    cells = "".join("<tr>" + "".join(f"<td>{escape.html_text(c)}</td>" for c in r) + "</tr>"
                    for r in rows)
    html = ('<table class="figures-appendix"><thead><tr>'
            + "".join(f"<th>{escape.html_text(h)}</th>" for h in heads)
            + f"</tr></thead><tbody>{cells}</tbody></table>")
    plain = "\n".join(" | ".join(r) for r in [heads, *rows])
    caption = fill("Every figure the article states, as recorded in the dataset. Source: "
                   "{source:" + ARTICLE + ":title}, {source_short}.", data,
                   source_short=_source_short(data, ARTICLE))
    return Text(caption.markdown + "\n\n" + "\n".join(md), caption.html + html,
                caption.plain + "\n\n" + plain)


def finding_casualties(data) -> Text:
    """The Mount Chaambi attack and the assassinations before it, in figures."""
    killed, injured = (_row(data, "fig", f, f"fig:{f}") for f in
                       ("chaambi-soldiers-killed", "chaambi-soldiers-injured"))
    total = format_number(killed["value"] + injured["value"])
    return fill(
        "The attack in the Mount Chaambi region left {fig:chaambi-soldiers-killed} "
        "{fig:chaambi-soldiers-killed:unit} dead and {fig:chaambi-soldiers-injured} injured, "
        "{total} casualties in all (a sum the article does not state itself): the deadliest "
        "incident for the Tunisian army since {fig:chaambi-deadliest-since:words}. The article "
        "gives no date for the attack; it happened {event:chaambi-attack:date}. In "
        "{event:assassinations-2013:date}, {fig:opposition-figures-assassinated:words} prominent "
        "opposition figures had been assassinated.",
        data, total=total)


def finding_counter_terrorism(data) -> Text:
    """The counter-terrorism results, numbers and words, with who reported them."""
    ct = data.figures[data.figures["category"] == "counter-terrorism"]
    words_only = int(ct["value"].isna().sum())
    return fill(
        "According to {fig:departures-prevented:attribution}, {fig:departures-prevented} "
        "{fig:departures-prevented:unit} have been prevented from leaving the country and "
        "{fig:networks-dismantled} {fig:networks-dismantled:unit} that recruit and transport "
        "young men to Syria dismantled. In "
        "{event:february-2014-operation:date} government forces killed "
        "{fig:suspects-killed-feb-2014} {fig:suspects-killed-feb-2014:unit}. Of the {n} "
        "counter-terrorism results the article reports, {words_only} come without a number: "
        "{fig:border-crossings-foiled:words} border crossing attempts foiled, "
        "{fig:weapons-seized:words} of weapons seized, and what {fig:arrests-kerry:attribution} "
        "called “{fig:arrests-kerry:words}” arrests.",
        data, words_only=words_only, n=len(ct))


def finding_timeline(data) -> Text:
    """How the article dates its events: how many, how precisely, and the busiest month."""
    events = data.events
    precision = events["date_precision"].value_counts()
    months = events[events["date_precision"] == "month"]
    busiest = months.groupby(months["start_date"].dt.to_period("M")).size()
    month = busiest.idxmax() if len(busiest) else None
    in_month = list(months[months["start_date"].dt.to_period("M") == month]["title"])
    return fill(
        "The article dates {n} events: {day} to the day, {month_n} only to the month and "
        "{year} only to the year; {before} carry no date at all and are known only to precede "
        "publication ({event:article-published:date}). {busiest_month} is the busiest month, "
        "with {busiest_n} events: {busiest_titles}.",
        data, n=len(events), day=int(precision.get("day", 0)),
        month_n=int(precision.get("month", 0)), year=int(precision.get("year", 0)),
        before=int(precision.get("before", 0)),
        busiest_month=format_date(month.to_timestamp(), "month") if month is not None else "None",
        busiest_n=len(in_month), busiest_titles=_quoted_list(in_month))


def finding_measures(data) -> Text:
    """How far the policy measures had got, and which involve a partner country."""
    measures = data.measures
    stages = measures["stage"].value_counts()
    names = data.places.set_index("place_id")["name"]
    partnered = measures.dropna(subset=["partner_place_id"])
    with_partner = _quoted_list(f"{r.name} ({names[r.partner_place_id]}, {stage_words(r.stage)})"
                                for r in partnered.itertuples())
    counts = ", ".join(f"{int(stages[s])} {stage_words(s)}"
                       for s in measures["stage"].cat.categories[::-1] if stages.get(s, 0))
    return fill(
        "The article describes {n} policy measures: {counts}. {n_partner} involve a partner "
        "country: {with_partner}.",
        data, n=len(measures), counts=counts, n_partner=len(partnered),
        with_partner=with_partner)


def stage_words(stage: str) -> str:
    """'under-way' -> 'under way'."""
    return str(stage).replace("-", " ")


def _quoted_list(items) -> str:
    """'“a”, “b” and “c”'."""
    items = [f"“{i}”" for i in items]
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)
