"""`ReportHTMLExporter`: the report as one self-contained, script-free HTML page.

JupyterLab's template with ``templates/report.html.j2`` on top: a title block, code hidden unless
asked for (same rule as the PDF), every image an ``<img>`` with a data URI and its alt text,
charts as numbered ``<figure>``s with caption and source, no CDN scripts and no random ids.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import jinja2
from bs4 import BeautifulSoup, Comment, Doctype
from lxml import etree
from nbconvert.exporters import HTMLExporter
from traitlets import default

from tunisia_report.export import CONTENT_SECURITY_POLICY
from tunisia_report.export.preprocess import ReportOptions, prepare_notebook
from tunisia_report.export.rerun import executed

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
# Text that must keep its straight quotes: code, and what is not text at all.
_LITERAL_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style", "textarea"})
# A quote after one of these (or at the start) opens; anywhere else it closes or is an apostrophe.
_BEFORE_OPENING = frozenset(" \t\n\u00a0([{\u2014\u2013-/")
_CURLY = {('"', True): "\u201c", ('"', False): "\u201d",
          ("'", True): "\u2018", ("'", False): "\u2019"}


def notebook_to_html(
    nb: Mapping, *, show_code: bool = False, resources: Mapping | None = None
) -> str:
    """Render an executed notebook to one self-contained HTML page (identical input, same text)."""
    exporter = ReportHTMLExporter(show_code=show_code)
    html, _ = exporter.from_notebook_node(nb, resources=dict(resources or {}))
    return html


class _CompiledTemplates(jinja2.BytecodeCache):
    """The templates compiled once per process, not once per exporter: nbconvert gives each
    exporter a Jinja environment of its own, which compiled the page's templates again for
    every notebook a render exports (0.42 s each, measured). Keyed, as Jinja's file cache is,
    by the template's name and source."""

    def __init__(self):
        self._code: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket):
        checksum, code = self._code.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = (bucket.checksum, bucket.code)


_COMPILED_TEMPLATES = _CompiledTemplates()


class ReportHTMLExporter(ReportOptions, HTMLExporter):
    """nbconvert exporter to the report's standalone HTML page (no scripts, no external files)."""

    export_from_notebook = "HTML (report)"

    @default("template_name")
    def _template_name_default(self):
        return "lab"

    @default("template_file")
    def _template_file_default(self):
        return "report.html.j2"

    @default("extra_template_paths")
    def _extra_template_paths_default(self):
        return [str(TEMPLATE_DIR)]

    @default("embed_images")
    def _embed_images_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    @default("mathjax_url")
    def _mathjax_url_default(self):
        return ""

    @default("require_js_url")
    def _require_js_url_default(self):
        return ""

    def default_filters(self):
        yield from super().default_filters()
        yield "csv_table", csv_table

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = _COMPILED_TEMPLATES
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        """Convert a notebook node to ``(html, resources)``."""
        nb = executed(nb, resources, self.log)
        given = resources or {}
        prepared, meta = prepare_notebook(
            nb, show_code=self.show_code, strict=bool(given.get("strict") or self.strict),
            name=(given.get("metadata") or {}).get("name"))
        if meta.title:
            prepared.metadata["title"] = meta.title
        resources = dict(resources or {})
        resources["report"] = {
            "title": meta.title,
            "subtitle": meta.subtitle,
            "author": meta.author,
            "date": meta.date,
            "date_iso": meta.date_iso,
            "report_date": meta.report_date,
            "source": meta.source,
            "csp": CONTENT_SECURITY_POLICY,
            # The files beside the page (`export.downloads`), when a render wrote them.
            "downloads": list(resources.get("downloads") or []),
            **{key.replace("-", "_"): words for key, words in meta.furniture.items()},
        }
        html, resources = super().from_notebook_node(prepared, resources, **kw)
        edition = meta.edition
        return _static(html, edition.tag, edition.direction, edition.quotes,
                       meta.furniture.get("contents", "Contents")), resources


