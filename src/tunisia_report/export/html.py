"""`ReportHTMLExporter`: the report as one self-contained, script-free HTML page.

JupyterLab's template with ``templates/report.html.j2`` on top: a title block, code hidden unless
asked for (same rule as the PDF), every image an ``<img>`` with a data URI and its alt text,
charts as numbered ``<figure>``s with caption and source, no CDN scripts and no random ids.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype
from nbconvert.exporters import HTMLExporter
from traitlets import Bool, default

from tunisia_report.export import CONTENT_SECURITY_POLICY
from tunisia_report.export.preprocess import prepare_notebook
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


class ReportHTMLExporter(HTMLExporter):
    """nbconvert exporter to the report's standalone HTML page (no scripts, no external files)."""

    export_from_notebook = "HTML (report)"

    show_code = Bool(
        False, help="Show code cells and their printed output, whatever the notebook says."
    ).tag(config=True)

    strict = Bool(
        False, help="Refuse a paragraph the edition's catalogue does not translate."
    ).tag(config=True)

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
        return _static(html, edition.tag, edition.direction, edition.quotes), resources


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


def _inline_svg(image, soup):
    """A chart's SVG in the page itself, so the <title> of each mark is a tooltip and its links
    work: its ids prefixed with the chart's (several charts share matplotlib's ids), named by
    the image's alt text."""
    svg = base64.b64decode(image["src"].split(",", 1)[1]).decode("utf-8")
    svg = _SVG_PROLOG.sub("", svg)
    figure = image.find_parent("figure")
    prefix = (figure.get("id") if figure is not None and figure.get("id") else "chart") + "-"
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    svg = _SVG_REFERENCE.sub(lambda m: m.group(1) + prefix + m.group(2) if m.group(2) in ids
                             else m.group(0), svg)
    node = BeautifulSoup(svg, features="html.parser").find("svg")
    node["role"] = "img"
    node["aria-label"] = image.get("alt", "")
    for attribute in ("width", "height"):  # the page's CSS sizes it, keeping its viewBox ratio
        node.attrs.pop(attribute, None)
    return node
def number_notes_through(soup) -> None:
    """Number the notes through the page, as the PDF and Word do: each passage lists its own
    notes (``<ol class="footnotes">``, from `text.narrative`), which would start again at 1."""
    numbers: dict[str, int] = {}
    for notes in soup.select("ol.footnotes"):
        items = notes.find_all("li", recursive=False)
        if not items:
            continue
        notes["start"] = str(len(numbers) + 1)
        for item in items:
            numbers[item.get("id", "")] = len(numbers) + 1
    for link in soup.select('sup > a[href^="#"]'):
        number = numbers.get(link["href"][1:])
        if number is not None:
            link.string = str(number)


def _static(html: str, lang: str = "en-GB", direction: str = "ltr",
            quotes: tuple[str, str] = ("\u201c", "\u201d")) -> str:
    """Remove what would run or load anything (scripts, event handlers, external stylesheets);
    links out (the notebook's own citations) carry rel="noreferrer"; make the quotes of the
    text (not of code) typographic, as pandoc does for the PDF; number the notes through the
    page; wrap each table in a focusable
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
    for image in soup.select('.report-figure__image img[src^="data:image/svg+xml;base64,"]'):
        image.replace_with(_inline_svg(image, soup))
    number_notes_through(soup)
    for table in soup.find_all("table"):  # wide tables scroll, and keyboards can scroll them
        table.wrap(soup.new_tag("div", attrs={"class": "report-table", "tabindex": "0"}))
    for element in soup.find_all(True):
        for name in [a for a in element.attrs if a.lower().startswith("on")]:
            del element.attrs[name]
        for name in ("href", "xlink:href"):  # an inline chart's marks link with xlink:href
            href = element.attrs.get(name)
            if isinstance(href, str) and href.strip().lower().startswith("javascript:"):
                del element.attrs[name]
            elif isinstance(href, str) and re.match(r"\s*(https?:)?//", href, re.IGNORECASE):
                element.attrs["rel"] = "noreferrer"  # a link to follow, never a load
    return str(soup)
