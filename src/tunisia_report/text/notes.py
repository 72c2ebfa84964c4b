"""Where a passage's footnotes go and what each says: one rule for every format and edition.

A value that cites a source (a figure, an event's date, a source cited as a whole) does not
carry its own mark: a mark glued to a number reads as part of it once the text is copied or
read aloud ("14¹" becomes "141"; in Arabic it even comes before the number in reading order).
So the mark goes at the end of the clause the value is in, after its punctuation (`.`, `;`, `:`
and their Arabic forms, then any closing quote, bracket or emphasis), or at the end of the line
or passage; the values of one clause share one note.

A note cites each source, in full the first time the document cites it and in short after, then
quotes the article's words for the values it supports. A value whose words were already quoted
earlier in the document is not quoted again, and a clause left with nothing new gets no mark:
no two notes say the same thing.

Standard library only (and the package's text helpers): the exporters use it too
(`export.prose`), as does the kernel's template engine (`text.narrative`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tunisia_report.text import escape
from tunisia_report.text.i18n import N_, gettext

FORMS = ("plain", "markdown", "html")
# A note: the source's citation (citeproc's, in the report's CSL style: in full for a source's
# first note, then short), then the article's words.
CITED_NOTE = N_("{citation}: {quote}{attribution}.")

# A clause ends at its punctuation followed by a space or the end (escaped in Markdown text), or
# at a line's end; the mark follows any closing quote, bracket, emphasis or isolate.
_END = re.compile(r"\\?[.;:!?\u061b\u061f](?=\s|$)|(?=\n)")
_CLOSERS = re.compile(r"(?:\\?[*_\u201d\u2019\u00bb)\]\"'\u2069]|&quot;|&#x27;|\u00a0\u00bb|"
                      r"\u202f\u00bb)*")


@dataclass
class Cited:
    """One value's citation: the row it quotes ('figures/ID'; None for a source cited as a
    whole), its source, the source's citation (`full` and `short`, each a dict of FORMS) and the
    article's words with their attribution (a dict of FORMS, and under ``words`` the words
    alone; or None)."""

    row: str | None
    source: str
    full: dict
    short: dict
    quote: dict | None = None

    @classmethod
    def from_payload(cls, note: dict) -> Cited:
        """From an inline expression's stored note (`text.narrative.inline`)."""
        return cls(note.get("row"), note["source"], note["full"], note["short"],
                   note.get("quote"))


@dataclass
class Segment:
    """A piece of a passage in each of FORMS; `literal` text is searched for a clause's end,
    and a value may cite sources."""

    plain: str
    markdown: str
    html: str
    literal: bool = True
    cites: list[Cited] = field(default_factory=list)


class Tracker:
    """What the document has cited so far: sources (their next citation is short) and quoted
    rows (not quoted again). `full_always` cites in full every time (no tracking)."""

    def __init__(self, full_always: bool = False):
        self.sources: set[str] = set()
        self.rows: set[str] = set()
        self.full_always = full_always

    def note(self, cites: list[Cited]) -> dict | None:
        """The note for a clause's citations (a dict of FORMS), or None if it adds nothing."""
        by_source: dict[str, list[Cited]] = {}
        for cite in cites:
            if cite.row is not None and cite.row in self.rows:
                continue  # its words were quoted before
            by_source.setdefault(cite.source, []).append(cite)
        if not by_source:
            return None
        parts = []
        for source, group in by_source.items():
            short = source in self.sources and not self.full_always
            self.sources.add(source)
            citation = group[0].short if short else group[0].full
            quotes, seen = [], set()
            for cite in group:
                if cite.row is not None:
                    self.rows.add(cite.row)
                if cite.quote is not None and cite.quote["plain"] not in seen:
                    seen.add(cite.quote["plain"])
                    quotes.append(cite.quote)
            # a quote inside another of the same note says nothing more
            quotes = [q for q in quotes if not any(
                q is not o and q.get("words", q["plain"]) in o.get("words", o["plain"])
                for o in quotes)]
            parts.append(_part(citation, quotes))
        return {f: " ".join(p[f] for p in parts) for f in FORMS}


