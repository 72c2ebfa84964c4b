"""The real report, rendered end to end: files, PDF text, HTML, determinism, the brief variant,
the French and Arabic editions (all read from the session's two renders, never re-rendered)."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from tests.helpers import render_digests
from tests.pdfcheck import accessibility_problems, empty_bands
from tunisia_report.charts import CHARTS, reported_figures
from tunisia_report.dataset import load
from tunisia_report.paths import ROOT
from tunisia_report.text.formatting import format_number


def chart_labels() -> list[str]:
    """The label of every chart the full report draws: one per `rep.chart("key")` of the
    report notebook, and one `figure-reports-<figure_id>` per figure the public record gives
    numbers for."""
    source = (ROOT / "notebooks" / "report.ipynb").read_text(encoding="utf-8")
    keys = re.findall(r'rep\.chart\(\\"([a-z0-9-]+)\\"', source)
    assert keys and set(keys) <= set(CHARTS)
    per_figure = [f"figure-reports-{f}" for f in reported_figures(load())]
    return [k for k in keys if k != "figure-reports"] + per_figure


# One worker runs the module (its module-scoped fixtures are made once; see conftest).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report-render")]


@pytest.fixture(scope="module")
def rendered(report_render) -> Path:
    return report_render


@pytest.fixture(scope="module")
def pdf_pages(rendered) -> list[str]:
    """The text of each page of the English PDF, extracted once for the module's tests."""
    return [page.extract_text() for page in pypdf.PdfReader(rendered / "report.pdf").pages]


@pytest.fixture(scope="module")
def pdf_text(pdf_pages) -> str:
    return "\n".join(pdf_pages)


