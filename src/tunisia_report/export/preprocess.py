"""Notebook-in, notebook-out transforms shared by the PDF and HTML exporters.

`resolve_metadata` decides title, subtitle, author, date, source line and whether code is shown;
the `Preprocessor` classes hide code, drop tagged cells, drop the heading that repeats the title,
number the figures and (for pandoc) reduce every output to the one representation to render.
"""

from __future__ import annotations

import contextvars
import copy
import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool, List, Unicode

from tunisia_report.display import FIGURE_ATTR, FIGURE_KEY, FIGURE_NUMBER, METADATA_KEY
from tunisia_report.parameters import (
    RECORD_MIME,
    cell_source,
    checked_parameters,
    declared_parameters,
    project_report_date,
    stale_parameters,
)
from tunisia_report.report.sections import TITLE_BLOCK, furniture, title_block
from tunisia_report.text import i18n
from tunisia_report.text.dates import format_day

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


@dataclass(frozen=True)
class ReportMetadata:
    """Everything the title block, running header and PDF info need, resolved once."""

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    report_date: str | None = None
    source: str | None = None
    short_title: str | None = None
    show_code: bool = False
    lang: str = i18n.SOURCE_LANG  # the edition (the report notebook's `lang` parameter)

    @property
    def author(self) -> str | None:
        """Authors as one line: "A", "A and B", "A, B and C"."""
        if not self.authors:
            return None
        if len(self.authors) == 1:
            return self.authors[0]
        with i18n.language(self.lang):
            return i18n.gettext("{items} and {last}").format(
                items=i18n.gettext(", ").join(self.authors[:-1]), last=self.authors[-1])

    @property
    def date_iso(self) -> str | None:
        """The report date as ``YYYY-MM-DD`` if it is a date, else None."""
        parsed = _parse_date(self.report_date)
        return parsed.isoformat() if parsed else None

    @property
    def date(self) -> str | None:
        """The report date for readers: an ISO date becomes "23 July 2014"."""
        parsed = _parse_date(self.report_date)
        if parsed is None:
            return self.report_date
        with i18n.language(self.lang):
            return format_day(parsed)

    @property
    def edition(self) -> i18n.Edition:
        """The edition's language tag, direction and font."""
        return i18n.edition(self.lang)

    @property
    def furniture(self) -> dict[str, str]:
        """The template's own words in the edition's language ('Analysis', 'Source:', ...)."""
        with i18n.language(self.lang):
            return furniture()


def resolve_metadata(nb: Mapping) -> ReportMetadata:
    """Resolve the report's metadata, key by key, from the first source that has it.

    Order: the parameters the notebook's own check recorded when it ran (read as the run read
    them: a list given as text is a list; see `parameters.check_notebook_parameters`); papermill's
    ``nb.metadata.papermill.parameters``; the literal assignments of the code
    cell tagged ``parameters`` (read with `ast`, never executed); for `title`, `subtitle` and
    `author` parameters whose default in the cell is "", the edition's words
    (`report.sections.TITLE_BLOCK` in the `lang` resolved so far); ``nb.metadata.tunisia_report``;
    ``nb.metadata.title`` / ``nb.metadata.authors[*].name``; for the title only, the first ``# ``
    heading. Keys: ``title``, ``subtitle``, ``author``, ``report_date``, ``source``,
    ``short_title``, ``show_code``. A missing source line stays missing.
    """
    metadata = nb.get("metadata", {}) or {}
    notebook_level = dict(metadata.get(METADATA_KEY, {}) or {})
    if metadata.get("title"):
        notebook_level.setdefault("title", metadata["title"])
    names = [a.get("name") for a in metadata.get("authors", []) or [] if isinstance(a, Mapping)]
    if any(names):
        notebook_level.setdefault("author", [n for n in names if n])
    layers = [
        checked_parameters(nb),
        (metadata.get("papermill", {}) or {}).get("parameters", {}) or {},
        parameters_cell_values(nb),
    ]
    layers.append(edition_defaults(nb, _text(_pick(layers, "lang")) or i18n.SOURCE_LANG))
    layers.append(notebook_level)

    def pick(key: str):
        return _pick(layers, key)

    title = _text(pick("title")) or first_heading(nb)
    return ReportMetadata(
        title=title,
        subtitle=_text(pick("subtitle")),
        authors=_authors(pick("author")),
        report_date=_text(pick("report_date")),
        source=_text(pick("source")),
        short_title=_text(pick("short_title")),
        show_code=_truthy(pick("show_code")),
        lang=_text(pick("lang")) or i18n.SOURCE_LANG,
    )


def _pick(layers: list[Mapping], key: str):
    """The first value of `key` that is not empty, layer by layer."""
    for layer in layers:
        value = layer.get(key)
        if value is not None and value != "" and value != []:
            return value
    return None


def edition_defaults(nb: Mapping, lang: str) -> dict:
    """The edition's title, subtitle and author for those the notebook's parameters cell leaves
    empty (``title: str = ""``: "" means the edition's)."""
    try:
        declared = {p.name for p in declared_parameters(nb) if p.default == ""}
    except SyntaxError:
        return {}
    if not declared & set(TITLE_BLOCK):
        return {}
    words = title_block(lang if lang in i18n.EDITIONS else i18n.SOURCE_LANG)
    return {name: text for name, text in words.items() if name in declared}


