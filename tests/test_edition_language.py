"""The French and Arabic editions in their own words and conventions: numbers and dates by CLDR
(one sign per job), our notes about sources translated, and no English phrase of our own
templates or data notes left in a rendered edition (read from the session's `editions_render`,
never rendered again)."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pypdf
import pytest

from tunisia_report.dataset import load
from tunisia_report.text import formatting
from tunisia_report.text.citations import DEFAULT_STYLE, _formatted
from tunisia_report.text.dates import format_day
from tunisia_report.text.i18n import POT, isolated_quote, language

# ---- numbers, money and dates, in each edition's CLDR convention -------------------------

def test_arabic_numbers_use_distinct_group_and_decimal_signs():
    with language("ar"):
        grouped, decimal = formatting.format_number(8750), formatting.format_decimal(36.806)
    group_sign = re.sub(r"\d", "", grouped)
    decimal_sign = re.sub(r"\d", "", decimal)
    assert len(group_sign) == 1 and len(decimal_sign) == 1
    assert group_sign != decimal_sign, (grouped, decimal)


@pytest.mark.parametrize(("lang", "expected"), [("en", "34.2"), ("fr", "34,2"), ("ar", "34,2")])
def test_decimals_take_the_editions_decimal_sign(lang, expected):
    with language(lang):
        assert formatting.format_decimal(34.2) == expected


@pytest.mark.parametrize(("lang", "money", "percent"), [
    ("en", "€134 million", "29%"),
    ("fr", "134 millions d’euros", "29\xa0%"),
    ("ar", "134 مليون يورو", "29"),
])
def test_money_and_percent_in_each_editions_words(lang, money, percent):
    with language(lang):
        assert formatting.format_money(134_000_000, "EUR") == money
        assert formatting.format_percent(0.29).startswith(percent)
        assert "EUR" not in formatting.format_money(16_000_000, "EUR")


def test_french_writes_the_first_of_the_month_as_an_ordinal():
    with language("fr"):
        assert format_day(date(2014, 2, 1)) == "1er février 2014"
        assert format_day(date(2014, 2, 11)) == "11 février 2014"
    with language("en"):
        assert format_day(date(2014, 2, 1)) == "1 February 2014"


def _cited(lang_tag: str, locale: str, direction: str):
    import json

    from babel.dates import get_month_names

    item = {"id": "a", "type": "article-newspaper", "title": "Tunisie: un «terroriste» arrêté",
            "container-title": "Le Temps", "issued": {"date-parts": [[2014, 7, 1]]},
            "accessed": {"date-parts": [[2026, 11, 24]]}, "URL": "http://example.org/a"}
    months = tuple(sorted(get_month_names("wide", locale=locale).items()))
    return _formatted(json.dumps([item]), DEFAULT_STYLE, lang_tag, months, direction)


def test_citations_date_without_a_comma_in_arabic_and_with_1er_in_french():
    arabic = _cited("ar-TN", "ar_TN", "rtl")
    for form in (arabic.full["a"].plain, arabic.entry["a"].plain):
        assert "1 جويلية 2014" in form and "24 نوفمبر 2026" in form
        assert not re.search(r"[\u0600-\u06ff]\u060c \d{4}", form), form  # 'جويلية، 2014'
    french = _cited("fr-FR", "fr_FR", "ltr")
    assert "1er juillet 2014" in french.full["a"].plain


def test_an_arabic_citation_isolates_a_latin_title_with_its_quotation_marks():
    """'⁨«⁦Title⁩»⁩': the marks inside the title's isolate stay at its ends when it wraps."""
    plain = _cited("ar-TN", "ar_TN", "rtl").full["a"].plain
    assert re.search("\u2068\u00ab\u2066Tunisie: un «terroriste» arrêté\u2069\u00bb\u2069", plain)
    with language("ar"):
        assert isolated_quote("left fourteen soldiers dead") == (
            "\u2068\u00ableft fourteen soldiers dead\u00bb\u2069")


# ---- our notes about sources, translated ---------------------------------------------------

@pytest.mark.parametrize(("lang", "name", "expected"), [
    ("fr", "El Watan (Algeria)", "El Watan (Algérie)"),
    ("fr", "People's Daily (French edition)", "People's Daily (édition en français)"),
    ("fr", "Andrej Hunko, member of the Bundestag (personal website)",
     "Andrej Hunko, député au Bundestag (site personnel)"),
    ("ar", "Al Wasat (Bahrain)", "Al Wasat (البحرين)"),
    ("ar", "People's Daily (French edition)", "People's Daily (النسخة الفرنسية)"),
    ("en", "El Watan (Algeria)", "El Watan (Algeria)"),
])
def test_publishers_qualifiers_are_in_the_editions_words(lang, name, expected):
    with language(lang):
        assert formatting.publisher(name) == expected


def test_a_title_note_is_translated_with_its_subject(data):
    with language("fr"):
        subjects = formatting.translated_subjects(data.localized("fr"))
        title = formatting.title_words(
            "[No headline shown: Soldiers killed in the Mount Chaambi attack]", subjects)
    assert title == "[Titre non affiché : Soldats tués dans l’attaque du mont Châambi]"


# ---- the rendered editions -----------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{eval\}`[^`]*`|\{[^{}]*\}")