def test_outputs(rendered):
    for name in ("report.ipynb", "report.html", "report.pdf", "00_dataset.ipynb",
                 "01_casualties.ipynb", "02_counter_terrorism.ipynb", "03_timeline_map.ipynb"):
        assert (rendered / name).stat().st_size > 0, name
    for key in chart_labels():
        assert (rendered / "figures" / f"{key}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"<svg" in (rendered / "figures" / f"{key}.svg").read_bytes()[:2000]
    assert (rendered / "report.pdf").read_bytes()[:5] == b"%PDF-"


def test_pdf_has_title_numbers_and_citations(pdf_text):
    flat = " ".join(pdf_text.split())
    assert "Tunisia’s Security-First Policy at a Crossroads" in flat
    data = load()
    for row in data.figures.dropna(subset=["value"]).itertuples():
        # The appendix writes each number with the article's words: 14 (“fourteen”).
        expected = f"{format_number(row.value, row.unit)} (“{row.amount_text}”)"
        assert expected in flat, expected
    assert ("Mohamed Bechri, ‘Tunisia’s Security-First Policy at a Crossroads’, The Washington "
            "Institute for Near East Policy, 23 July 2014, accessed 24 November 2026") in flat
    assert "“left fourteen soldiers dead”" in flat
    assert "Figure 1" in flat or "FIGURE 1" in flat
    assert "import " not in flat  # no code by default


def test_html_is_one_file_with_alt_text_and_no_code(rendered):
    html = (rendered / "report.html").read_text()
    charts = re.findall(r"<svg\b[^>]*>", html)  # inline, so each mark's <title> is a tooltip
    assert len(charts) == 2 * len(chart_labels()) and "<img" not in html  # wide, and a phone's
    for tag in charts:
        name = re.search(r'aria-label="([^"]*)"', tag)
        assert name and len(name.group(1)) > 40 and 'role="img"' in tag, tag[:200]
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', html)
    assert "rep.chart(" not in html


def test_claims_csv_is_written_beside_the_report(rendered):
    from tunisia_report.dataset.verdicts import claims_csv

    assert (rendered / "claims.csv").read_bytes() == claims_csv(load()).encode("utf-8")


def test_determinism(rendered, editions_render):
    """A second render of the same inputs (the English report of the session's other render)
    gives byte-identical files."""
    before = render_digests(rendered)
    after = render_digests(editions_render / "report")
    assert before.keys() == after.keys()
    assert before == after


@pytest.fixture(scope="module")
def brief(editions_render) -> Path:
    return editions_render / "brief"


def test_brief_variant_is_short(brief):
    pages = len(pypdf.PdfReader(brief / "report.pdf").pages)
    assert pages <= 2
    assert not (brief / "01_casualties.ipynb").exists()


def test_brief_names_no_section_it_does_not_contain(brief):
    """Its pointers ("see …", the summary's last paragraph) name only what the brief has."""
    from tunisia_report.report.sections import SECTIONS

    text = " ".join(p.extract_text() for p in pypdf.PdfReader(brief / "report.pdf").pages)
    text = " ".join(text.split())
    kept = ("summary", "key-figures")
    assert all(SECTIONS[key] in text for key in kept)
    named = [title for key, title in SECTIONS.items() if key not in kept and title in text]
    assert named == []


def test_full_report_and_brief_are_pdf_ua_1_and_pdf_a_2a(rendered, brief):
    pdf = (rendered / "report.pdf").read_bytes()
    assert accessibility_problems(pdf, lang="en-GB", figures=len(chart_labels())) == []
    pdf = (brief / "report.pdf").read_bytes()
    assert accessibility_problems(pdf, lang="en-GB", figures=1) == []  # the key figures


@pytest.mark.parametrize("which", ["brief", "report"])
def test_no_page_but_the_last_ends_more_than_a_quarter_empty(rendered, brief, which):
    pdf = {"report": rendered, "brief": brief}[which] / "report.pdf"
    bands = empty_bands(pdf.read_bytes())
    assert max(bands[:-1]) <= 0.25, [round(b, 2) for b in bands]


def test_sections_keep_their_order_on_the_page(pdf_pages):
    """A chart that floats for a fuller page never carries its section past the next one."""
    from tunisia_report.report.sections import SECTIONS

    text = "".join(pdf_pages)
    headings = [title for title in SECTIONS.values() if f"\n{title}\n" in text]
    assert len(headings) == len(SECTIONS)
    positions = [text.index(f"\n{title}\n") for title in headings]
    assert positions == sorted(positions)


# --- the French and Arabic editions ----------------------------------------------------------

EDITION_TAGS = {"fr": "fr-FR", "ar": "ar-TN"}


@pytest.fixture(scope="module")
def editions(editions_render) -> Path:
    return editions_render


@pytest.mark.parametrize("lang", EDITION_TAGS)
def test_each_edition_is_pdf_ua_1_and_pdf_a_2a_in_its_language(editions, lang):
    pdf = (editions / lang / "report.pdf").read_bytes()
    assert accessibility_problems(pdf, lang=EDITION_TAGS[lang], figures=len(chart_labels())) == []
    assert sorted(p.name for p in (editions / lang / "figures").glob("*.png")) == sorted(
        f"{label}.png" for label in chart_labels())


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_no_edition_page_but_the_last_ends_more_than_a_quarter_empty(editions, lang):
    bands = empty_bands((editions / lang / "report.pdf").read_bytes())
    assert max(bands[:-1]) <= 0.25, [round(b, 2) for b in bands]


@pytest.mark.parametrize("lang", EDITION_TAGS)
def test_each_edition_html_has_lang_dir_and_alt_text(editions, lang):
    html = (editions / lang / "report.html").read_text()
    direction = "rtl" if lang == "ar" else "ltr"
    assert re.search(rf'<html dir="{direction}" lang="{EDITION_TAGS[lang]}">', html)
    charts = re.findall(r"<svg\b[^>]*>", html)
    assert len(charts) == 2 * len(chart_labels())  # each chart wide, and laid out for a phone
    assert all(len(re.search(r'aria-label="([^"]*)"', tag).group(1)) > 40 for tag in charts)


@pytest.mark.parametrize("lang", EDITION_TAGS)
def test_each_id_in_an_edition_page_is_unique(editions, lang):
    """A link, a label or a tooltip finds the element its id names (the inline charts, wide
    and phone, give every mark an id of its own)."""
    ids = re.findall(r'\sid="([^"]+)"', (editions / lang / "report.html").read_text())
    assert len(ids) > 100
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize("lang", EDITION_TAGS)
def test_each_edition_writes_its_claims_csv_in_its_language(editions, lang):
    from tunisia_report.dataset.verdicts import claims_csv
    from tunisia_report.text.i18n import language

    with language(lang):
        expected = claims_csv(load().localized(lang))
    assert (editions / lang / "claims.csv").read_text(encoding="utf-8") == expected
    assert "How many soldiers" not in expected  # what each claim asserts, translated


def test_french_edition_typography_and_short_citations(editions):
    pages = pypdf.PdfReader(editions / "fr" / "report.pdf").pages
    text = "\n".join(p.extract_text() for p in pages)
    flat = re.sub(r"[ \n]+", " ", text)  # (str.split would take U+202F and U+00A0 for spaces)
    # Known defect: once Typst hyphenates a French line, the PDF maps the font's hyphen glyph to
    # U+00AD, so pypdf reads every literal hyphen of that font as a soft hyphen.
    flat = flat.replace("\u00ad", "-")
    assert "Synthèse des constats" in flat and "Summary of findings" not in flat
    assert "8\u202f000" in flat and "23 juillet 2014" in flat
    assert "«\u202fleft fourteen soldiers dead\u202f» (en anglais dans l’original)" in flat
    full = "Mohamed Bechri, «\u00a0Tunisia’s Security-First Policy at a Crossroads\u00a0»"
    assert flat.count(full) == 1  # the first note in full; the others in short
    assert flat.count("Bechri, «\u00a0Tunisia’s Security-First Policy\u00a0»\u00a0:") > 5


def test_arabic_edition_embeds_amiri(editions):
    import pikepdf

    with pikepdf.open(editions / "ar" / "report.pdf") as pdf:
        fonts = {str(o.get("/BaseFont")) for o in pdf.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"}
    assert any("Amiri" in f for f in fonts), fonts
    html = (editions / "ar" / "report.html").read_text()
    assert "ملخّص النتائج" in html and "جبل الشعانبي" in html


@pytest.mark.parametrize("variant", ["report", "fr", "ar"])
def test_word_has_typographic_quotes_in_every_edition(editions_render, variant):
    """The typographic pass runs for Word as for the PDF and the HTML: no straight quote or
    apostrophe in the document's text, and the edition's own quotation marks."""
    import zipfile

    with zipfile.ZipFile(editions_render / variant / "report.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    assert "Mount Chaambi" in text or "الشعانبي" in text or "Chaambi" in text
    assert text.count("&quot;") + text.count('"') == 0
    assert "'" not in text and "&apos;" not in text
    opening = {"report": "“", "fr": "«\u202f", "ar": "«"}[variant]
    assert opening in text and "’" in text


@pytest.mark.parametrize("variant", ["report", "fr", "ar", "brief"])
def test_no_footnote_mark_is_glued_to_a_number(editions_render, variant):
    """Marks go at clause ends: '14¹' reads '141' in the text layer (and in Arabic the mark
    came before the number)."""
    from tests.pdfcheck import marks_on_numbers

    assert marks_on_numbers((editions_render / variant / "report.pdf").read_bytes()) == []


@pytest.mark.parametrize("variant", ["report", "fr", "ar", "brief"])
def test_no_two_notes_say_the_same(editions_render, variant):
    """Each source is cited in full once, each quote given once: no note repeats another (the
    HTML's notes, which are the PDF's and Word's)."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup((editions_render / variant / "report.html").read_text(), "html.parser")
    notes = [" ".join(li.get_text(" ").replace("↩", "").split())
             for li in page.select("ol.footnotes > li")]
    assert notes and len(notes) == len(set(notes))
    # gathered at each section's end, not after every paragraph
    assert len(page.select("ol.footnotes")) <= len(page.select("main h2"))


def test_page_one_answers_under_a_title_of_its_own(pdf_pages, data):
    """The English PDF's first page: the report's own title, the corrections by name, and
    each thesis named with its verdict in words."""
    from tunisia_report.dataset.aftermath import thesis_results
    from tunisia_report.dataset.verdicts import claims
    from tunisia_report.report.sections import TITLE_BLOCK
    from tunisia_report.report.summary import CORRECTIONS

    page = pdf_pages[0]
    flat = " ".join(page.split()).replace("'", "’")

    def typeset(text):
        return " ".join(str(text).split()).replace("'", "’")

    title = typeset(TITLE_BLOCK["title"])
    assert title.startswith("Checking “") and 0 <= flat.find(title) < 30  # under the kicker
    table = claims(data)
    for row in table[table["verdict"].isin(CORRECTIONS)].itertuples():
        assert f"“{typeset(row.label)}”" in flat, row.label
    words = {"borne-out": "borne out", "partly": "partly borne out",
             "not-borne-out": "not borne out", "untestable": "cannot be tested"}
    verdict_words = re.compile("|".join(sorted(map(re.escape, words.values()), key=len,
                                               reverse=True)))
    short = dict(zip(data.theses["thesis_id"], data.theses["short"], strict=True))
    for thesis in thesis_results(data):  # each named, then (after the names it shares a
        name = f"“{typeset(short[thesis['thesis_id']])}”"  # verdict with) its verdict
        assert name in flat, name
        after = verdict_words.search(flat, flat.index(name))
        assert after and after.group() == words[thesis["verdict"]], (name, after)
    assert "The record was last checked on" in flat and "CORRECTIONS.md" in flat


def test_the_briefs_two_pages_are_each_at_least_three_quarters_full(brief):
    pdf = (brief / "report.pdf").read_bytes()
    bands = empty_bands(pdf)
    assert len(bands) == 2 and max(bands) <= 0.25, [round(b, 2) for b in bands]