def parameters_cell_values(nb: Mapping) -> dict:
    """Literal defaults assigned in the cell tagged ``parameters`` (others are None)."""
    try:
        return {p.name: p.default for p in declared_parameters(nb) if p.default is not None}
    except SyntaxError:  # a half-edited cell must not stop an export
        return {}


def _parameter(nb: Mapping, name: str):
    """A parameter's value: as the run's check recorded it, else papermill's, else the parameters
    cell's literal default, else None."""
    checked = checked_parameters(nb)
    if name in checked:
        return checked[name]
    papermill = (nb.get("metadata", {}) or {}).get("papermill", {}) or {}
    given = papermill.get("parameters", {}) or {}
    return given[name] if name in given else parameters_cell_values(nb).get(name)


def first_heading(nb: Mapping) -> str | None:
    """Text of the first level-1 ATX heading (``# Title``) of the markdown cells."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in cell_source(cell).splitlines():
                match = _H1.match(line)
                if match:
                    return match.group("text").strip()
    return None


def report_timestamp(meta: ReportMetadata, environ: Mapping[str, str] | None = None) -> int:
    """PDF creation time: SOURCE_DATE_EPOCH if set, else midnight UTC of the report date.

    A notebook without a report date (the analysis notebooks) takes the report's own: the
    default ``report_date`` of ``notebooks/report.ipynb``, so that no PDF says 1970.
    """
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return int(epoch)
        except ValueError:
            pass
    parsed = _parse_date(meta.report_date) or _parse_date(project_report_date())
    if parsed is None:  # no report notebook beside the package: the day of the export
        parsed = dt.datetime.now(dt.UTC).date()
    return int(dt.datetime(parsed.year, parsed.month, parsed.day, tzinfo=dt.UTC).timestamp())


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
    meta = resolve_metadata(nb)
    meta = replace(meta, show_code=bool(show_code or meta.show_code))
    findings = _parameter(nb, "findings")
    steps: list[Preprocessor] = [
        DropParameterRecord(),
        SectionHeadings(sections=_parameter(nb, "sections"), lang=meta.lang),
        ProseCells(lang=meta.lang, findings=findings is None or _truthy(findings),
                   strict=strict, notebook=name or "the notebook"),
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


def has_run(nb: Mapping) -> bool:
    """False for a notebook with code but no output in any code cell (saved before Run All), or
    with a Markdown cell whose inline expressions have no stored values (not run since edited,
    or run without jupyterlab-myst, or by papermill without ``--engine tunisia_report``)."""
    from tunisia_report.export.prose import evaluated
    from tunisia_report.text.prose import is_prose

    cells = nb.get("cells", [])
    code = [c for c in cells if c.get("cell_type") == "code" and cell_source(c).strip()]
    return ((not code or any(c.get("outputs") for c in code))
            and all(evaluated(c) for c in cells if is_prose(c)))


def executed(nb: NotebookNode, resources: Mapping | None, log) -> NotebookNode:
    """`nb` itself if it has run with the parameters it holds; else a copy executed top to
    bottom with its kernel.

    The export menu and ``jupyter nbconvert`` read the saved file: a notebook saved before Run
    All would otherwise export as headings without charts, and one whose parameters were edited
    after its last run as the new title block around the old outputs (`stale_parameters`). Runs
    in the notebook's folder (the ``metadata.path`` nbconvert passes), with the kernel the
    notebook names (``python3``, the project's, by default); a failing cell raises nbclient's
    CellExecutionError.
    """
    stale = stale_parameters(nb)
    if has_run(nb) and not stale:
        return nb
    from nbconvert.preprocessors import ExecutePreprocessor

    from tunisia_report.export.evaluate import EvaluatesMarkdown

    class Runner(EvaluatesMarkdown, ExecutePreprocessor):
        """nbconvert's runner, evaluating Markdown cells' inline expressions."""

    metadata = (resources or {}).get("metadata") or {}
    name = metadata.get("name") or "the notebook"
    if stale:
        log.warning("%s: its outputs were made with other parameters than it now holds (%s): "
                    "running it with its kernel before exporting", name, "; ".join(stale))
    else:
        log.warning("%s has no outputs or unevaluated inline expressions: running it with its "
                    "kernel before exporting", name)
    kernel = (nb.get("metadata", {}).get("kernelspec") or {}).get("name") or "python3"
    runner = Runner(kernel_name=kernel)
    copy_ = nbformat.from_dict(copy.deepcopy(dict(nb)))
    # jupyter_server runs an exporter in a worker thread holding a copy of the server's context,
    # where jupyter_core keeps the server's (running) event loop: nbclient would try to run that
    # loop again ("This event loop is already running"). In a fresh context it makes its own.
    copy_, _ = contextvars.Context().run(
        runner.preprocess, copy_, {"metadata": {"path": metadata.get("path") or "."}})
    return copy_


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
            output.metadata = {mime: {"alt": alt, FIGURE_ATTR: json.dumps(figure, sort_keys=True)}}
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


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _authors(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    names = []
    for item in value:
        name = item.get("name") if isinstance(item, Mapping) else item
        if name and str(name).strip():
            names.append(str(name).strip())
    return tuple(names)


def _truthy(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _same_text(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        s = s.translate(str.maketrans("‘’“”", "''\"\"")).replace("*", "").replace("_", "")
        return " ".join(s.split()).casefold()

    return norm(a) == norm(b)