def catalogue_phrases(min_words: int = 4) -> set[str]:
    """Every run of at least `min_words` words between the placeholders of an English msgid
    of the catalogue (our templates and the report's paragraphs), but for the words of the
    sources themselves (the article's title is a message too, and every edition cites it)."""
    from babel.messages.pofile import read_po

    with POT.open("rb") as handle:
        catalogue = read_po(handle)
    data = load()
    theirs = " | ".join([*data.sources["title"].dropna(), *data.figures["quote"].dropna(),
                         *data.events["quote"].dropna(), *data.theses["quote"].dropna()])
    phrases = set()
    for message in catalogue:
        ids = [message.id] if isinstance(message.id, str) else list(message.id or ())
        for msgid in ids:
            for chunk in _PLACEHOLDER.split(msgid):
                chunk = re.sub(r"[*_`\[\]]|\]\([^)]*\)", " ", chunk)
                for piece in re.split(r"[.:;!?\n]", chunk):
                    words = piece.split()
                    if len(words) >= min_words and " ".join(words) not in theirs:
                        phrases.add(" ".join(words))
    return phrases


def data_note_phrases(lang: str) -> set[str]:
    """Our own English notes in the dataset that the `lang` edition shows in other words: the
    title notes' words, publishers' qualifiers ('(French edition)', '(Algeria)'), roles, and
    who gave an estimate, and the published totals' measures, publishers and notes (a phrase the
    language writes the same, '(Qatar)', is left out)."""
    from babel import Locale

    data = load()
    english = Locale.parse("en")
    names = set(english.territories.values()) | set(english.languages.values())
    phrases = {"No headline shown", "Title not known", "toll of:"}
    qualifiers = set(formatting.QUALIFIER_WORDS)
    for producer in data.sources["producer"].dropna():
        match = re.search(r" \(([^()]+)\)$", producer)
        if match and (match[1] in names or match[1].endswith(" edition")):
            qualifiers.add(match[1])
    with language(lang):
        phrases |= {f"({q})" for q in qualifiers if formatting.qualifier_words(q) != q}
        phrases |= {r for r in formatting.ROLE_WORDS
                    if formatting.name_words(f"x, {r}") != f"x, {r}"}
    edition = data.localized(lang)
    cited = set(data.sources["producer"].dropna())  # citations name a source's producer as is
    for table, field in [("departures", "originator"), ("totals", "measure"),
                         ("totals", "publisher"), ("totals", "note")]:
        rows = edition[table].dropna(subset=[field])
        phrases |= {o for o, words in zip(rows[f"{field}_original"], rows[field], strict=True)
                    if o != words and " " in o and o not in cited}
    return phrases


def _visible_text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<svg\b.*?</svg>", " ", page, flags=re.S)  # charts: another test's
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(path).pages).split())


@pytest.fixture(scope="module")
def edition_texts(editions_render) -> dict[str, dict[str, str]]:
    """The editions' text; in HTML, without the charts' data tables (each chart's CSV, its
    cells as the download writes them: field names, '.' decimals; `html.csv_table`)."""
    def page(lang):
        html = (editions_render / lang / "report.html").read_text()
        return re.sub(r'<table class="csv".*?</table>', " ", html, flags=re.S)

    return {lang: {"html": _visible_text(page(lang)),
                   "pdf": _pdf_text(editions_render / lang / "report.pdf")}
            for lang in ("fr", "ar")}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["html", "pdf"])
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_no_english_phrase_of_ours_in_a_french_or_arabic_edition(edition_texts, lang, fmt):
    text = edition_texts[lang][fmt].replace("\u2019", "'")
    plain = re.sub("[\u2066-\u2069\u200e\u200f]", "", text)
    found = sorted(p for p in catalogue_phrases() | data_note_phrases(lang)
                   if p.replace("\u2019", "'") in plain)
    assert found == []


@pytest.mark.slow
def test_arabic_edition_writes_numbers_with_distinct_group_and_decimal_signs(edition_texts):
    """Outside the isolated foreign runs (a source's own title keeps its numbers), a number
    with '.' is grouped by thousands and one with ',' has decimals: never '34.2' or '8,750'."""
    text = edition_texts["ar"]["html"]
    text = re.sub("[\u2066\u2067\u2068][^\u2066-\u2069]*\u2069", " ", text)
    text = re.sub(r"https?://\S+", " ", text)
    decimals_with_a_dot = re.findall(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])", text)
    groups_with_a_comma = re.findall(r"(?<![\d,])\d{1,3},\d{3}(?!\d)", text)
    assert decimals_with_a_dot == [] and groups_with_a_comma == []


def test_data_note_phrases_are_found_in_text_that_holds_them():
    """The phrase lists catch what they are for (so the rendered checks can fail)."""
    text = "Le Temps (French edition), [No headline shown: x], Interior Minister Hédi Majdoub"
    assert {"(French edition)", "No headline shown", "Interior Minister Hédi Majdoub"} <= {
        p for p in data_note_phrases("fr") if p in text}
    assert any(p.startswith("Estimates of those who left") for p in catalogue_phrases())
    assert {"foreign tourists killed in 2015 (AFP running figure)",
            "Institute for Economics and Peace (reported by Middle East Monitor)"} <= (
        data_note_phrases("fr") & data_note_phrases("ar"))
