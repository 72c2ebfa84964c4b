"""Notebook-in, notebook-out transforms shared by the exporters (`prepare_notebook`).

The `Preprocessor` classes hide code, drop tagged cells and left-out sections, drop the heading
that repeats the title, number the figures and (for pandoc) reduce every output to the one
representation to render. The metadata they read is resolved once (`metadata`); a notebook
whose outputs are stale is run again first (`rerun`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import replace

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool, HasTraits, List, Unicode

from tunisia_report.display import FIGURE_ATTR, FIGURE_KEY, FIGURE_NUMBER, METADATA_KEY
from tunisia_report.export.metadata import ReportMetadata, resolve_metadata
from tunisia_report.parameters import (
    RECORD_MIME,
    cell_source,
)
from tunisia_report.text import i18n

SECTION_TAG = "section:"  # a Markdown heading cell tagged `section:KEY` belongs to section KEY
REMOVE_CELL_TAGS = frozenset({"remove-cell", "remove_cell", "hide-cell", "hide_cell"})
REMOVE_INPUT_TAGS = frozenset({"remove-input", "remove_input", "hide-input", "hide_input"})
REMOVE_OUTPUT_TAGS = frozenset({"remove-output", "remove_output", "hide-output", "hide_output"})

#: Preference order when an output must be reduced to one representation for pandoc.
PANDOC_MIME_ORDER = (
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/html",
    "text/plain",
)

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_H1 = re.compile(r"^#\s+(?P<text>.+?)(?:\s+#+)?\s*$")
_HEADING = re.compile(r"^(#+\s+)(.+?)\s*$", re.MULTILINE)



class ReportOptions(HasTraits):
    """The options every report exporter takes (HTML, PDF, Word), as configurable traits."""

    show_code = Bool(
        False, help="Show code cells and their printed output, whatever the notebook says."
    ).tag(config=True)

    strict = Bool(
        False, help="Refuse a paragraph the edition's catalogue does not translate."
    ).tag(config=True)

def prepare_notebook(
    nb: Mapping, *, show_code: bool = False, for_pandoc: bool = False, raster: bool = False,
    strict: bool = False, name: str | None = None,
) -> tuple[NotebookNode, ReportMetadata]:
    """A filtered copy of `nb` and its metadata; code shows if `show_code` or the notebook asks.

    Runs `DropParameterRecord`, `SectionHeadings`, `ProseCells` (the written prose, translated
    and filled; `strict`: an untranslated paragraph is an error; `name` names the notebook in its
    messages), `ReportCellFilter`, `DropTitleHeading`, `NumberFigures` and, `for_pandoc`,
    `SingleRepresentation` (charts as PNG rather than SVG if `raster`). The input notebook is
    not modified.
    """
    from tunisia_report.export.prose import ProseCells

    nb = nbformat.from_dict(copy.deepcopy(dict(nb)))
    meta = resolve_metadata(nb)  # the parameters, resolved once for every step
    meta = replace(meta, show_code=bool(show_code or meta.show_code))
    steps: list[Preprocessor] = [
        DropParameterRecord(),
        SectionHeadings(sections=meta.sections, lang=meta.lang),
        ProseCells(lang=meta.lang, findings=meta.findings, strict=strict,
                   notebook=name or "the notebook"),
        ReportCellFilter(show_code=meta.show_code),
        DropTitleHeading(title=meta.title),
        NumberFigures(),
    ]
    if for_pandoc:
        steps.append(SingleRepresentation(raster=raster))
    resources: dict = {}
    for step in steps:
        nb, resources = step.preprocess(nb, resources)
    return nb, meta


class ReportPreprocessor(Preprocessor):
    """Common base: enabled by default, so exporters can run these directly."""

    enabled = Bool(True).tag(config=True)


class DropParameterRecord(ReportPreprocessor):
    """Drop the outputs that record a run's parameters (`parameters.RECORD_MIME`): they are for
    the exporters, not the reader."""

    def preprocess(self, nb, resources):
        """Remove the record outputs of `nb` in place."""
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs
                                if RECORD_MIME not in (o.get("data", {}) or {})]
        return nb, resources


class SectionHeadings(ReportPreprocessor):
    """Drop the heading cells (tagged ``section:KEY``) of sections the render left out, with the
    Markdown cells that follow them (the section's prose), and write the others in the edition's
    language.

    `sections` is the notebook's ``sections`` parameter; None keeps every heading. The notebook
    spells its headings in English (the messages of `report.sections.SECTIONS`, which JupyterLab's
    outline shows); `lang` is the edition whose catalogue translates them.
    """

    sections = List(Unicode(), default_value=None, allow_none=True).tag(config=True)
    lang = Unicode(i18n.SOURCE_LANG).tag(config=True)

    def preprocess(self, nb, resources):
        """Keep a section's heading, and the Markdown cells after it up to the next section's
        heading, only if its section is rendered; translate the heading."""
        if self.sections is not None:
            kept, shown = [], True
            for cell in nb.cells:
                keys = [tag[len(SECTION_TAG):]
                        for tag in cell.get("metadata", {}).get("tags", []) or []
                        if tag.startswith(SECTION_TAG)]
                if keys:
                    shown = all(key in self.sections for key in keys)
                if shown or cell.cell_type != "markdown":
                    kept.append(cell)
            nb.cells = kept
        if self.lang == i18n.SOURCE_LANG:
            return nb, resources
        with i18n.language(self.lang):
            for cell in nb.cells:
                tags = cell.get("metadata", {}).get("tags", []) or []
                if cell.cell_type == "markdown" and any(t.startswith(SECTION_TAG) for t in tags):
                    cell.source = _HEADING.sub(lambda m: m.group(1) + i18n.gettext(m.group(2)),
                                               cell_source(cell))
        return nb, resources


class ReportCellFilter(ReportPreprocessor):
    """Drop tagged cells and, unless `show_code`, code inputs, streams and bare reprs.

    ``remove-cell``/``hide-cell`` drop the cell; ``remove-input``/``hide-input`` hide its source
    even with `show_code`; ``remove-output``/``hide-output`` drop its outputs. With code hidden,
    stream outputs (prints, stderr warnings) and ``execute_result`` outputs that are only
    ``text/plain`` (reprs such as ``[<matplotlib.lines.Line2D ...>]``) are dropped too, and code
    cells left with nothing to show disappear.
    """

    show_code = Bool(False, help="Show code cells and their stream outputs.").tag(config=True)

    def preprocess(self, nb, resources):
        """Filter the cells of `nb` in place."""
        kept = []
        for cell in nb.cells:
            tags = set(cell.get("metadata", {}).get("tags", []) or [])
            if tags & REMOVE_CELL_TAGS:
                continue
            if cell.cell_type == "code":
                if tags & REMOVE_OUTPUT_TAGS:
                    cell.outputs = []
                if not self.show_code:
                    cell.outputs = [o for o in cell.outputs if _shown_without_code(o)]
                if not self.show_code or tags & REMOVE_INPUT_TAGS or not cell_source(cell).strip():
                    cell.metadata["transient"] = {"remove_source": True}
                    if not cell.outputs:
                        continue
            kept.append(cell)
        nb.cells = kept
        return nb, resources


class DropTitleHeading(ReportPreprocessor):
    """Remove the first ``# `` heading when it repeats the title shown in the title block."""

    title = Unicode(None, allow_none=True).tag(config=True)

    def preprocess(self, nb, resources):
        """Drop the heading line (and its cell if that leaves it empty)."""
        if not self.title:
            return nb, resources
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "markdown":
                continue
            lines = cell_source(cell).splitlines()
            for number, line in enumerate(lines):
                match = _H1.match(line)
                if not match:
                    continue
                if _same_text(match.group("text"), self.title):
                    rest = "\n".join(lines[:number] + lines[number + 1 :]).strip("\n")
                    if rest.strip():
                        cell.source = rest
                    else:
                        del nb.cells[index]
                return nb, resources
        return nb, resources


class NumberFigures(ReportPreprocessor):
    """Write ``number`` (1, 2, ...) into each chart's ``tunisia_report.figure`` metadata, and
    drop the chart's ``text/markdown`` (its PNG with alt text, for JupyterLab), which nbconvert
    would otherwise rank above the SVG."""

    def preprocess(self, nb, resources):
        """Number charts in reading order."""
        number = 0
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                figure = figure_info(output)
                if figure is not None:
                    number += 1
                    figure[FIGURE_NUMBER] = number
                    output.get("data", {}).pop("text/markdown", None)
        return nb, resources


class SingleRepresentation(ReportPreprocessor):
    """Reduce each rich output to the single representation pandoc should render.

    pandoc ranks ``text/plain`` above raw Markdown/HTML for Typst, so each output keeps only the
    first of `PANDOC_MIME_ORDER`. A chart keeps its SVG (else PNG) and carries its figure info as
    the `FIGURE_ATTR` image attribute. Hidden sources become empty; ANSI colours are stripped.
    """

    raster = Bool(False, help="Charts as PNG (Word), not SVG.").tag(config=True)

    def preprocess(self, nb, resources):
        """Reduce outputs of `nb` in place."""
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if cell.metadata.get("transient", {}).get("remove_source"):
                cell.source = ""
            for output in cell.outputs:
                _reduce_output(output, self.raster)
        return nb, resources


def figure_info(output: Mapping) -> dict | None:
    """The ``tunisia_report.figure`` metadata of a chart output, or None."""
    if output.get("output_type") not in ("display_data", "execute_result"):
        return None
    figure = (output.get("metadata", {}) or {}).get(METADATA_KEY, {}) or {}
    figure = figure.get(FIGURE_KEY)
    return figure if isinstance(figure, dict) else None


def bidi_isolated(figure: dict) -> dict:
    """The figure info with its title, caption and source line (plain text, which the Lua filter
    places in the PDF and in Word's caption) isolated (`escape.isolate_bidi`)."""
    from tunisia_report.text.escape import isolate_bidi

    return {key: isolate_bidi(value) if key in ("title", "caption", "source")
            and isinstance(value, str) else value for key, value in figure.items()}


def _reduce_output(output, raster: bool = False) -> None:
    kind = output.get("output_type")
    if kind == "stream":
        output.text = _ANSI.sub("", _joined(output.get("text", "")))
        return
    if kind == "error":
        output.traceback = [_ANSI.sub("", line) for line in output.get("traceback", [])]
        return
    if kind not in ("display_data", "execute_result"):
        return
    data, metadata = output.get("data", {}), output.get("metadata", {}) or {}
    figure = figure_info(output)
    if figure is not None:
        order = ("image/png", "image/svg+xml") if raster else ("image/svg+xml", "image/png")
        mime = next((m for m in order if m in data), None)
        if mime is not None:
            alt = figure.get("alt") or (metadata.get(mime, {}) or {}).get("alt", "")
            output.data = {mime: data[mime]}
            output.metadata = {mime: {"alt": alt, FIGURE_ATTR: json.dumps(
                bidi_isolated(figure), sort_keys=True)}}
            return
    mime = next((m for m in PANDOC_MIME_ORDER if m in data), None)
    if mime is None:
        output.data, output.metadata = {}, {}
        return
    output.data = {mime: data[mime]}
    output.metadata = {mime: metadata[mime]} if isinstance(metadata.get(mime), dict) else {}


def _shown_without_code(output: Mapping) -> bool:
    kind = output.get("output_type")
    if kind == "stream":
        return False
    if kind == "execute_result":
        return set(output.get("data", {})) - {"text/plain"} != set()
    return True


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _same_text(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        s = s.translate(str.maketrans("‘’“”", "''\"\"")).replace("*", "").replace("_", "")
        return " ".join(s.split()).casefold()

    return norm(a) == norm(b)
