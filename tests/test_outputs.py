"""Outputs colleagues reuse: the Word edition, the bibliography and data downloads, the index.

Word files are read as what they are (OOXML parts), then opened as a user would, with
LibreOffice headless (skipped when Debian's libreoffice-writer is not installed).
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from tunisia_report.dataset import load
from tunisia_report.export import notebook_to_docx
from tunisia_report.export.archive import FIXED_TIME, read_zip
from tunisia_report.export.downloads import DOWNLOADS, downloads
from tunisia_report.export.reference_docx import REFERENCE_DOCX, build
from tunisia_report.paths import DATA_DIR
from tunisia_report.render.index import index_html, write_index
from tunisia_report.text.pandoc import pandoc_path

FIXTURES = Path(__file__).parent / "fixtures" / "export"
CONTRACT = FIXTURES / "report_contract.ipynb"
ALT = "Bar chart: 14 soldiers killed and 20 injured in the Mount Chaambi attack of July 2014."

# One worker runs the module (its module-scoped fixtures are made once; see conftest).
pytestmark = pytest.mark.xdist_group("outputs")


def contract(lang: str | None = None):
    nb = nbformat.read(CONTRACT, as_version=4)
    if lang:
        nb = copy.deepcopy(nb)
        nb.metadata["papermill"] = {"parameters": {"lang": lang}}
    return nb


def docx_of(nb) -> bytes:
    return notebook_to_docx(nb, resources={"metadata": {"path": str(FIXTURES)}})


@pytest.fixture(scope="module")
def english_docx() -> bytes:
    return docx_of(contract())


@pytest.fixture(scope="module")
def arabic_docx() -> bytes:
    return docx_of(contract("ar"))


def test_reference_docx_is_the_build_of_the_pinned_pandoc():
    assert build(pandoc_path()) == REFERENCE_DOCX.read_bytes(), (
        "rebuild it: python -m tunisia_report.export.reference_docx")
    styles = read_zip(REFERENCE_DOCX.read_bytes())["word/styles.xml"].decode()
    assert 'w:ascii="Georgia"' in styles and 'w:cs="Times New Roman"' in styles
    assert "0B3D63" in styles and "asciiTheme" not in styles


def test_word_has_heading_styles_figures_with_alt_text_footnotes_and_header_rows(english_docx):
    parts = read_zip(english_docx)
    document = parts["word/document.xml"].decode()
    assert '<w:pStyle w:val="Heading1"/>' in document  # "## Overview" shifted to level 1
    assert f'descr="{ALT}"' in document
    assert '<w:pStyle w:val="Caption"/>' in document  # a Word caption ...
    caption = document.index('<w:pStyle w:val="Caption"/>')
    assert caption < document.index(f'descr="{ALT}"')  # ... above its chart, as in the PDF
    assert "<w:footnoteReference" in document
    assert "Tunisia cannot carry alone." in re.sub(r"<[^>]+>", "", document)
    assert re.search(r"<w:trPr><w:tblHeader[ />]", document)  # the header row repeats
    assert '<w:numRestart w:val="continuous"/>' in document  # notes run 1, 2, 3 ...
    assert any(name.startswith("word/media/") for name in parts)
    assert "INTERNAL NOTE" not in document and "pd.read_csv" not in document
    assert "<w:bidi/>" not in document


def test_word_is_byte_identical_across_exports(english_docx):
    again = docx_of(contract())
    assert again == english_docx
    with zipfile.ZipFile(BytesIO(english_docx)) as archive:
        assert {info.date_time for info in archive.infolist()} == {FIXED_TIME}


def test_arabic_word_is_right_to_left_in_paragraphs_tables_and_notes(arabic_docx):
    parts = read_zip(arabic_docx)
    document = parts["word/document.xml"].decode()
    assert "<w:bidiVisual/>" in document
    paragraphs = document.count("<w:p>") + document.count("<w:p ")
    assert document.count("<w:bidi/>") >= paragraphs  # every paragraph, and the section
    assert "<w:bidi/>" in parts["word/footnotes.xml"].decode()
    assert 'w:bidi="ar-TN"' in parts["word/styles.xml"].decode()


def test_word_export_menu_exporter_writes_docx():
    from tunisia_report.export.docx import WordDocxExporter

    body, resources = WordDocxExporter().from_notebook_node(
        contract(), resources={"metadata": {"path": str(FIXTURES)}})
    assert resources["output_extension"] == ".docx"
    assert body[:2] == b"PK" and "word/document.xml" in read_zip(body)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs Debian's libreoffice-writer")
def test_libreoffice_opens_the_word_editions(tmp_path, english_docx, arabic_docx):
    for name, data in (("en.docx", english_docx), ("ar.docx", arabic_docx)):
        (tmp_path / name).write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "en.docx"), str(tmp_path / "ar.docx")],
                   check=True, capture_output=True, timeout=300)
    for name in ("en", "ar"):
        text = "".join(p.extract_text() for p in PdfReader(tmp_path / f"{name}.pdf").pages)
        assert "Mount Chaambi attack" in text and "standfirst" in text  # a footnote


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return downloads(DATA_DIR)


def test_downloads_are_the_listed_files_and_deterministic(files):
    assert set(files) == set(DOWNLOADS)
    assert downloads(DATA_DIR) == files


def _pandoc_ids(data: bytes, fmt: str) -> list[str]:
    out = subprocess.run([pandoc_path(), f"--from={fmt}", "--to=csljson"], input=data,
                         capture_output=True, check=True).stdout
    return [item["id"] for item in json.loads(out)]


def test_bibliography_round_trips_through_pandoc_and_rispy(files, data):
    ids = list(data.sources["source_id"])
    items = json.loads(files["sources.json"])
    assert [item["id"] for item in items] == ids
    assert _pandoc_ids(files["sources.json"], "csljson") == ids
    assert _pandoc_ids(files["sources.bib"], "biblatex") == ids
    import rispy

    entries = rispy.loads(files["sources.ris"].decode())
    assert [e["id"] for e in entries] == ids
    article = next(e for e in entries if e["id"] == "bechri-2014")
    assert article["authors"] == ["Bechri, Mohamed"] and article["urls"]
    bechri = next(item for item in items if item["id"] == "bechri-2014")
    assert bechri["issued"] == {"date-parts": [[2014, 7, 23]]}


def test_data_zip_holds_the_package_as_read_with_formulas_neutralised(files):
    from tunisia_report.export.downloads import safe_csv

    with zipfile.ZipFile(BytesIO(files["data.zip"])) as archive:
        names = archive.namelist()
        descriptor = json.loads(archive.read("datapackage.json"))
        assert names[0] == "datapackage.json"
        for resource in descriptor["resources"]:
            on_disk = (DATA_DIR / resource["path"]).read_bytes()
            text = {f["name"] for f in resource["schema"]["fields"]
                    if f.get("type", "string") == "string"}
            assert archive.read(resource["path"]) == safe_csv(on_disk, text)
        for stored in ("raw/tunisia-security-first-policy-2014-07-23.txt",
                       "tunisia_region.geojson", "raw/coordinates.txt"):
            assert archive.read(stored) == (DATA_DIR / stored).read_bytes()
        assert {info.date_time for info in archive.infolist()} == {FIXED_TIME}
    # the one cell of the real data that a spreadsheet would read as a formula
    assert b"'@Verdade" in read_zip(files["data.zip"])["sources.csv"]


def test_claims_csv_is_the_verdicts_file_in_the_editions_language(files, data):
    from tunisia_report.dataset.verdicts import claims_csv

    assert files["claims.csv"] == claims_csv(load()).encode("utf-8")
    assert downloads(DATA_DIR, "fr")["claims.csv"] != files["claims.csv"]


def test_index_lists_each_edition_with_relative_links_sizes_and_the_csp(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-" + b"x" * 2000)
    (tmp_path / "ar").mkdir()
    (tmp_path / "ar" / "report.docx").write_bytes(b"PK")
    (tmp_path / "ar" / "sources.ris").write_text("TY  - GEN\nER  - \n")
    (tmp_path / "figures").mkdir()  # no report in it: not an edition
    write_index(tmp_path)
    page = (tmp_path / "index.html").read_text()
    assert 'href="report.pdf"' in page and "2 KB" in page
    assert 'href="ar/report.docx"' in page and 'href="ar/sources.ris"' in page
    assert "figures" not in page.split("<main>")[1]
    assert "Content-Security-Policy" in page and "<script" not in page
    assert str(tmp_path) not in page
    assert index_html(tmp_path) == page  # the same files, the same bytes


def test_the_index_links_every_download():
    from tunisia_report.render.index import FILES

    assert set(DOWNLOADS) <= set(FILES)


def test_html_notes_number_through_the_page():
    from tunisia_report.export.html import _static

    page = ('<p>a<sup><a href="#fn-x-1">1</a></sup></p><ol class="footnotes"><li id="fn-x-1">'
            'n</li></ol><p>b<sup><a href="#fn-y-1">1</a></sup><sup><a href="#fn-y-2">2</a>'
            '</sup></p><ol class="footnotes"><li id="fn-y-1">m</li><li id="fn-y-2">o</li></ol>')
    out = _static(page)
    assert re.findall(r'<a href="#fn-[^"]+">(\d+)</a>', out) == ["1", "2", "3"]
    assert re.findall(r'<ol class="footnotes" start="(\d+)">', out) == ["1", "2"]


def test_html_notes_are_gathered_at_each_sections_end():
    """Not a list of notes after every paragraph: one list per section, at its end, numbered
    through the page."""
    from tunisia_report.export.html import _static

    def cell(body):
        return f'<div class="jp-Cell">{body}</div>'

    def passage(key, n):
        return (f'<p>{key}<sup><a href="#fn-{key}-1">1</a></sup></p>'
                + "<ol class=\"footnotes\">" + "".join(
                    f'<li id="fn-{key}-{i}">note {key}{i}</li>' for i in range(1, n + 1))
                + "</ol>")

    page = ("<main>" + cell('<h2 id="a">A</h2>') + cell(passage("x", 1)) + cell(passage("y", 2))
            + cell('<h2 id="b">B</h2>') + cell(passage("z", 1)) + "</main>")
    out = _static(page)
    lists = re.findall(r'<ol class="footnotes" start="(\d+)">(.*?)</ol>', out)
    assert [start for start, _ in lists] == ["1", "4"]
    assert [re.findall(r"note (\w+)", items) for _, items in lists] == [
        ["x1", "y1", "y2"], ["z1"]]
    # each list ends its section: after the last passage of A, before B's heading
    assert out.index("note y2") < out.index('<h2 id="b"') < out.index("note z1")
    assert re.findall(r'<a href="#fn-[^"]+">(\d+)</a>', out) == ["1", "2", "4"]


def test_index_lists_each_edition_once_by_its_language_with_isolated_dates(tmp_path):
    """The root's copy of the default variant is not listed again; each heading names the
    language in that language; the date is the edition's, isolated in its direction."""
    def edition(folder: Path, lang: str) -> None:
        folder.mkdir(exist_ok=True)
        (folder / "report.pdf").write_bytes(b"%PDF-" + lang.encode() * 600)
        params = {"lang": lang, "report_date": "2026-12-02"}
        (folder / "report.ipynb").write_text(json.dumps(
            {"cells": [], "metadata": {"papermill": {"parameters": params}}}))

    for lang, name in (("en", "report"), ("fr", "fr"), ("ar", "ar"), ("en", "brief")):
        edition(tmp_path / name, lang)
    edition(tmp_path, "en")  # `render` and `render --all-variants` in one folder
    page = index_html(tmp_path)
    assert page.count("<section") == 4 and 'href="report.pdf"' not in page
    assert re.findall(r"<h2[^>]*><bdi[^>]*>([^<]+)</bdi>", page) == ["English", "العربية",
                                                                    "English", "Français"]
    assert "two pages \u2013 the bottom line" in page
    assert '<bdi lang="ar-TN" dir="rtl">2 ديسمبر 2026</bdi>' in page
    assert '<bdi lang="fr-FR" dir="ltr">2 décembre 2026</bdi>' in page
    assert " - " not in page.split("<main>")[1]
    assert ("<h1>Checking “Tunisia’s Security-First Policy at a Crossroads”: every edition</h1>"
            in page)  # the report's own title
    (tmp_path / "report.pdf").write_bytes(b"%PDF- another render")
    assert index_html(tmp_path).count("<section") == 5  # not a copy: listed


