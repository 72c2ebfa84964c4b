"""The PDF (pandoc + Typst) and HTML exporters, on fixture notebooks committed with outputs.

Fixtures: tests/fixtures/export/*.ipynb, rebuilt by build_fixtures.py in the same folder.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import html
import io
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from tests.pdfcheck import accessibility_problems, empty_bands
from tunisia_report.exceptions import ReportError
from tunisia_report.export import ExportError, notebook_to_html, notebook_to_pdf, pandoc
from tunisia_report.export.html import ReportHTMLExporter
from tunisia_report.export.metadata import project_report_date, report_timestamp, resolve_metadata
from tunisia_report.export.preprocess import prepare_notebook
from tunisia_report.export.rerun import has_run
from tunisia_report.export.typst_pdf import TypstPDFExporter, compile_typst, notebook_to_typst

# Issue 11: no page but the last may end more than a quarter empty.
MAX_EMPTY_BAND = 0.25

FIXTURES = Path(__file__).parent / "fixtures" / "export"
CONTRACT = FIXTURES / "report_contract.ipynb"
SHOW_CODE = FIXTURES / "show_code_parameter.ipynb"
HEADING_TITLE = FIXTURES / "title_from_heading.ipynb"

TITLE = "Tunisia's Security-First Policy at a Crossroads"
SUBTITLE = "How the 2014 security agenda held up after the Mount Chaambi attack"
AUTHOR = "Amira Fixture"
SOURCE = "The Washington Institute for Near East Policy, 23 July 2014."
QUOTE = (
    "Unless Western countries provide assistance, the recent violence could unravel the "
    "government's progress in stemming terrorist activity."
)
ALT = "Bar chart: 14 soldiers killed and 20 injured in the Mount Chaambi attack of July 2014."
# Shown only with code: source code, printed output, a stderr warning, a bare repr result.
CODE_MARKERS = (
    "pd.read_csv",
    "rows loaded: 17",
    "stderr warning from the fixture",
    "matplotlib.lines.Line2D",
)
# Never shown: a remove-cell cell, a script, pandoc's text/plain fallback for Markdown.
NEVER = ("INTERNAL NOTE", "alert(", "IPython.core.display.Markdown object")
TINY_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            '<rect width="10" height="10"/></svg>')

# One worker runs the module (its module-scoped fixtures are made once; see conftest).
pytestmark = pytest.mark.xdist_group("export")


def squash(text: str) -> str:
    """Text without whitespace and hyphens, quotes made straight: robust to line breaking."""
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    return re.sub(r"[\s\-‐]+", "", text).casefold()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def html_text(page: str) -> str:
    """The text of an HTML page (tags removed, entities decoded), e.g. across code highlighting."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


@pytest.fixture(scope="module")
def contract_pdf() -> bytes:
    pdf, resources = TypstPDFExporter().from_filename(str(CONTRACT))
    assert resources["output_extension"] == ".pdf"
    return pdf


@pytest.fixture(scope="module")
def contract_text(contract_pdf) -> str:
    return squash(pdf_text(contract_pdf))


@pytest.fixture(scope="module")
def contract_html() -> str:
    html, resources = ReportHTMLExporter().from_filename(str(CONTRACT))
    assert resources["output_extension"] == ".html"
    return html


# --- metadata resolution ------------------------------------------------------------------


def _nb(cells=(), **metadata) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata.update(metadata)
    return nb


def _parameters(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]})


def test_metadata_papermill_parameters_win_key_by_key():
    nb = _nb(
        [_parameters('title = "Cell title"\nsubtitle = "Cell subtitle"\nshow_code = False')],
        papermill={"parameters": {"title": "Papermill title", "show_code": True}},
        title="Metadata title",
    )
    meta = resolve_metadata(nb)
    assert meta.title == "Papermill title"
    assert meta.subtitle == "Cell subtitle"
    assert meta.show_code is True


def test_metadata_from_parameters_cell_is_read_never_executed(tmp_path):
    marker = tmp_path / "executed"
    nb = _nb(
        [
            _parameters(
                f"title = __import__('pathlib').Path({str(marker)!r}).touch()\n"
                "author = 'Cell Author'\n"
                "report_date = '2014-07-23'\n"
                "source = ('Bechri, ' 'Fikra Forum')\n"
                "show_code: bool = False"
            ),
            nbformat.v4.new_markdown_cell("# Heading title\n\nText."),
        ]
    )
    meta = resolve_metadata(nb)
    assert not marker.exists()
    assert meta.title == "Heading title"  # the call was skipped, the heading is the fallback
    assert meta.author == "Cell Author"
    assert meta.date == "23 July 2014"
    assert meta.source == "Bechri, Fikra Forum"
    assert meta.show_code is False


