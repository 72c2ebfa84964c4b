"""The written prose into the exports: Markdown cells translated per paragraph, their inline
expressions replaced by the values the kernel stored, as text.

A prose cell (`text.prose.is_prose`) with inline expressions, or in an edition other than
English, becomes narrative output (`display`'s contract: Markdown with ``[^n]`` footnotes, HTML,
plain text), exactly as a computed text is shown. Values cross into Markdown and HTML here, and
only here, escaped; a figure's note goes at the end of its clause, citing its source in full the
first time the source appears in reading order, then in short (`text.notes`). A paragraph
whose value says its data is missing becomes "A passage is left out: …". A paragraph the
edition's catalogue lacks is shown in English, marked "(not yet
translated)", and named on stderr (notebook, cell, msgid); `strict` makes it an error.
"""

from __future__ import annotations

import hashlib
import sys

import nbformat

from tunisia_report.display import EXPRESSIONS_KEY, INLINE_MIME
from tunisia_report.exceptions import ExportError, TranslationError, UntranslatedError
from tunisia_report.report.sections import LEFT_OUT, UNTRANSLATED
from tunisia_report.text import escape, i18n, notes
from tunisia_report.text.prose import EVAL, expressions, is_prose, paragraphs, source, where

FINDING_TAG = "finding"  # a written finding under a chart: left out with `findings = False`


def stored_results(cell) -> dict[str, dict]:
    """expression -> its stored result, as the kernel returned it."""
    entries = (cell.get("metadata") or {}).get(EXPRESSIONS_KEY) or []
    return {e.get("expression"): e.get("result") or {} for e in entries if isinstance(e, dict)}


def evaluated(cell) -> bool:
    """Whether every expression of the cell has a stored result."""
    results = stored_results(cell)
    return all(e in results for e in expressions(source(cell)))


def translate(paragraph: str) -> str | None:
    """The paragraph in the active edition, or None if its catalogue has no translation."""
    if i18n.active() == i18n.SOURCE_LANG:
        return paragraph
    try:
        return i18n.gettext(paragraph)
    except TranslationError:
        return None


class Paragraph:
    """One paragraph filled with its values: Markdown, HTML and plain text, with footnotes."""

    def __init__(self, text: str, results: dict[str, dict], tracker: notes.Tracker,
                 label: str):
        self.text, self.results, self.tracker, self.label = text, results, tracker, label

    def value(self, expression: str) -> dict:
        result = self.results.get(expression)
        if result is None:
            raise ExportError(f"{self.label}: the inline expression {{eval}}`{expression}` has "
                              "no value; run the notebook (Run All) before exporting")
        if result.get("status") != "ok":
            raise ExportError(f"{self.label}: the inline expression {{eval}}`{expression}` "
                              f"raised {result.get('ename')}: {result.get('evalue')}")
        data = result.get("data") or {}
        if INLINE_MIME in data:
            return data[INLINE_MIME]
        plain = str(data.get("text/plain", ""))
        return {"plain": plain, "markdown": escape.markdown(plain),
                "html": escape.html_text(plain), "note": None}

    def render(self, marker: str = "") -> tuple[str, str, str]:
        """(markdown, html, plain); `marker` follows the paragraph in emphasis. Notes go at
        clause ends, one per clause, each source cited in full once, each quote given once in
        the document (`text.notes`)."""
        values = [self.value(m.group(1)) for m in EVAL.finditer(self.text)]
        missing = next((v["left_out"] for v in values if v.get("left_out")), None)
        if missing is not None:
            sentence = i18n.gettext(LEFT_OUT).format(reason=missing)
            return (escape.markdown(sentence), f"<p>{escape.html_text(sentence)}</p>", sentence)
        key = hashlib.sha1(self.text.encode()).hexdigest()[:6]
        segments, position = [], 0
        for match, value in zip(EVAL.finditer(self.text), values, strict=True):
            literal = self.text[position:match.start()]
            segments.append(notes.Segment(literal, literal, literal))
            note = value.get("note")
            # (the HTML is made from the Markdown, below)
            segments.append(notes.Segment(
                value["plain"], value["markdown"], value["markdown"], literal=False,
                cites=[notes.Cited.from_payload(note)] if note else []))
            position = match.end()
        rest = self.text[position:]
        segments.append(notes.Segment(rest, rest, rest))
        text, found = notes.place(segments, key, self.tracker)
        md, for_html, plain = text["markdown"], text["html"], text["plain"]
        if marker:
            md += f" *{escape.markdown(marker)}*"
            for_html += f" *{escape.markdown(marker)}*"
            plain += f" {marker}"
        after = notes.definitions(found, key)
        return (md + after["markdown"], _markdown_to_html(for_html) + after["html"],
                plain + after["plain"])


def _markdown_to_html(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text).strip()


class ProseCells:
    """Turn a notebook's prose cells into narrative outputs (see the module docstring)."""

    def __init__(self, lang: str = i18n.SOURCE_LANG, findings: bool = True,
                 strict: bool = False, notebook: str = "the notebook"):
        self.lang, self.findings, self.strict, self.notebook = lang, findings, strict, notebook

    def preprocess(self, nb, resources):
        tracker = notes.Tracker()  # sources cited and quotes given, in reading order
        untranslated: list[str] = []
        kept = []
        with i18n.language(self.lang):
            for index, cell in enumerate(nb.cells):
                if not is_prose(cell):
                    kept.append(cell)
                    continue
                tags = (cell.get("metadata") or {}).get("tags") or []
                if FINDING_TAG in tags and not self.findings:
                    continue
                text = source(cell)
                if not expressions(text) and self.lang == i18n.SOURCE_LANG:
                    kept.append(cell)  # plain Markdown, as written
                    continue
                label = where(self.notebook, index, cell)
                results = stored_results(cell)
                forms = []
                for number, paragraph in enumerate(paragraphs(text), 1):
                    translated = translate(paragraph)
                    marker = ""
                    if translated is None:
                        untranslated.append(
                            f"{label}, paragraph {number}: no {self.lang!r} translation of msgid "
                            f"{_shorten(paragraph)!r} in {i18n.catalogue_path(self.lang)}")
                        translated, marker = paragraph, i18n.gettext(UNTRANSLATED)
                    md, html, plain = Paragraph(translated, results, tracker, label).render(marker)
                    english = ' lang="en" dir="ltr"' if marker else ""
                    forms.append((md, f'<div class="narrative"{english}>{html}</div>', plain))
                kept.append(_narrative_cell(cell, forms))
        nb.cells = kept
        if untranslated:
            message = "\n".join(untranslated)
            if self.strict:
                raise UntranslatedError(f"paragraphs with no translation (run `make messages` "
                                        f"and translate them):\n{message}")
            print(f"warning: shown in English, not yet translated:\n{message}", file=sys.stderr)
        return nb, resources


def _narrative_cell(cell, forms: list[tuple[str, str, str]]):
    """A code cell without source whose one output is the prose as narrative."""
    data = {"text/markdown": "\n\n".join(f[0] for f in forms),
            "text/html": "".join(f[1] for f in forms),
            "text/plain": "\n\n".join(f[2] for f in forms)}
    metadata = {k: v for k, v in (cell.get("metadata") or {}).items() if k != EXPRESSIONS_KEY}
    new = nbformat.v4.new_code_cell(
        source="", metadata=metadata,
        outputs=[nbformat.v4.new_output("display_data", data=data)])
    if cell.get("id"):
        new["id"] = cell["id"]
    return new


def _shorten(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
