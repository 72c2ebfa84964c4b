"""Text is text: hostile strings from the dataset and from every text parameter show literally in
the HTML and the PDF (body, title block, PDF metadata), and the HTML loads and runs nothing."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from tests.helpers import PYTHON, set_cell
from tunisia_report.paths import NOTEBOOKS_DIR

# One worker runs the module (its module-scoped fixtures are made once; see conftest).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hostile-text")]

# Each is markup in at least one of Markdown, HTML, Typst (or all three).
HOSTILE = {
    "typst-code": 'X `#read("main.typ").slice(0,30)`{=typst} #set page(width: 1cm)',
    "html-script": "<script>alert(1)</script> & <b>bold</b>",
    "html-remote": '<img src="https://example.invalid/t.png"> <a href="https://example.invalid/">a</a>',
    "markdown": "*star* _under_ $x$ @key-figures [^1] [l](https://example.invalid) \\ {=typst}",
    "blocks": "# heading % title === | a | b |",  # one line: validation rejects line breaks
    "math": "$$ \\sum $$ <!-- c --> ~sub~ ^sup^",
}
# Where each goes in the dataset: (table, row, field); every one is printed in the report.
IN_DATASET = {
    "typst-code": ("events", "kerry-visit", "title"),  # the timeline finding
    "html-script": ("figures", "chaambi-soldiers-killed", "label"),  # the appendix table
    "html-remote": ("events", "jomaa-visits-algeria", "title"),  # the timeline finding
    "markdown": ("places", "algeria", "name"),  # the summary
    "blocks": ("figures", "departures-prevented", "attributed_to"),  # summary and footnote
    "math": ("measures", "buffer-zone-libya", "name"),  # the measures finding
}
IN_PARAMETERS = {"title": "typst-code", "subtitle": "markdown", "author": "html-remote"}
# The sections that print them (the title block is in every render): only these are rendered.
SECTIONS_SHOWN = ["summary", "measures", "timeline", "appendix"]


def straight(text: str) -> str:
    """Quotes straight again: both outputs make the quotes of text typographic (still text)."""
    return text.translate(str.maketrans("“”‘’", "\"\"''"))


def squash(text: str) -> str:
    """Without whitespace and hyphens (lines wrap and break anywhere in a PDF), quotes straight."""
    return re.sub(r"[\s\-‐]", "", straight(text))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    import shutil

    from tunisia_report.paths import DATA_DIR

    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(DATA_DIR, data)
    for name, (table, key, field) in IN_DATASET.items():
        set_cell(data, table, key, field, HOSTILE[name])
    args = [arg for param, name in IN_PARAMETERS.items() for arg in ("-p", param, HOSTILE[name])]
    proc = subprocess.run(
        [PYTHON, "-m", "tunisia_report", "render", "--notebook",
         str(NOTEBOOKS_DIR / "report.ipynb"), "--output-dir", str(root / "out"),
         "--formats", "html,pdf", "-p", "sections", json.dumps(SECTIONS_SHOWN),
         "-p", "data_dir", str(data), *args],
        capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return root / "out"


@pytest.fixture(scope="module")
def pdf(rendered):
    return pypdf.PdfReader(rendered / "report.pdf")


@pytest.fixture(scope="module")
def html(rendered) -> str:
    return (rendered / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_string_shows_literally_in_the_pdf(pdf, name):
    text = squash("".join(page.extract_text() for page in pdf.pages))
    assert text.count(squash(HOSTILE[name])) >= 1, name


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_string_shows_literally_in_the_html(html, name):
    text = BeautifulSoup(html, "html.parser").get_text()
    assert squash(HOSTILE[name]) in squash(text), name


def test_pdf_metadata_is_the_literal_title_and_author(pdf):
    assert straight(pdf.metadata.title) == HOSTILE[IN_PARAMETERS["title"]]
    assert straight(pdf.metadata.author) == HOSTILE[IN_PARAMETERS["author"]]


def test_html_title_block_is_text(html):
    soup = BeautifulSoup(html, "html.parser")
    assert straight(soup.title.get_text()) == HOSTILE[IN_PARAMETERS["title"]]
    header = soup.select_one(".report-header")
    title = header.select_one(".report-header__title").get_text()
    assert straight(title) == HOSTILE["typst-code"]
    subtitle = header.select_one(".report-header__subtitle").get_text()
    assert straight(subtitle) == HOSTILE["markdown"]
    assert not header.find_all(["img", "a", "script", "code", "em", "b"])


def test_html_loads_nothing_and_runs_nothing(html):
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["script", "iframe", "object", "embed"])
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert policy is not None and "default-src 'none'" in policy["content"]
    assert "script-src" not in policy["content"]  # so default-src 'none' forbids scripts
    assert soup.find("meta") is soup.head.find("meta") and soup.head.find_all("meta")
    for element in soup.find_all(src=True):
        assert element["src"].startswith("data:"), element
    for element in [*soup.find_all(href=True), *soup.find_all(attrs={"xlink:href": True})]:
        href = element.get("href") or element["xlink:href"]
        if href.startswith("#"):
            continue
        if href.startswith("data:text/csv;"):  # a chart's rows, saved, never loaded
            assert element.name == "a" and element.get("download", "").endswith(".csv")
            continue
        if element.has_attr("download") and not re.search(r"[:/]", href):
            continue  # a file written beside the page (the downloads): loads nothing
        # Only a citation link may point out (a card's source, a chart mark's), a plain link
        # that sends no referrer.
        assert element.name == "a" and "noreferrer" in element.get("rel", []), element
    for element in soup.find_all(True):
        assert not [a for a in element.attrs if a.lower().startswith("on")], element
