"""Make text from the dataset or a parameter safe to place in Markdown or HTML: it shows literally.

Each function is used at the one place where text crosses into that format; Typst is written
by pandoc from the Markdown (and by `export/filters/notebook.lua` from plain text), never from
text directly.
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


def markdown(text: str) -> str:
    """Escape every Markdown (and embedded HTML) special character with a backslash.

    Line breaks become spaces: text from a cell is inline, so it can start no block (a
    heading, a list, a table row) and cannot end a table cell.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _LINE_BREAK.sub(" ", str(text)))


def code(text: str) -> str:
    """An inline Markdown code span showing `text` literally, whatever backticks it holds."""
    text = _LINE_BREAK.sub(" ", str(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def html_text(text: str) -> str:
    """Escape text for an HTML element or attribute."""
    return html.escape(str(text), quote=True)


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