def _part(citation: dict, quotes: list[dict]) -> dict:
    """'Citation: “a”; “b”.' (or 'Citation.' without quotes) in each of FORMS."""
    if not quotes:
        return {f: citation[f] + "." for f in FORMS}
    template = gettext(CITED_NOTE)
    sep = gettext("; ")
    out = {}
    for f in FORMS:
        literal = {"plain": str, "markdown": escape.markdown, "html": escape.html_text}[f]
        quoted = literal(sep).join(q[f] for q in quotes)
        out[f] = _compose(template, literal, citation=citation[f], quote=quoted, attribution="")
    return out


def _compose(template: str, literal, **values: str) -> str:
    """A template whose placeholders are all given, its own words made safe by `literal`."""
    out, position = [], 0
    for match in re.finditer(r"\{(\w+)\}", template):
        out += [literal(template[position:match.start()]), values[match.group(1)]]
        position = match.end()
    return "".join(out) + literal(template[position:])


def _clause_end(text: str) -> int | None:
    """Where a mark goes in a literal text: after the first clause end, or None."""
    match = _END.search(text)
    if match is None:
        return None
    return _CLOSERS.match(text, match.end()).end()


def place(segments: list[Segment], key: str, tracker: Tracker):
    """The passage with its marks at clause ends: ({form: text}, [note dict of FORMS, ...]).

    Marks are ``[^KEY-N]`` in Markdown, ``<sup><a …>N</a></sup>`` in HTML and ``[N]`` in plain
    text; the caller appends the notes in each format."""
    # Where each citing value's clause ends: (segment index, offset per form) or the end.
    groups: dict[tuple, list[Cited]] = {}
    for index, segment in enumerate(segments):
        if not segment.cites:
            continue
        where = None
        for later in range(index + 1, len(segments)):
            if not segments[later].literal:
                continue
            ends = {f: _clause_end(getattr(segments[later], f)) for f in FORMS}
            if all(end is not None for end in ends.values()):
                where = (later, tuple(ends[f] for f in FORMS))
                break
        groups.setdefault(where or (len(segments), None), []).extend(segment.cites)
    marks: dict[tuple, int] = {}
    notes: list[dict] = []
    for where in sorted(groups, key=lambda w: (w[0], w[1] or ())):
        note = tracker.note(groups[where])
        if note is not None:
            notes.append(note)
            marks[where] = len(notes)
    out = {f: [] for f in FORMS}
    for index, segment in enumerate(segments):
        here = [(w, n) for w, n in marks.items() if w[0] == index]
        for i, f in enumerate(FORMS):
            text, position = getattr(segment, f), 0
            for (_, offsets), n in sorted(here, key=lambda m: m[0][1][i]):
                out[f] += [text[position:offsets[i]], _mark(f, key, n)]
                position = offsets[i]
            out[f].append(text[position:])
    for (index, _), n in marks.items():
        if index == len(segments):  # at the passage's end, before its trailing space, and
            # apart from a number that ends it (a narrow no-break space)
            apart = "\u202f" if "".join(out["plain"]).rstrip()[-1:].isdigit() else ""
            for f in FORMS:
                text = "".join(out[f])
                stripped = text.rstrip()
                out[f] = [stripped, apart, _mark(f, key, n), text[len(stripped):]]
    return {f: "".join(out[f]) for f in FORMS}, notes


def _mark(form: str, key: str, n: int) -> str:
    if form == "markdown":
        return f"[^{key}-{n}]"
    if form == "html":
        return f'<sup><a href="#fn-{key}-{n}" id="fnref-{key}-{n}">{n}</a></sup>'
    return f"[{n}]"


def definitions(notes: list[dict], key: str) -> dict[str, str]:
    """The notes in each form, to follow the passage ('' if none): Markdown footnote
    definitions, an HTML list and numbered plain lines."""
    if not notes:
        return {f: "" for f in FORMS}
    return {
        "markdown": "\n\n" + "\n".join(f"[^{key}-{n}]: {note['markdown']}"
                                       for n, note in enumerate(notes, 1)),
        "plain": "\n\n" + "\n".join(f"[{n}] {note['plain']}" for n, note in enumerate(notes, 1)),
        "html": '<ol class="footnotes">' + "".join(
            f'<li id="fn-{key}-{n}">{note["html"]} <a href="#fnref-{key}-{n}">↩</a></li>'
            for n, note in enumerate(notes, 1)) + "</ol>",
    }