def test_metadata_from_notebook_metadata_then_heading():
    nb = _nb(
        [nbformat.v4.new_markdown_cell("Intro.\n\n# Heading title")],
        title="Metadata title",
        authors=[{"name": "A. One"}, {"name": "B. Two"}, {"name": "C. Three"}],
    )
    meta = resolve_metadata(nb)
    assert meta.title == "Metadata title"
    assert meta.author == "A. One, B. Two and C. Three"
    assert meta.source is None
    assert meta.subtitle is None
    del nb.metadata["title"]
    assert resolve_metadata(nb).title == "Heading title"
    assert resolve_metadata(_nb()).title is None


def test_metadata_show_code_accepts_strings():
    nb = _nb(papermill={"parameters": {"show_code": "true"}})
    assert resolve_metadata(nb).show_code is True
    nb = _nb(papermill={"parameters": {"show_code": "false"}})
    assert resolve_metadata(nb).show_code is False


def test_timestamp_source_date_epoch_then_report_date_then_the_reports_date():
    meta = resolve_metadata(_nb(papermill={"parameters": {"report_date": "2014-07-23"}}))
    assert report_timestamp(meta, {"SOURCE_DATE_EPOCH": "1700000000"}) == 1700000000
    assert report_timestamp(meta, {}) == 1406073600
    # No report date (an analysis notebook): the report notebook's, never 1970.
    expected = dt.date.fromisoformat(project_report_date())
    stamp = report_timestamp(resolve_metadata(_nb()), {})
    assert dt.datetime.fromtimestamp(stamp, dt.UTC).date() == expected


def test_prepare_drops_heading_that_repeats_the_title():
    nb, meta = prepare_notebook(read(CONTRACT))
    assert meta.title == TITLE
    sources = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    assert f"# {TITLE}" not in sources
    assert "## Overview" in sources


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_is_a_pdf(contract_pdf):
    assert contract_pdf.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(contract_pdf)).pages) >= 2


def test_pdf_title_block(contract_pdf, contract_text):
    for expected in (TITLE, SUBTITLE, AUTHOR, "23 July 2014", SOURCE):
        assert squash(expected) in contract_text, expected
    info = PdfReader(io.BytesIO(contract_pdf)).metadata
    assert info.title == TITLE.replace("'", "’")
    assert info.author == AUTHOR


def test_pdf_footnote_is_a_real_footnote(contract_text, tmp_path):
    nb, meta = prepare_notebook(read(CONTRACT), for_pandoc=True)
    source = notebook_to_typst(nb, meta, tmp_path)
    assert "#footnote[" in source
    assert squash(QUOTE) in contract_text
    assert squash("[^1]") not in contract_text


def test_pdf_figure_numbered_with_caption_source_and_vector_chart(contract_pdf, contract_text):
    assert squash("Figure 1 Casualties of the Mount Chaambi attack") in contract_text
    assert squash("The deadliest attack on the Tunisian army since the 1950s.") in contract_text
    assert squash("Source: Bechri (2014), paragraph 1.") in contract_text
    # The SVG was used: no raster image anywhere in the PDF.
    assert all(not page.images for page in PdfReader(io.BytesIO(contract_pdf)).pages)
    # The alt text reaches the tagged PDF.
    assert b"/Alt(" + ALT.encode() + b")" in contract_pdf


def test_pdf_web_address_is_a_left_to_right_box_in_the_arabic_edition(tmp_path):
    """A long URL in a right-to-left line wraps within its own left-to-right box."""
    nb = read(CONTRACT)
    url = "https://example.org/" + "a-long-path-segment/" * 6
    nb.cells.append(nbformat.v4.new_markdown_cell(f"مصدر: <{url}>."))
    sources = {}
    for lang in ("ar", "en"):
        nb.metadata["papermill"] = {"parameters": {"lang": lang}}
        prepared, meta = prepare_notebook(nb, for_pandoc=True)
        (tmp_path / lang).mkdir()
        sources[lang] = notebook_to_typst(prepared, meta, tmp_path / lang)
    assert f'#box(width: 100% - 0.6em, text(dir: ltr, link("{url}", "{url}")))' in sources["ar"]
    assert "#box(width: 100% - 0.6em" not in sources["en"]
    assert url in sources["en"]