def csv_table(text: str) -> str:
    """A chart's CSV (`Chart.table`, the rows it draws) as an HTML table: the same cells as the
    download, each escaped (text from the dataset is text)."""
    import csv
    import io
    from html import escape

    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return ""
    head = "".join(f'<th scope="col">{escape(cell)}</th>' for cell in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                   for row in rows[1:])
    # The file's own cells (its field names, '.' decimals), left to right in every edition.
    return (f'<table class="csv" dir="ltr" translate="no"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def curly_quotes(text: str, before: str = " ", quotes: tuple[str, str] = ("\u201c", "\u201d")
                 ) -> str:
    """Straight quotes as typographic ones: opening after a space or bracket, else closing.

    `before` is the character just before `text` (text runs on across inline tags); `quotes`
    the edition's double quotation marks (apostrophes are ’ in every edition).
    """
    out = []
    for char in text:
        if char == '"':
            char = quotes[0] if before in _BEFORE_OPENING else quotes[1]
        elif char == "'":
            char = _CURLY[char, before in _BEFORE_OPENING]
        out.append(char)
        before = char[-1]
    return "".join(out)


_SVG_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)


_SVG_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')
_SVG_TAG = re.compile(r"<[^>]*>")


def _inline_svg(image, soup):
    """A placeholder for the chart's SVG, which `_static` puts in the page as text (see
    `_svg_markup`): the page's parser never reads a chart's thousands of tags, and the same
    chart, back unchanged on every edit of the words (`render.preview`), is written once."""
    figure = image.find_parent("figure")
    prefix = (figure.get("id") if figure is not None and figure.get("id") else "chart") + "-"
    phone = "report-figure__phone" in (image.get("class") or [])
    markup = _svg_markup(image["src"], prefix + ("phone-" if phone else ""),
                         image.get("alt", ""), "report-figure__phone" if phone else "")
    placeholder = soup.new_tag("report-inline-svg")
    placeholder.string = str(len(soup.inline_svgs))
    soup.inline_svgs.append(markup)
    return placeholder


