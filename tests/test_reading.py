"""The HTML page for reading: contents (a side column at desktop width, folded on a phone), dark
mode from the reader's setting with charts on a light card, and `@fig-label` in a Markdown cell
as a link reading "Figure N" in the HTML, Word and PDF."""

from __future__ import annotations

import io
import zipfile

import nbformat
import pytest
from pypdf import PdfReader

from tunisia_report.paths import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "export" / "report_contract.ipynb"
RESOURCES = {"metadata": {"name": FIXTURE.name, "path": str(FIXTURE.parent)}}


def with_reference():
    nb = nbformat.read(FIXTURE, as_version=4)
    cell = next(c for c in nb.cells if c.id == "cell-7")
    cell.source += " See @fig-chaambi-casualties, not @nobody."
    return nb


@pytest.fixture(scope="module")
def page() -> str:
    from tunisia_report.export import notebook_to_html

    return notebook_to_html(with_reference(), resources=RESOURCES)


def test_a_figure_reference_is_a_link_reading_its_number_in_html(page):
    assert ('See <a class="report-xref" href="#fig-chaambi-casualties">Figure\u00a01</a>, '
            "not @nobody.") in page
    assert '<figure class="report-figure" id="fig-chaambi-casualties">' in page


@pytest.mark.slow
def test_a_figure_reference_reads_its_number_in_word_and_pdf():
    from tunisia_report.export import notebook_to_docx, notebook_to_pdf

    docx = notebook_to_docx(with_reference(), resources=RESOURCES)
    document = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    link = document[document.index('w:anchor="fig-chaambi-casualties"'):][:600]
    assert "Figure\u00a01" in link
    pdf = notebook_to_pdf(with_reference(), resources=RESOURCES)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "See Figure 1, not @nobody." in text.replace("\u00a0", " ")


def test_the_page_lists_its_sections_twice_for_two_widths(page):
    side = page[page.index('<nav aria-label="Contents" class="report-toc report-toc--side">'):]
    inline = page[page.index('class="report-toc report-toc--inline">'):]
    for part in (side, inline):
        part = part[:part.index("</nav>")]
        assert '<a href="#The-Mount-Chaambi-attack">The Mount Chaambi attack</a>' in part
        assert '<a href="#Measures-announced">Measures announced</a>' in part
    assert "<details><summary>Contents</summary>" in inline  # folded until opened


@pytest.mark.slow
@pytest.mark.parametrize(("width", "side_shown"), [(1440, True), (390, False)])
def test_contents_and_dark_mode_in_a_browser(page, tmp_path, width, side_shown):
    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        view = browser.new_page(viewport={"width": width, "height": 900},
                                color_scheme="dark")
        view.goto(path.as_uri())
        assert view.locator(".report-toc--side").is_visible() is side_shown
        assert view.locator(".report-toc--inline").is_visible() is not side_shown
        if not side_shown:
            assert not view.locator(".report-toc--inline li").first.is_visible()  # folded
        background = view.evaluate("getComputedStyle(document.body).backgroundColor")
        text = view.evaluate("getComputedStyle(document.querySelector('.jp-MarkdownCell p')).color")
        card = view.evaluate("getComputedStyle(document.querySelector("
                             "'.report-figure__image')).backgroundColor")
        browser.close()
    assert background == "rgb(20, 24, 29)" and text == "rgb(228, 232, 236)"
    assert card == "rgb(255, 255, 255)"  # the chart keeps its light card