def test_pdf_table_is_a_real_table(contract_text, tmp_path):
    for cell in ("measure", "mentions", "Telecom monitoring agency", "under way"):
        assert squash(cell) in contract_text
    nb, meta = prepare_notebook(read(CONTRACT), for_pandoc=True)
    source = notebook_to_typst(nb, meta, tmp_path)
    table = source[source.index("#table(") :]
    assert "columns: 3" in table  # pandas' 0, 1, 2 index column was dropped
    assert "table.header([measure], [stage], [mentions]" in table
    assert "<table" not in source


def test_pdf_hides_code_and_noise_by_default(contract_text):
    for marker in CODE_MARKERS + NEVER + ("show_code = False",):
        assert squash(marker) not in contract_text, marker


def test_pdf_markdown_output_is_rendered_with_literals(contract_text):
    assert squash("Literal characters stay literal: 5 * 3 * 2 and <script> as code.") in (
        contract_text
    )


def test_pdf_show_code_trait_shows_code():
    text = squash(pdf_text(TypstPDFExporter(show_code=True).from_filename(str(CONTRACT))[0]))
    for marker in CODE_MARKERS:
        assert squash(marker) in text, marker
    for marker in NEVER:
        assert squash(marker) not in text, marker


def test_pdf_show_code_from_papermill_parameters_and_hide_input_tag():
    text = squash(pdf_text(notebook_to_pdf(read(SHOW_CODE))))
    assert squash("Code appendix") in text
    assert squash('print("casualties:", total)') in text
    assert squash("casualties: 34") in text
    assert squash("hidden_input_marker") not in text


def test_pdf_title_from_first_heading_is_not_repeated():
    text = pdf_text(notebook_to_pdf(read(HEADING_TITLE)))
    assert squash(text).count(squash("Security first in Tunisia")) == 1
    assert squash("Findings") in squash(text)


