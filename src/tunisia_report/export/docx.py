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

import copy
import logging
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from lxml import etree
from traitlets import default

from tunisia_report.export.archive import read_zip, write_zip
from tunisia_report.export.docx_origins import ORIGINS_FILTER
from tunisia_report.export.metadata import ReportMetadata, report_timestamp
from tunisia_report.export.pandoc import PandocExporter, edition_values, run_pandoc
from tunisia_report.export.preprocess import prepare_notebook
from tunisia_report.export.reference_docx import REFERENCE_DOCX, W

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
        docx = run_docx_pandoc(nb, meta, work, metadata.get("path") or None, logger)
    return finish_package(docx, meta)


def run_docx_pandoc(nb, meta: ReportMetadata, work: Path, resource_path: str | None,
                    logger: logging.Logger) -> bytes:
    """pandoc's DOCX for a prepared notebook."""
    values = {
        "title": meta.title, "subtitle": meta.subtitle, "author": meta.author,
        "date": meta.date, "lang": meta.edition.tag, "dir": meta.edition.direction,
        "figure": meta.furniture.get("figure"), **edition_values(meta),
    }
    out = work / "report.docx"
    args = [f"--output={out}", f"--reference-doc={REFERENCE_DOCX}"]
    # pandoc dates the package's parts from SOURCE_DATE_EPOCH: the report's date, as the PDF.
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(report_timestamp(meta))}
    # the origins filter reads the cells before notebook.lua rewrites them into the report
    run_pandoc(nb, work, "docx", values, extra_args=args, resource_path=resource_path, env=env,
               logger=logger, first_filters=[ORIGINS_FILTER])
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
    page_setup(root)
    fit_images(root)
    captions_above(root)
    table_columns(root)
    for restart in root.iter(_w("numRestart")):  # pandoc's "eachSect": LibreOffice restarts
        restart.set(_w("val"), "continuous")  # at every chapter; the notes run 1, 2, 3 ...
    if rtl:
        for paragraph in root.iter(_w("p")):
            _mark(_first_child(paragraph, "pPr"), "bidi")
        for section in root.iter(_w("sectPr")):
            _mark(section, "bidi")
        latin_runs(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# A4 with the PDF's margins (templates/report.typ), in twentieths of a point.
A4_TWIPS = (11906, 16838)
MARGINS_TWIPS = {"left": 1417, "right": 1417, "top": 1701, "bottom": 1474}
EMU_PER_TWIP = 635
# No chart taller than this share of the text's height: a taller one leaves the page before it
# half empty.
MAX_IMAGE_SHARE = 0.55
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def page_setup(root) -> None:
    """Every section on A4 with the PDF's margins (pandoc's reference document is Letter)."""
    for section in root.iter(_w("sectPr")):
        size = _first_child(section, "pgSz")
        size.set(_w("w"), str(A4_TWIPS[0]))
        size.set(_w("h"), str(A4_TWIPS[1]))
        margins = section.find(_w("pgMar"))
        if margins is None:
            margins = etree.SubElement(section, _w("pgMar"))
        for side, value in MARGINS_TWIPS.items():
            margins.set(_w(side), str(value))


def fit_images(root) -> None:
    """Charts no wider than the text and no taller than `MAX_IMAGE_SHARE` of its height,
    keeping their proportions."""
    width = (A4_TWIPS[0] - MARGINS_TWIPS["left"] - MARGINS_TWIPS["right"]) * EMU_PER_TWIP
    height = (A4_TWIPS[1] - MARGINS_TWIPS["top"] - MARGINS_TWIPS["bottom"]) * EMU_PER_TWIP
    for extent in root.iter(f"{{{WP}}}extent"):
        cx, cy = int(extent.get("cx")), int(extent.get("cy"))
        scale = min(1.0, width / cx if cx else 1.0, MAX_IMAGE_SHARE * height / cy if cy else 1.0)
        if scale >= 1.0:
            continue
        new = {"cx": str(int(cx * scale)), "cy": str(int(cy * scale))}
        inline = extent.getparent()
        for ext in [extent, *inline.iter(f"{{{A}}}ext")]:
            if ext.get("cx") == str(cx) and ext.get("cy") == str(cy):
                ext.set("cx", new["cx"])
                ext.set("cy", new["cy"])


def captions_above(root) -> None:
    """Chart captions as Word captions (the Caption style, so Word's table of figures finds
    them), above their chart as in the PDF and kept with it."""
    for caption in list(root.iter(_w("p"))):
        style = caption.find(f"{_w('pPr')}/{_w('pStyle')}")
        if style is None or style.get(_w("val")) != "ImageCaption":
            continue
        style.set(_w("val"), "Caption")
        _mark(_first_child(caption, "pPr"), "keepNext")
        image = caption.getprevious()
        if image is not None and next(image.iter(f"{{{WP}}}inline"), None) is not None:
            image.addprevious(caption)
            # pandoc's Captioned Figure keeps the chart with what follows (its caption, which
            # was below): now that would chain it to the next paragraph and heading.
            if image.tag == _w("p"):
                _first_child(_first_child(image, "pPr"), "keepNext", 1).set(_w("val"), "0")


# No table column narrower than this (twips, 1.6 cm): the shares notebook.lua gives by
# characters left a 0.8 cm column that split Arabic words mid-word.
MIN_COLUMN_TWIPS = 900


def table_columns(root) -> None:
    """Tables laid out to their contents (Word and LibreOffice then never break a word inside
    a column), from the column shares pandoc wrote, none narrower than `MIN_COLUMN_TWIPS`."""
    for table in root.iter(_w("tbl")):
        props = table.find(_w("tblPr"))
        layout = props.find(_w("tblLayout")) if props is not None else None
        if layout is not None:
            props.remove(layout)
        columns = table.findall(f"{_w('tblGrid')}/{_w('gridCol')}")
        widths = [int(c.get(_w("w"), "0")) for c in columns]
        if not widths or min(widths) >= MIN_COLUMN_TWIPS:
            continue
        total = sum(widths)
        narrow = sum(MIN_COLUMN_TWIPS for w in widths if w < MIN_COLUMN_TWIPS)
        wide = sum(w for w in widths if w >= MIN_COLUMN_TWIPS)
        scale = max(total - narrow, 0) / wide if wide else 1
        for column, width in zip(columns, widths, strict=True):
            column.set(_w("w"), str(MIN_COLUMN_TWIPS if width < MIN_COLUMN_TWIPS
                                    else max(MIN_COLUMN_TWIPS, round(width * scale))))


def finish_notes(notes_xml: bytes) -> bytes:
    """footnotes.xml with every paragraph right to left, the separators' too (for a
    right-to-left edition), and its Latin text kept in order (`latin_runs`)."""
    root = etree.fromstring(notes_xml)
    for paragraph in root.iter(_w("p")):
        _mark(_first_child(paragraph, "pPr"), "bidi")
    latin_runs(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# Latin text inside a right-to-left paragraph: from a Latin letter to the last Latin letter or
# digit before Arabic text, an Arabic quotation mark or an isolate's edge (a URL is one), with the
# quotation marks around it and the punctuation inside them: an English quote that wraps keeps
# its marks at its own ends ('«The most ... Tunisian' / 'army since the 1950s»').
_LATIN = "A-Za-z\u00C0-\u024F"
_NOT_LATIN_SIDE = "\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF" \
    "\u00AB\u00BB\u2066-\u2069"
LATIN_SPAN = re.compile(f"(?P<open>[\u201C\u2018\u00AB]?)[{_LATIN}]"
                        f"(?:[^{_NOT_LATIN_SIDE}]*[{_LATIN}0-9)\\]])?"
                        "(?P<close>[.,;:!?\u2026]*[\u201D\u2019\u00BB])?")
_OPENER = {")": "(", "]": "["}
LRM = "\u200E"  # LEFT-TO-RIGHT MARK: a strong left-to-right character, invisible
# What follows w:rtl in a run's properties (the schema's order).
RPR_AFTER_RTL = {"cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"}


def _latin_span(match: re.Match) -> tuple[int, int]:
    """Where a `LATIN_SPAN` match starts and ends once a guillemet or bracket at one end whose
    partner is not in it is left outside (it belongs to the Arabic text around)."""
    start, end = match.span()
    text = match.string
    if match.group("open") == "\u00AB" and not (match.group("close") or "").endswith("\u00BB"):
        start += 1
    if (match.group("close") or "").endswith("\u00BB") and match.group("open") != "\u00AB":
        end = match.end() - len(match.group("close"))
    while text[end - 1] in _OPENER and (text[start:end].count(text[end - 1])
                                         > text[start:end].count(_OPENER[text[end - 1]])):
        end -= 1
    return start, end


def latin_pieces(text: str) -> list[tuple[bool, str]]:
    """`text` cut into (is Latin, piece), each Latin piece one `LATIN_SPAN`."""
    pieces, at = [], 0
    for match in LATIN_SPAN.finditer(text):
        start, end = _latin_span(match)
        if start > at:
            pieces.append((False, text[at:start]))
        pieces.append((True, text[start:end]))
        at = end
    if at < len(text):
        pieces.append((False, text[at:]))
    return pieces


def latin_runs(root) -> None:
    """In a right-to-left part, each stretch of Latin text (a URL, an English title or quote)
    a run of its own, not marked right to left and between left-to-right marks: Word reads a
    right-to-left run's quotation marks and stops as Arabic ones (an English quote came out
    reversed, ”...“), and LibreOffice, which reads only the characters, needs the marks to keep
    the stops, quotes and colons of a URL or title on its side (':http://...')."""
    for run in list(root.iter(_w("r"))):
        texts = run.findall(_w("t"))
        others = [c for c in run if c.tag not in (_w("rPr"), _w("t"))]
        if len(texts) != 1 or others or not texts[0].text:
            continue
        pieces = latin_pieces(texts[0].text)
        if not any(latin for latin, _ in pieces):
            continue
        parent, at = run.getparent(), run.getparent().index(run)
        props = run.find(_w("rPr"))
        parent.remove(run)
        for offset, (latin, piece) in enumerate(pieces):
            new = etree.Element(_w("r"))
            rpr = copy.deepcopy(props) if props is not None else etree.Element(_w("rPr"))
            new.append(rpr)
            rtl = rpr.find(_w("rtl"))
            if latin and rtl is not None:
                rpr.remove(rtl)
            elif not latin and rtl is None:
                after = [c for c in rpr if etree.QName(c).localname in RPR_AFTER_RTL]
                (after[0].addprevious if after else rpr.append)(etree.Element(_w("rtl")))
            t = etree.SubElement(new, _w("t"))
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = f"{LRM}{piece}{LRM}" if latin else piece
            parent.insert(at + offset, new)


def finish_styles(styles_xml: bytes, lang_tag: str) -> bytes:
    """styles.xml with the edition's language for complex scripts too (Word picks Arabic
    shaping and digits from ``w:lang/@w:bidi``), and the default paragraph style right to
    left: LibreOffice sets the footnote separator at the right only then."""
    root = etree.fromstring(styles_xml)
    for lang in root.iter(_w("lang")):
        lang.set(_w("bidi"), lang_tag)
    for style in root.iter(_w("style")):
        if style.get(_w("type")) == "paragraph" and style.get(_w("default")) == "1":
            _mark(_first_child(style, "pPr", len(style)), "bidi")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
WEB_LINK = re.compile(r"https?://", re.IGNORECASE)


def plain_unsafe_links(part_xml: bytes, rels_xml: bytes) -> tuple[bytes, bytes]:
    """A part (the document, its notes) and its relationships, where a link to anything but
    http(s) (a `javascript:` or `file:` address) is plain text: its runs stay, without the link
    and its link style, and its relationship goes. Unchanged when every link is http(s)."""
    rels = etree.fromstring(rels_xml)
    unsafe = {rel.get("Id"): rel for rel in rels.iter(f"{{{RELATIONSHIPS}}}Relationship")
              if rel.get("TargetMode") == "External" and rel.get("Type", "").endswith(
                  "/hyperlink") and not WEB_LINK.match(rel.get("Target", "").strip())}
    if not unsafe:
        return part_xml, rels_xml
    root = etree.fromstring(part_xml)
    for link in list(root.iter(_w("hyperlink"))):
        if link.get(R_ID) not in unsafe:
            continue
        for style in list(link.iter(_w("rStyle"))):
            if style.get(_w("val")) == "Hyperlink":
                style.getparent().remove(style)
        parent, at = link.getparent(), link.getparent().index(link)
        for offset, run in enumerate(list(link)):
            parent.insert(at + offset, run)
        parent.remove(link)
    for rel in unsafe.values():
        rels.remove(rel)
    return (etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
            etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True))


def web_links_only(parts: dict[str, bytes]) -> None:
    """`plain_unsafe_links` on the document and its notes, in place."""
    for part in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
        rels = f"word/_rels/{part.rsplit('/', 1)[1]}.rels"
        if part in parts and rels in parts:
            parts[part], parts[rels] = plain_unsafe_links(parts[part], parts[rels])


def finish_package(docx: bytes, meta: ReportMetadata) -> bytes:
    """pandoc's package finished (see the module docstring), rewritten with fixed dates."""
    parts = read_zip(docx)
    web_links_only(parts)
    rtl = meta.edition.direction == "rtl"
    parts["word/document.xml"] = finish_document(parts["word/document.xml"], rtl)
    if rtl:
        if "word/footnotes.xml" in parts:
            parts["word/footnotes.xml"] = finish_notes(parts["word/footnotes.xml"])
        parts["word/styles.xml"] = finish_styles(parts["word/styles.xml"], meta.edition.tag)
    return write_zip(parts)


class WordDocxExporter(PandocExporter):
    """nbconvert exporter to the report as a Word document (pandoc with the house reference
    document); code cells show only if `show_code` is set or the notebook's parameters ask."""

    export_from_notebook = "Word"
    output_mimetype = DOCX_MIMETYPE

    @default("file_extension")
    def _file_extension_default(self):
        return ".docx"

    def convert(self, nb, resources: dict) -> bytes:
        return notebook_to_docx(nb, show_code=self.show_code, resources=resources,
                                logger=self.log)
