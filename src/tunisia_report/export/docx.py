"""Word (DOCX) through pandoc: ``jupyter nbconvert --to worddocx`` and `notebook_to_docx`.

The same prepared notebook as the PDF (`preprocess.prepare_notebook`), read by pandoc's ipynb
reader with ``filters/notebook.lua`` (charts become figures with alt text and a caption) and
written against ``templates/reference.docx`` (the house fonts and colours, see
`reference_docx`). The notebook's footnotes become Word footnotes and its headings Word's heading
styles. pandoc's package is then finished here, part by part: header rows repeat on every page,
a right-to-left edition has every paragraph, table and section marked so (``w:bidi``,
``w:bidiVisual``), and the archive is rewritten with fixed dates, so a render gives the same
bytes every time.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import nbformat
from lxml import etree
from nbconvert.exporters import Exporter
from traitlets import Bool, default

from tunisia_report.exceptions import ExportError
from tunisia_report.export.archive import read_zip, write_zip
from tunisia_report.export.docx_origins import ORIGINS_FILTER
from tunisia_report.export.preprocess import (
    ReportMetadata,
    executed,
    prepare_notebook,
    report_timestamp,
)
from tunisia_report.export.reference_docx import REFERENCE_DOCX, W
from tunisia_report.export.typst_pdf import LUA_FILTER, PANDOC_TIMEOUT_S
from tunisia_report.text.pandoc import pandoc_path

log = logging.getLogger(__name__)
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def notebook_to_docx(
    nb: Mapping,
    *,
    show_code: bool = False,
    resources: Mapping | None = None,
    logger: logging.Logger | None = None,
) -> bytes:
    """Render an executed notebook to DOCX bytes; identical input gives identical bytes."""
    logger = logger or log
    metadata = (resources or {}).get("metadata") or {}
    nb, meta = prepare_notebook(nb, show_code=show_code, for_pandoc=True, raster=True,
                                strict=bool((resources or {}).get("strict")),
                                name=metadata.get("name"))
    with tempfile.TemporaryDirectory(prefix="tunisia-report-docx-") as tmp:
        work = Path(tmp)
        docx = run_pandoc(nb, meta, work, metadata.get("path") or None, logger)
    return finish_package(docx, meta)


def run_pandoc(nb, meta: ReportMetadata, work: Path, resource_path: str | None,
               logger: logging.Logger) -> bytes:
    """pandoc's DOCX for a prepared notebook."""
    values = {
        "title": meta.title, "subtitle": meta.subtitle, "author": meta.author,
        "date": meta.date, "lang": meta.edition.tag, "dir": meta.edition.direction,
        "figure": meta.furniture.get("figure"),
    }
    meta_file = work / "metadata.json"
    # pandoc reads metadata values as Markdown; these are text (the values are escaped once, as
    # for the PDF), so they go in as JSON strings of Markdown-escaped text.
    from tunisia_report.text import escape

    meta_file.write_text(json.dumps({k: escape.markdown(v) if k not in ("lang", "dir") else v
                                     for k, v in values.items() if v}), encoding="utf-8")
    out = work / "report.docx"
    args = [
        pandoc_path(), "--from=ipynb", "--to=docx", f"--output={out}",
        f"--reference-doc={REFERENCE_DOCX}", f"--lua-filter={ORIGINS_FILTER}",
        f"--lua-filter={LUA_FILTER}",
        f"--metadata-file={meta_file}", f"--data-dir={work / 'no-user-data'}",
        "--ipynb-output=all", "--wrap=preserve",
    ]
    if resource_path:
        args.append(f"--resource-path={os.path.abspath(resource_path)}{os.pathsep}.")
    # pandoc dates the package's parts from SOURCE_DATE_EPOCH: the report's date, as the PDF.
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(report_timestamp(meta))}
    try:
        proc = subprocess.run(args, input=nbformat.writes(nb).encode("utf-8"),
                              capture_output=True, cwd=work, env=env,
                              timeout=PANDOC_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise ExportError(f"pandoc could not be run: {err}") from err
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise ExportError(f"pandoc failed (exit {proc.returncode}) turning the notebook into "
                          f"Word:\n{stderr}")
    for line in stderr.splitlines():
        logger.warning("pandoc: %s", line)
    return out.read_bytes()


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _first_child(parent, tag: str, position: int = 0):
    """`parent`'s child `tag`, created at `position` if it has none."""
    found = parent.find(_w(tag))
    if found is None:
        found = etree.Element(_w(tag))
        parent.insert(position, found)
    return found


def _mark(props, tag: str) -> None:
    """Add the empty flag element `tag` to a properties element, once."""
    if props.find(_w(tag)) is None:
        props.append(etree.Element(_w(tag)))


def finish_document(document_xml: bytes, rtl: bool) -> bytes:
    """document.xml with header rows repeated on each page, footnotes numbered through the whole
    document and, for a right-to-left edition, tables laid out right to left and every paragraph
    and section marked right to left."""
    root = etree.fromstring(document_xml)
    for table in root.iter(_w("tbl")):
        rows = table.findall(_w("tr"))
        if rows:  # pandoc writes the header as the first row
            _mark(_first_child(rows[0], "trPr"), "tblHeader")
        props = _first_child(table, "tblPr")
        width = _first_child(props, "tblW")  # the text's width, as the PDF's tables
        width.set(_w("type"), "pct")
        width.set(_w("w"), "5000")
        if rtl:
            _mark(props, "bidiVisual")
    for restart in root.iter(_w("numRestart")):  # pandoc's "eachSect": LibreOffice restarts
        restart.set(_w("val"), "continuous")  # at every chapter; the notes run 1, 2, 3 ...
    if rtl:
        for paragraph in root.iter(_w("p")):
            _mark(_first_child(paragraph, "pPr"), "bidi")
        for section in root.iter(_w("sectPr")):
            _mark(section, "bidi")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def finish_notes(notes_xml: bytes) -> bytes:
    """footnotes.xml with every paragraph right to left (for a right-to-left edition)."""
    root = etree.fromstring(notes_xml)
    for paragraph in root.iter(_w("p")):
        _mark(_first_child(paragraph, "pPr"), "bidi")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def finish_styles(styles_xml: bytes, lang_tag: str) -> bytes:
    """styles.xml with the edition's language for complex scripts too (Word picks Arabic
    shaping and digits from ``w:lang/@w:bidi``)."""
    root = etree.fromstring(styles_xml)
    for lang in root.iter(_w("lang")):
        lang.set(_w("bidi"), lang_tag)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def finish_package(docx: bytes, meta: ReportMetadata) -> bytes:
    """pandoc's package finished (see the module docstring), rewritten with fixed dates."""
    parts = read_zip(docx)
    rtl = meta.edition.direction == "rtl"
    parts["word/document.xml"] = finish_document(parts["word/document.xml"], rtl)
    if rtl:
        if "word/footnotes.xml" in parts:
            parts["word/footnotes.xml"] = finish_notes(parts["word/footnotes.xml"])
        parts["word/styles.xml"] = finish_styles(parts["word/styles.xml"], meta.edition.tag)
    return write_zip(parts)


class WordDocxExporter(Exporter):
    """nbconvert exporter to the report as a Word document (pandoc with the house reference
    document); code cells show only if `show_code` is set or the notebook's parameters ask."""

    export_from_notebook = "Word"
    output_mimetype = DOCX_MIMETYPE

    show_code = Bool(
        False, help="Show code cells and their printed output, whatever the notebook says."
    ).tag(config=True)

    @default("file_extension")
    def _file_extension_default(self):
        return ".docx"

    def from_notebook_node(self, nb, resources=None, **kw):
        """Convert a notebook node to ``(docx_bytes, resources)``."""
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        nb_copy = executed(nb_copy, resources, self.log)
        docx = notebook_to_docx(nb_copy, show_code=self.show_code, resources=resources,
                                logger=self.log)
        resources["output_extension"] = ".docx"
        resources.pop("outputs", None)
        return docx, resources
