"""The Word editions as a colleague opens them: fonts their machine has, Arabic notes that read
right to left with their Latin text in order; and two texts every edition shares (the policy
line, the published totals).

Word files are read as what they are (OOXML parts), made from the export contract notebook.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
import pytest

from tunisia_report.dataset import aftermath as record
from tunisia_report.dataset import load
from tunisia_report.export import notebook_to_docx
from tunisia_report.export.archive import read_zip
from tunisia_report.export.docx import LRM, latin_pieces
from tunisia_report.export.reference_docx import COMPLEX_FONT, LATIN_FONT
from tunisia_report.paths import DATA_DIR
from tunisia_report.report import aftermath, content
from tunisia_report.text import i18n

FIXTURES = Path(__file__).parent / "fixtures" / "export"
# Installed with every Windows and macOS (Consolas comes with Word on both, for code).
EVERY_MACHINE = {"Georgia", "Times New Roman", "Arial", "Consolas"}


def docx_of(lang: str) -> bytes:
    """The export contract notebook as the edition `lang` in Word."""
    nb = copy.deepcopy(nbformat.read(FIXTURES / "report_contract.ipynb", as_version=4))
    nb.metadata["papermill"] = {"parameters": {"lang": lang}}
    return notebook_to_docx(nb, resources={"metadata": {"path": str(FIXTURES)}})


@pytest.fixture(scope="module")
def editions() -> dict[str, dict[str, str]]:
    """Each edition's Word parts, as text."""
    return {lang: {name: part.decode() for name, part in read_zip(docx_of(lang)).items()
                   if name.endswith(".xml")} for lang in ("en", "fr", "ar")}


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_word_names_only_fonts_every_windows_and_mac_has(editions, lang):
    parts = editions[lang]
    named = set()
    for name in ("word/styles.xml", "word/document.xml", "word/footnotes.xml"):
        for fonts in re.findall(r"<w:rFonts [^>]*>", parts.get(name, "")):
            named |= set(re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"', fonts))
    assert named and named <= EVERY_MACHINE, named
    assert "Theme" not in parts["word/styles.xml"].split("<w:latentStyles")[0]  # no theme font
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", parts["word/styles.xml"], re.S)
    assert f'w:ascii="{LATIN_FONT}"' in defaults.group(0)
    assert f'w:cs="{COMPLEX_FONT}"' in defaults.group(0)  # Arabic runs: a font with Arabic
    table = parts["word/fontTable.xml"]
    for font in (LATIN_FONT, COMPLEX_FONT):  # described, so Word can match a substitute
        assert re.search(f'w:name="{font}"><w:panose1 w:val="[0-9A-F]{{20}}"/>'
                         '<w:family w:val="roman"/>', table), font


def test_latin_text_is_cut_from_arabic_at_its_edges():
    text = ("بشري، «Tunisia's Security-First Policy»، The Washington Institute، "
            "23 جويلية 2014، http://fikraforum.org/?p=5124.")
    latin = [piece for is_latin, piece in latin_pieces(text) if is_latin]
    assert latin == ["«Tunisia's Security-First Policy»", "The Washington Institute",
                     "http://fikraforum.org/?p=5124"]
    assert "".join(piece for _, piece in latin_pieces(text)) == text
    quoted = [p for is_latin, p in latin_pieces("قال: “Western support is imperative.” ثم")
              if is_latin]
    assert quoted == ["“Western support is imperative.”"]  # English marks go with English
    # an unpaired guillemet or bracket stays with the Arabic text around
    assert [p for is_latin, p in latin_pieces("«وزير Hédi Majdoub» في 17 (Tunisia Live)، ب")
            if is_latin] == ["Hédi Majdoub", "Tunisia Live"]


def test_arabic_word_notes_and_separator_are_right_to_left(editions):
    parts = editions["ar"]
    notes = parts["word/footnotes.xml"]
    for kind in ("separator", "continuationSeparator"):
        separator = re.search(f'<w:footnote w:type="{kind}".*?</w:footnote>', notes).group(0)
        assert "<w:bidi/>" in separator
    normal = re.search(r'<w:style w:default="1" w:styleId="Normal".*?</w:style>',
                       parts["word/styles.xml"], re.S).group(0)
    assert "<w:bidi/>" in normal  # LibreOffice sets the separator at the right only then
    runs = re.findall(r"<w:r>(.*?)</w:r>", notes, re.S)
    latin = [r for r in runs if re.search(r"<w:t[^>]*>[^<]*[A-Za-z]", r)]
    assert latin
    for run in latin:  # a Latin run is left to right and held between left-to-right marks
        assert "<w:rtl/>" not in run, run
        text = re.search(r"<w:t[^>]*>([^<]*)</w:t>", run).group(1)
        assert text.startswith(LRM) and text.endswith(LRM), text
    assert "\u201cUnless Western countries" in notes  # the quote with its opening mark


def test_english_word_has_no_left_to_right_marks(editions):
    for name in ("word/document.xml", "word/footnotes.xml"):
        assert LRM not in editions["en"][name]
        assert "<w:rtl/>" not in editions["en"][name]


def _depth(text: str) -> int:
    deepest = depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_published_totals_have_no_brackets_inside_brackets(lang):
    with i18n.language(lang):
        data = load(DATA_DIR).localized(lang)
        totals = aftermath.census_table(data).plain.split("\n")
    listed = [line for line in totals if " — " in line]
    assert len(listed) == len(data.totals)
    assert all(_depth(line) <= 1 for line in listed), [t for t in listed if _depth(t) > 1]


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_the_policy_line_reads_the_threat_and_the_remedy_from_the_record(lang):
    with i18n.language(lang):
        data = load(DATA_DIR).localized(lang)
        line = content.summary_policy(data)
        results = record.thesis_results(data)
        support = record.measure(data, "support-by-kind")
        years = record.measure(data, "years-with-victims")
        lead = i18n.gettext("For policy.")
    assert line is not None and line.plain.startswith(lead)
    remedy = next(r for r in results if r["verdict"] == "untestable")
    short = data.theses.set_index("thesis_id").loc[remedy["thesis_id"], "short"]
    assert short in line.plain
    assert f" {support['n']} " in line.plain
    assert f" {len(years['years'])} " in line.plain and str(years["last"]) in line.plain


def test_no_policy_line_without_theses():
    data = load(DATA_DIR)
    data["theses"] = data["theses"].iloc[0:0]
    assert content.summary_policy(data) is None


def test_review_reads_the_arabic_words_without_their_marks(tmp_path, editions):
    from tunisia_report.render.review import read_document

    assert LRM in editions["ar"]["word/document.xml"]  # the untranslated English paragraphs
    (tmp_path / "ar.docx").write_bytes(docx_of("ar"))
    paragraphs, _ = read_document(tmp_path / "ar.docx")
    assert any("Mehdi Jomaa" in p.before for p in paragraphs)
    assert not any(LRM in p.before or LRM in p.after for p in paragraphs)