@lru_cache(maxsize=128)
def _svg_markup(src: str, prefix: str, alt: str, css_class: str = "") -> str:
    """A chart's SVG in the page itself, so the <title> of each mark is a tooltip and its links
    work: its ids prefixed with the chart's (several charts share matplotlib's ids), named by
    the image's alt text, of the class given (a phone's variant), its attributes made safe as
    the page's are (`_safe_attributes`).

    lxml reads and writes it as XML (thousands of tags in milliseconds; HTML reads an SVG element
    written so as it is); one that is not XML goes through the page's HTML parser instead."""
    svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
    svg = _SVG_PROLOG.sub("", svg)
    # Ids and references are read and rewritten inside tags only: a tooltip's text (a <title>)
    # may hold 'id="x"' as words, and stays as written.
    ids = {m.group(2) for tag in _SVG_TAG.findall(svg) for m in _SVG_REFERENCE.finditer(tag)
           if m.group(1) == 'id="'}
    svg = _SVG_TAG.sub(lambda tag: _SVG_REFERENCE.sub(
        lambda m: m.group(1) + prefix + m.group(2) if m.group(2) in ids else m.group(0),
        tag.group(0)), svg)
    try:
        # No entity expanded, nothing fetched: a chart's SVG is read as data.
        root = etree.fromstring(svg.encode("utf-8"), etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError:
        root = None
    if root is None or etree.QName(root).localname != "svg":
        node = BeautifulSoup(svg, features="html.parser").find("svg")
        _name_svg(node.attrs, alt, css_class)
        _safe_attributes(node)
        return str(node)
    _name_svg(root.attrib, alt, css_class)
    for element in root.iter(etree.Element):
        _make_safe(element.attrib, ("href", _XLINK_HREF))
    return etree.tostring(root, encoding="unicode")


def _name_svg(attributes, alt: str, css_class: str) -> None:
    """The inline SVG's own attributes: an image named by the alt text, of the class given,
    sized by the page's CSS (which keeps its viewBox ratio), not by its width and height."""
    attributes["role"] = "img"
    attributes["aria-label"] = alt
    if css_class:
        attributes["class"] = css_class
    for attribute in ("width", "height"):
        attributes.pop(attribute, None)


_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

_FIGURE_REFERENCE = re.compile(r"@([A-Za-z0-9_][\w\-:.]*?)(?=[\].,;:!?)]*(?:\s|$))")


def link_figure_references(soup) -> None:
    """``@fig-label`` in a Markdown cell, naming a chart of the page, becomes a link to it
    reading as its number ("Figure 3", in the edition's words), as in the PDF and Word."""
    numbers = {}
    for figure in soup.find_all("figure", class_="report-figure", id=True):
        number = figure.find(class_="report-figure__number")
        if number is not None:
            numbers[figure["id"]] = " ".join(number.get_text().split()).replace(" ", "\u00a0")
    if not numbers:
        return
    for node in soup.find_all(class_="jp-MarkdownCell"):
        for text in node.find_all(string=_FIGURE_REFERENCE):
            if isinstance(text, Comment) or text.find_parent(list(_LITERAL_TAGS) + ["a"]):
                continue
            pieces, last = [], 0
            for match in _FIGURE_REFERENCE.finditer(text):
                if match.group(1) not in numbers:
                    continue
                pieces.append(text[last:match.start()])
                link = soup.new_tag("a", href=f"#{match.group(1)}")
                link["class"] = "report-xref"
                link.string = numbers[match.group(1)]
                pieces.append(link)
                last = match.end()
            if not pieces:
                continue
            pieces.append(text[last:])
            for piece in pieces:
                text.insert_before(piece)
            text.extract()


_SOURCE_ITEM = re.compile(r"([\u060c\u061b] )")  # the Arabic comma or semicolon between items


def isolate_source_items(soup) -> None:
    """In a right-to-left page, each item of a chart's source line ('Bechri', 'The Washington
    Institute', '23 جويلية 2014') in a <bdi> of its own, so that a Latin name or a date reads
    as one run and never scatters across its neighbours (as the chart's own line does,
    `charts.style.isolated_items`)."""
    for line in soup.find_all("p", class_="report-figure__source"):
        text = line.get_text()
        head, colon, rest = text.partition(": ")
        if not colon:
            head, rest = "", text
        line.clear()
        line.append(head + colon)
        for k, piece in enumerate(_SOURCE_ITEM.split(rest)):
            if k % 2:  # a separator stays outside, in the line's own direction
                line.append(piece)
                continue
            bdi = soup.new_tag("bdi")
            bdi.string = piece
            line.append(bdi)


def table_of_contents(soup, label: str) -> None:
    """The page's sections (its h2 headings, two or more) listed at the top of <main>: a side
    column at desktop width, a folded list on a narrower screen (report.css), no script."""
    main = soup.find("main")
    headings = [h for h in (main.find_all("h2", id=True) if main is not None else [])
                if h.get_text(strip=True)]
    if len(headings) < 2:
        return

    def entries():
        items = soup.new_tag("ol")
        for heading in headings:
            link = soup.new_tag("a", href=f"#{heading['id']}")
            link.string = " ".join(heading.get_text().replace("\u00b6", "").split())
            item = soup.new_tag("li")
            item.append(link)
            items.append(item)
        return items

    side = soup.new_tag("nav", attrs={"class": "report-toc report-toc--side",
                                      "aria-label": label})
    title = soup.new_tag("p", attrs={"class": "report-toc__title"})
    title.string = label
    side.append(title)
    side.append(entries())
    inline = soup.new_tag("nav", attrs={"class": "report-toc report-toc--inline",
                                        "aria-label": label})
    folded = soup.new_tag("details")
    summary = soup.new_tag("summary")
    summary.string = label
    folded.append(summary)
    folded.append(entries())
    inline.append(folded)
    main.insert(0, inline)
    main.insert(0, side)


def gather_notes_by_section(soup) -> None:
    """Move each passage's notes (``<ol class="footnotes">`` after it, from `text.notes`) to
    one list at the end of its section (before the next section's heading, or at the end of
    the page): a list after every paragraph chops the reading."""
    main = soup.find("main")
    if main is None:
        return
    cells = main.find_all("div", class_="jp-Cell", recursive=False)
    sections, current = [], []
    for cell in cells:
        if cell.find("h2") is not None and current:
            sections.append(current)
            current = []
        current.append(cell)
    sections.append(current)
    for section in sections:
        lists = [ol for cell in section for ol in cell.find_all("ol", class_="footnotes")]
        if not lists:
            continue
        gathered = soup.new_tag("ol", attrs={"class": "footnotes"})
        for ol in lists:
            for item in ol.find_all("li", recursive=False):
                gathered.append(item.extract())
            ol.decompose()
        box = soup.new_tag("div", attrs={"class": "report-section-notes"})
        box.append(gathered)
        section[-1].insert_after(box)


def number_notes_through(soup) -> None:
    """Number the notes through the page, as the PDF and Word do: each passage lists its own
    notes (``<ol class="footnotes">``, from `text.narrative`), which would start again at 1."""
    numbers: dict[str, int] = {}
    for notes in soup.find_all("ol", class_="footnotes"):
        items = notes.find_all("li", recursive=False)
        if not items:
            continue
        notes["start"] = str(len(numbers) + 1)
        for item in items:
            numbers[item.get("id", "")] = len(numbers) + 1
    for link in soup.find_all("a", href=re.compile("^#")):
        number = numbers.get(link["href"][1:])
        if number is not None and link.parent is not None and link.parent.name == "sup":
            link.string = str(number)


def _static(html: str, lang: str = "en-GB", direction: str = "ltr",
            quotes: tuple[str, str] = ("\u201c", "\u201d"), contents: str = "") -> str:
    """Remove what would run or load anything (scripts, event handlers, external stylesheets);
    links out (the notebook's own citations) carry rel="noreferrer"; make the quotes of the
    text (not of code) typographic, as pandoc does for the PDF; gather each section's notes at
    its end and number them through the page; wrap each table in a focusable
    box that scrolls sideways on a narrow screen; set the page's language and direction."""
    soup = BeautifulSoup(html, features="html.parser")
    if soup.html is not None:
        soup.html["lang"], soup.html["dir"] = lang, direction
    before = " "
    for node in soup.find_all(string=True):
        if isinstance(node, Comment | Doctype) or any(
            parent.name in _LITERAL_TAGS for parent in node.parents
        ):
            continue
        text = curly_quotes(str(node), before, quotes)
        node.replace_with(text)
        before = text[-1:] or before
    for element in soup.find_all(["script", "iframe", "object", "embed"]):
        element.decompose()
    for element in soup.find_all("link", href=re.compile(r"^(https?:)?//")):
        element.decompose()
    link_figure_references(soup)
    if direction == "rtl":
        isolate_source_items(soup)
    if contents:
        table_of_contents(soup, contents)
    soup.inline_svgs = []
    for image in soup.find_all("img", src=re.compile(r"^data:image/svg\+xml;base64,")):
        if image.find_parent(class_="report-figure__image") is None:
            continue
        image.replace_with(_inline_svg(image, soup))
    gather_notes_by_section(soup)
    number_notes_through(soup)
    for table in soup.find_all("table"):  # wide tables scroll, and keyboards can scroll them
        table.wrap(soup.new_tag("div", attrs={"class": "report-table", "tabindex": "0"}))
    _safe_attributes(soup)
    markups = soup.inline_svgs
    return _PLACEHOLDER.sub(lambda m: markups[int(m.group(1))], str(soup))


_PLACEHOLDER = re.compile(r"<report-inline-svg>(\d+)</report-inline-svg>")


def _safe_attributes(root) -> None:
    """No event handler, no javascript: link; a link out carries rel="noreferrer"."""
    for element in [root, *root.find_all(True)]:
        _make_safe(element.attrs, ("href", "xlink:href"))  # a chart's marks link with xlink


def _make_safe(attributes, links) -> None:
    """`_safe_attributes` for one element's attributes (BeautifulSoup's, or lxml's, whose
    names carry their namespace in braces), `links` being the names of its links."""
    for name in [a for a in attributes if a.rsplit("}", 1)[-1].lower().startswith("on")]:
        del attributes[name]
    for name in links:
        href = attributes.get(name)
        if isinstance(href, str) and href.strip().lower().startswith("javascript:"):
            del attributes[name]
        elif isinstance(href, str) and re.match(r"\s*(https?:)?//", href, re.IGNORECASE):
            attributes["rel"] = "noreferrer"  # a link to follow, never a load