def test_pdf_chart_only_section_keeps_its_heading_and_follows_the_text_before_it():
    """A section that is only a chart keeps heading and chart together, and however much text
    comes before it, the chart never lands inside that text: the text ends on the chart's page
    or before it (the summary is never split by the key figures)."""
    base = read(CONTRACT)
    chart_heading = next(c for c in base.cells if "## The Mount Chaambi attack" in c.source)
    chart_heading.source = "## Where the soldiers fell"
    page_counts = set()
    for words in range(0, 96, 6):
        nb = nbformat.from_dict(base)
        nb.cells[2].source += "\n\n" + "More words to fill the page. " * words + "Last words."
        pdf = notebook_to_pdf(nb)
        pages = [squash(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
        heading = [i for i, text in enumerate(pages) if squash("Where the soldiers fell") in text]
        chart = [i for i, text in enumerate(pages) if squash("Figure 1") in text]
        last_words = [i for i, text in enumerate(pages) if squash("Last words.") in text]
        assert heading and heading == chart, (words, heading, chart)
        assert last_words and last_words[-1] <= heading[0], (words, last_words, heading)
        if last_words[-1] == heading[0]:  # on one page: the text's end comes first
            page = pages[heading[0]]
            assert page.index(squash("Last words.")) < page.index(squash("Where the soldiers fell"))
        page_counts.add(len(pages))
    assert page_counts == {2, 3}  # the text did push the rest across a page break


def test_pdf_chart_never_floats_it_stands_in_slots_between_blocks(tmp_path):
    """No chart is a float (a float cut paragraphs): each stands in slots between blocks
    (typst_layout.lua), one slot per place it may take, each with its own marker."""
    nb, meta = prepare_notebook(read(CONTRACT), for_pandoc=True)
    source = notebook_to_typst(nb, meta, tmp_path)
    assert "= The Mount Chaambi attack" in source  # `##` shifted to level 1, for PDF/UA-1
    assert "placement" not in source and "place(" not in source
    slots = re.findall(r"^#report-figure-slot\(.*$", source, flags=re.M)
    assert slots and all(re.search(r"\[#report-figure\(\.\.chart-args-\d+, id: \d+\)", s)
                         for s in slots)


def test_pdf_is_byte_identical_and_honours_source_date_epoch(contract_pdf, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    nb = read(CONTRACT)
    again = notebook_to_pdf(nb)
    assert again == contract_pdf
    assert PdfReader(io.BytesIO(again)).metadata["/CreationDate"].startswith("D:20140723")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = notebook_to_pdf(nb)
    assert stamped != contract_pdf
    assert PdfReader(io.BytesIO(stamped)).metadata["/CreationDate"].startswith("D:20231114")


def test_nbconvert_cli_writes_the_same_pdf(tmp_path, contract_pdf):
    jupyter = Path(sys.executable).with_name("jupyter")
    result = subprocess.run(
        [str(jupyter), "nbconvert", "--to", "typstpdf", "--output-dir", str(tmp_path), CONTRACT],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "report_contract.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf.read_bytes() == contract_pdf  # another process, another hash seed: same bytes


def test_exporter_declares_pdf_for_jupyter():
    assert TypstPDFExporter.output_mimetype == "application/pdf"
    assert TypstPDFExporter.export_from_notebook == "PDF (Typst)"
    assert TypstPDFExporter().file_extension == ".pdf"


def test_pdf_is_tagged_pdf_ua_1_and_pdf_a_2a(contract_pdf):
    assert accessibility_problems(contract_pdf, lang="en-GB", figures=1) == []


def test_pdf_checks_fail_on_an_untagged_pdf(tmp_path):
    """The checks are not vacuous: a plain Typst PDF (no standards, no tags) fails each one."""
    import typst

    main = tmp_path / "plain.typ"
    main.write_text('#set page(footer: [Page])\n#image("chart.svg", width: 3cm)\n'
                    "One line, then a page mostly empty.\n#pagebreak()\nEnd.", encoding="utf-8")
    (tmp_path / "chart.svg").write_text(TINY_SVG, encoding="utf-8")
    plain = typst.compile(str(main), root=str(tmp_path), font_paths=[], ignore_system_fonts=True,
                          pdf_tags=False)
    problems = " | ".join(accessibility_problems(plain, lang="en-GB", figures=1))
    for expected in ("/DisplayDocTitle", "structure tree", "pdfuaid:part", "pdfaid:part"):
        assert expected in problems
    assert empty_bands(plain)[0] > 0.5


def test_pdf_standards_refuse_an_image_without_alt_text(tmp_path):
    main = tmp_path / "main.typ"
    main.write_text('#set document(title: [A title])\n= Heading\n#image("chart.svg")\n',
                    encoding="utf-8")
    (tmp_path / "chart.svg").write_text(TINY_SVG, encoding="utf-8")
    with pytest.raises(ExportError) as caught:
        compile_typst(main, tmp_path, 0)
    message = str(caught.value)
    assert "missing alt text" in message
    assert "every image needs alt text" in message
    assert "main.typ:3" in message


def test_pdf_and_html_quotes_are_typographic():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        '# Tunisia\'s report\n\n## Section\n\n'
        'No date beyond \\"recent\\"; see \\"Data and method\\".\n\n'
        '```\nprint("code keeps straight quotes")\n```'
    )])
    text = " ".join(pdf_text(notebook_to_pdf(nb)).split())
    assert "beyond “recent”; see “Data and method”." in text
    page = notebook_to_html(nb)
    assert "<title>Tunisia’s report</title>" in page
    assert "beyond “recent”; see “Data and method”." in html_text(page)
    assert 'print("code keeps straight quotes")' in html_text(page)


def test_pdf_closing_quotes_after_a_bracket_or_question_mark_close():
    """A title citeproc quoted ('‘[No headline shown: …]’') and straight quotes after ")" or
    "?": Typst's smart quotes took such a closing mark for an opening one."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# T\n\nHost. ‘\\[No headline shown: a toll\\]’. 18 February 2014.\n\n"
        "He asked \\\"why?\\\" and said \\'no (really)\\' twice.")])
    text = " ".join(pdf_text(notebook_to_pdf(nb)).split())
    assert "‘[No headline shown: a toll]’. 18 February" in text
    assert "“why?” and said ‘no (really)’ twice." in text


def test_typst_error_is_an_export_error_with_the_diagnostic(tmp_path):
    main = tmp_path / "main.typ"
    main.write_text("Fine text.\n#let broken = (1, 2\n", encoding="utf-8")
    with pytest.raises(ExportError) as caught:
        compile_typst(main, tmp_path, 0)
    assert isinstance(caught.value, ReportError)
    message = str(caught.value)
    assert "Typst could not compile" in message
    assert "main.typ:2" in message


def test_pandoc_error_is_an_export_error(tmp_path, monkeypatch):
    broken = tmp_path / "broken.lua"
    broken.write_text("this is not lua (", encoding="utf-8")
    monkeypatch.setattr(pandoc, "LUA_FILTER", broken)
    with pytest.raises(ExportError, match="pandoc failed"):
        notebook_to_pdf(read(HEADING_TITLE))


# --- HTML ---------------------------------------------------------------------------------


class _Images(HTMLParser):
    """Collects <img> attributes and the text inside <figure>."""

    def __init__(self):
        super().__init__()
        self.images: list[dict] = []
        self.figure_text = ""
        self._in_figure = 0

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "figure":
            self._in_figure += 1

    def handle_endtag(self, tag):
        if tag == "figure":
            self._in_figure -= 1

    def handle_data(self, data):
        if self._in_figure:
            self.figure_text += data


def test_html_charts_are_inline_svg_named_by_their_alt_text(contract_html):
    parser = _Images()
    parser.feed(contract_html)
    assert parser.images == []  # an SVG chart is the page's own markup, not an <img>
    charts = re.findall(r"<svg\b[^>]*>", contract_html)
    assert len(charts) == 1 and 'role="img"' in charts[0]
    assert html.unescape(re.search(r'aria-label="([^"]*)"', charts[0]).group(1)) == ALT
    assert "<?xml" not in contract_html and "<!DOCTYPE svg" not in contract_html
    figure = " ".join(parser.figure_text.split())
    assert "Figure 1 Casualties of the Mount Chaambi attack" in figure
    assert "The deadliest attack on the Tunisian army since the 1950s." in figure
    assert "Source: Bechri (2014), paragraph 1." in figure


# A chart's SVG as a notebook may hold it: a mark with a handler and two links.
HOSTILE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
               'width="10pt" height="5pt" viewBox="0 0 10 5" onload="alert(1)"><g id="mark">'
               '<a xlink:href="javascript:alert(2)"><path d="M 0 0" onClick="alert(3)"/></a>'
               '<a xlink:href="https://example.org/"><title>1 &lt; 2 &amp; "x"</title></a>'
               '</g></svg>')


@pytest.mark.parametrize("svg", [HOSTILE_SVG, HOSTILE_SVG.replace("</svg>", "")],
                         ids=["xml", "not-xml"])
def test_an_inline_svg_keeps_its_marks_and_nothing_that_runs(svg):
    """An SVG is read and written as XML (its `viewBox` keeps its case); one that is not XML
    is read as HTML; either way no handler or `javascript:` link is left, and a link out
    carries rel="noreferrer"."""
    from bs4 import BeautifulSoup

    from tunisia_report.export.html import _svg_markup

    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    markup = _svg_markup(src, "fig-", 'A "chart"')
    node = BeautifulSoup(markup, "html.parser").find("svg")
    assert (node["role"], node["aria-label"]) == ("img", 'A "chart"')
    assert "width" not in node.attrs and "height" not in node.attrs
    assert node.find("g")["id"] == "fig-mark" and node.find("path")["d"] == "M 0 0"
    assert node.find("title").get_text() == '1 < 2 & "x"'
    assert not re.search(r"\bon\w+=|javascript:", markup, re.IGNORECASE), markup
    assert [a.get("rel") for a in node.find_all("a")] == [None, ["noreferrer"]]
    if svg == HOSTILE_SVG:
        assert 'viewBox="0 0 10 5"' in markup and "<path " in markup


def test_html_title_block_and_content(contract_html):
    for expected in (SUBTITLE, AUTHOR, "23 July 2014", SOURCE, "Telecom monitoring agency"):
        assert expected in contract_html
    curly_title = TITLE.replace("'", "’")
    assert f"<title>{curly_title}</title>" in contract_html
    assert "Unless Western countries provide assistance" in contract_html


def test_html_hides_code_by_default_and_shows_it_when_asked(contract_html):
    # (A <script> inside Markdown is removed; nbconvert's Markdown renderer leaves its text.)
    for marker in CODE_MARKERS + ("INTERNAL NOTE", "IPython.core.display.Markdown object"):
        assert marker not in contract_html, marker
    shown = html_text(notebook_to_html(read(CONTRACT), show_code=True))
    for marker in CODE_MARKERS:
        assert marker in shown, marker
    assert "INTERNAL NOTE" not in shown


def test_html_loads_nothing_and_runs_nothing(contract_html):
    assert "<script" not in contract_html.lower()
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", contract_html, re.IGNORECASE)
    assert not re.search(r"\ssrc=[\"']?(https?:)?//", contract_html, re.IGNORECASE)
    assert "mathjax" not in contract_html.lower()


def test_html_is_deterministic(contract_html):
    assert notebook_to_html(read(CONTRACT)) == contract_html


def test_unrun_notebook_is_executed_before_export_and_a_run_one_is_not():
    cell = nbformat.v4.new_code_cell(
        'from IPython.display import Markdown\nMarkdown("Computed by the kernel: " + str(6 * 7))')
    unrun = _nb([nbformat.v4.new_markdown_cell("# Unrun"), cell],
                kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"})
    assert not has_run(unrun)
    html_text, _ = ReportHTMLExporter().from_notebook_node(unrun, resources={})
    assert "Computed by the kernel: 42" in html_text

    ran = copy.deepcopy(unrun)
    ran.cells[1].outputs = [nbformat.v4.new_output(
        "execute_result", data={"text/markdown": "Saved output"}, execution_count=1)]
    assert has_run(ran)
    html_text, _ = ReportHTMLExporter().from_notebook_node(ran, resources={})
    assert "Saved output" in html_text and "Computed by the kernel" not in html_text


def test_chart_plan_moves_a_chart_to_the_first_slot_where_it_fits():
    """typst_pdf.plan_charts: a chart that fits where the notebook puts it stays; one that does
    not is first tried at its last slot, then placed at the first slot that fits (shrunk down
    to CHART_MIN_SCALE at most), one chart per pass; the first of a run of several never
    stands past a heading."""
    from tunisia_report.export.typst_pdf import CHART_MIN_SCALE, plan_charts

    def slot(chart, k, room, late=False, first=False, before=None, full=300.0):
        return {"chart-slot": chart, "slot": k, "slots": 3, "late": late,
                "first-of-several": first, "before": before, "room": room, "full": full,
                "picture": full - 40, "sticky": False, "page": 2, "from-top": 300.0}

    fits = [slot(1, 0, 400), slot(1, 1, 100), slot(1, 2, 50)]
    assert plan_charts(fits, {}) == {}
    short = [slot(1, 0, 100), slot(1, 1, 250), slot(1, 2, 500)]
    probe = plan_charts(short, {})
    assert probe == {"1": {"slot": 2, "scale": 1, "probe": True}}
    placed = plan_charts(short, probe)
    assert placed["1"]["slot"] == 1 and CHART_MIN_SCALE <= placed["1"]["scale"] < 1
    assert plan_charts(short, placed) == placed  # settled
    nowhere = [slot(1, 0, 100), slot(1, 1, 20), slot(1, 2, 60)]
    least = plan_charts(nowhere, plan_charts(nowhere, {}))
    assert least["1"]["slot"] == 1  # it starts the next page where it leaves least blank
    run = [slot(1, 0, 100, first=True), slot(1, 1, 500, late=True, first=True),
           slot(1, 2, 500, late=True, first=True)]
    assert plan_charts(run, {}) == {}  # no slot in its section fits better: it stays


def test_a_chart_pushed_with_its_heading_shrinks_to_stay_on_the_page_before():
    """typst_pdf.pushed_under_heading: a chart held to its heading that a page break pushed to
    the next page's top is tried at CHART_MIN_SCALE; if it then stays on the page before, it
    takes the largest scale that fits there (5 % smaller a pass until it stays); if it does
    not, it stands full size where it was."""
    from tunisia_report.export.typst_pdf import CHART_MIN_SCALE, plan_charts

    def headed(page, room, from_top=20.0):
        return [{"chart-slot": 1, "slot": 0, "slots": 1, "late": False,
                 "first-of-several": False, "before": None, "room": room, "full": 300.0,
                 "picture": 260.0, "sticky": True, "page": page, "from-top": from_top}]

    probe = plan_charts(headed(3, 600), {})
    assert probe == {"1": {"slot": 0, "scale": CHART_MIN_SCALE, "pushed-to": 3}}
    tried = plan_charts(headed(2, 260, from_top=400), probe)  # it stays on page 2 at 0.6
    assert CHART_MIN_SCALE < tried["1"]["scale"] < 1 and tried["1"]["tried"]
    pushed_again = plan_charts(headed(3, 600), tried)
    assert pushed_again["1"]["scale"] == round(tried["1"]["scale"] - 0.05, 2)
    held = plan_charts(headed(2, 280, from_top=400), pushed_again)
    assert held["1"]["held"] and plan_charts(headed(2, 280, from_top=400), held) == held
    never = plan_charts(headed(3, 600), probe)  # at 0.6 it is still pushed: full size
    assert never == {"1": {"slot": 0, "scale": 1, "held": True}}
    assert plan_charts(headed(2, 600, from_top=300), {}) == {}  # not pushed: left alone
