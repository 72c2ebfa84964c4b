"""The report's written prose: Markdown cells with inline expressions, translated per paragraph.

An analyst writes a Markdown cell in English, with MyST's inline role for every number, date and
name: ``{eval}`ref("fig:chaambi-soldiers-killed")```. A *paragraph* (text between blank lines)
is the unit of translation: its English text, expressions included, is the catalogue's msgid,
and its translation keeps the same expressions. `extract_notebook` is the Babel extractor that
`make messages` runs on the report notebook (babel.cfg).

Standard library only: the exporters and Babel import it without the plotting stack.
"""

from __future__ import annotations

import json
import re

EVAL = re.compile(r"(?<!`)\{eval\}`([^`]+)`")  # not in a code span: ``{eval}`x` ``
SECTION_TAG = "section:"  # a section's heading cell (its words are the messages of SECTIONS)
REMOVED = frozenset({"remove-cell", "remove_cell", "hide-cell", "hide_cell"})
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def source(cell) -> str:
    """A cell's source as one string (nbformat allows a list of lines)."""
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)


def expressions(text: str) -> list[str]:
    """The inline expressions of a text, each once, in order."""
    return list(dict.fromkeys(match.group(1) for match in EVAL.finditer(text)))


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a Markdown text: its blocks between blank lines, stripped."""
    return [p.strip() for p in _BLANK_LINE.split(text.strip()) if p.strip()]


def is_prose(cell) -> bool:
    """A Markdown cell the report shows and translates: not a section heading (translated from
    SECTIONS), not one the exports drop."""
    tags = set((cell.get("metadata") or {}).get("tags") or [])
    return (cell.get("cell_type") == "markdown" and not tags & REMOVED
            and not any(t.startswith(SECTION_TAG) for t in tags) and bool(source(cell).strip()))


def where(notebook: str, index: int, cell) -> str:
    """'report.ipynb, cell 4 (summary-facts)': how a message names its cell."""
    cell_id = cell.get("id")
    return f"{notebook}, cell {index}" + (f" ({cell_id})" if cell_id else "")


def extract_notebook(fileobj, keywords, comment_tags, options):
    """Babel extractor: each paragraph of the notebook's prose cells, as one message whose
    comment names the notebook and cell id (yields lineno, funcname, message, comments)."""
    nb = json.loads(fileobj.read().decode("utf-8"))
    name = getattr(fileobj, "name", "notebook.ipynb").rsplit("/", 1)[-1]
    for index, cell in enumerate(nb.get("cells", [])):
        if is_prose(cell):
            for paragraph in paragraphs(source(cell)):
                yield index + 1, None, paragraph, [f"{name}, cell {cell.get('id') or index}"]