def test_word_is_a4_with_the_pdfs_margins_and_charts_that_fit(english_docx):
    from tunisia_report.export.docx import A4_TWIPS, MARGINS_TWIPS, MAX_IMAGE_SHARE

    document = read_zip(english_docx)["word/document.xml"].decode()
    assert f'<w:pgSz w:w="{A4_TWIPS[0]}" w:h="{A4_TWIPS[1]}"' in document
    margins = re.search(r"<w:pgMar [^>]*>", document).group(0)
    assert all(f'w:{side}="{value}"' in margins for side, value in MARGINS_TWIPS.items())
    height = (A4_TWIPS[1] - MARGINS_TWIPS["top"] - MARGINS_TWIPS["bottom"]) * 635
    extents = [int(cy) for cy in re.findall(r'<wp:extent cx="\d+" cy="(\d+)"', document)]
    assert extents and max(extents) <= MAX_IMAGE_SHARE * height + 1


def test_word_styles_verdict_labels_and_describes_its_fonts():
    parts = read_zip(REFERENCE_DOCX.read_bytes())
    styles = parts["word/styles.xml"].decode()
    assert re.search(r'<w:style w:type="character" w:customStyle="1" w:styleId="VerdictLabel">'
                     r".*?<w:b/>", styles)
    fonts = parts["word/fontTable.xml"].decode()
    assert re.search(r'w:name="Georgia"><w:panose1 w:val="02040502050405020303"/>', fonts)
    assert re.search(r'w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/>',
                     fonts)


@pytest.mark.slow
def test_word_edition_has_theses_and_cards_as_headings_and_styled_verdicts(editions_render):
    """In the rendered report: every claim card and every thesis is a heading (Word's
    navigation pane), and each verdict word is a VerdictLabel run followed by a dash."""
    from tunisia_report.dataset import load

    data = load()
    document = read_zip((editions_render / "report" / "report.docx").read_bytes())[
        "word/document.xml"].decode()
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(
        r'<w:pStyle w:val="Heading2"/>.*?</w:p>', document)]
    assert sum(h.startswith("Thesis ") for h in headings) == len(data.theses)
    assert len(headings) >= len(data.theses) + 20
    labels = re.findall(r'<w:rStyle w:val="VerdictLabel"/>.*?</w:r>\s*<w:r>.*?<w:t[^>]*>([^<]*)',
                        document)
    assert len(labels) >= 20 and all(t.startswith("\u00a0\u2014") for t in labels), labels[:3]
