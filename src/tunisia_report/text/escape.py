"""Make text from the dataset or a parameter safe to place in Markdown or HTML: it shows literally.

Each function is used at the one place where text crosses into that format; Typst is written
by pandoc from the Markdown (and by `export/filters/notebook.lua` from plain text), never from
text directly. Every one isolates the text's bidirectional controls (`isolate_bidi`), so that an
override in one field cannot reorder the text around it in any format (HTML, PDF, Word).
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote as url_quote

# The punctuation that can start or end markup in pandoc's Markdown or in the HTML it passes
# through (`%` starts a title block, `=` a setext heading, `:` a fenced div); the apostrophe is
# left to become a typographic one.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~^$@&\"=:%])")
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


_EMBEDDING = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: closed by PDF
_ISOLATE = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI: closed by PDI
_PDF, _PDI, _FSI = "\u202c", "\u2069", "\u2068"
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def isolate_bidi(text: str) -> str:
    """`text` whose bidirectional controls cannot reorder anything outside it.

    Text without embeddings or overrides, whose isolates are all closed within it, is returned
    as it is (the isolates an edition puts around a foreign name, say). Otherwise a closing
    control without its opening one inside the text is dropped (it would close one opened
    before the text), the ones left open are closed, and the whole goes between a first-strong
    isolate and its pop (U+2068 … U+2069), as HTML's `<bdi>` does."""
    text = str(text)
    if not _BIDI_CONTROL.search(text):
        return text
    opened: list[str] = []  # the closing control each open one needs, innermost last
    kept, contained = [], True
    for char in text:
        if char in _EMBEDDING or char in _ISOLATE:
            opened.append(_PDF if char in _EMBEDDING else _PDI)
            contained = contained and char in _ISOLATE
        elif char == _PDF:
            contained = False
            if not opened or opened[-1] != _PDF:
                continue
            opened.pop()
        elif char == _PDI:
            if _PDI not in opened:
                contained = False
                continue
            while opened.pop() != _PDI:  # a pop closes the embeddings opened inside it
                pass
        kept.append(char)
    if contained and not opened:
        return text
    return _FSI + "".join(kept) + "".join(reversed(opened)) + _PDI


def markdown(text: str) -> str:
    """Escape every Markdown (and embedded HTML) special character with a backslash.

    Line breaks become spaces: text from a cell is inline, so it can start no block (a
    heading, a list, a table row) and cannot end a table cell. Bidirectional controls are
    isolated (`isolate_bidi`).
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _LINE_BREAK.sub(" ", isolate_bidi(text)))


def code(text: str) -> str:
    """An inline Markdown code span showing `text` literally, whatever backticks it holds."""
    text = _LINE_BREAK.sub(" ", isolate_bidi(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def html_text(text: str) -> str:
    """Escape text for an HTML element or attribute, its bidirectional controls isolated."""
    return html.escape(isolate_bidi(text), quote=True)


def safe_url(url) -> str | None:
    """An http(s) URL with spaces and markup characters percent-encoded, or None (no link)."""
    if not isinstance(url, str) or not re.match(r"https?://", url.strip(), re.IGNORECASE):
        return None
    return url_quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~")


# A cell a spreadsheet would read as a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """A CSV cell that a spreadsheet shows as text: one that would start a formula (`=`, `+`,
    `-`, `@`, tab, carriage return) gets a leading apostrophe, the OWASP way; others as they are."""
    text = str(text)
    return "'" + text if text.startswith(_FORMULA_START) else text
