"""The editions: catalogues complete and current, placeholders intact, plural forms, Babel's
numbers and dates per locale, the dataset's names per language, and no silent fallback."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.helpers import PYTHON, figure_texts
from tunisia_report.exceptions import DataError, TranslationError
from tunisia_report.paths import ROOT
from tunisia_report.text import i18n
from tunisia_report.text.dates import event_date, format_date
from tunisia_report.text.formatting import format_number

EDITIONS = [lang for lang in i18n.EDITIONS if lang != i18n.SOURCE_LANG]


def extracted() -> set:
    """Every message in the code now, as `make messages` extracts it (babel.cfg)."""
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {(context, message if isinstance(message, str) else message[0])
            for _, _, message, _, context in extract_from_dir(
                str(ROOT), method_map, options_map)}


def catalogue_ids(path: Path, translated_only: bool = False) -> set:
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog
            if m.id and not (translated_only and (m.fuzzy or not i18n._translated(m)))}


def test_the_template_lists_every_message_of_the_code():
    assert catalogue_ids(i18n.POT) == extracted(), "run `make messages`"


@pytest.mark.parametrize("lang", EDITIONS)
def test_untranslated_messages(lang):
    """Every message of the code has a translation (`make messages` adds new ones empty)."""
    missing = extracted() - catalogue_ids(i18n.catalogue_path(lang), translated_only=True)
    assert sorted(m for _, m in missing) == []


@pytest.mark.parametrize("lang", EDITIONS)
def test_catalogues_load_with_their_placeholders_intact(lang):
    i18n.read_catalogue(i18n.catalogue_path(lang))


def test_a_broken_placeholder_names_file_line_and_message(tmp_path):
    source = i18n.catalogue_path("fr")
    broken = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    broken.parent.mkdir(parents=True)
    text = source.read_text(encoding="utf-8")
    text = text.replace('msgstr "au moins {number}"', 'msgstr "au moins {nombre}"')
    article = 'msgstr "l\u2019article\u00a0: {amount'
    text = text.replace(article + '}"', article + '"')
    broken.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    line = next(i for i, x in enumerate(lines, 1) if x == 'msgid "at least {number}"')
    with pytest.raises(TranslationError) as error:
        i18n.read_catalogue(broken)
    message = str(error.value)
    assert f"{broken}:{line}: msgid 'at least {{number}}': placeholders ['{{nombre}}']" in message
    assert "msgid 'the article: {amount}': unmatched brace" in message


def test_no_silent_fallback_to_english():
    with i18n.language("fr"), pytest.raises(TranslationError, match="no translation of msgid"):
        i18n.gettext("A sentence nobody translated")
    with pytest.raises(TranslationError, match="unknown language 'de'; languages: en, fr, ar"):
        i18n.activate("de")


def test_plural_forms_follow_each_language():
    singular, plural = "{n} event", "{n} events"
    with i18n.language("ar"):  # zero, one, two, few (3-10), many (11-99), other
        forms = [i18n.ngettext(
            "The article describes {n} policy measure: {counts}.",
            "The article describes {n} policy measures: {counts}.", n) for n in (1, 2, 7, 11, 100)]
    assert len(set(forms)) == 5 and "تدبيرين" in forms[1] and "تدابير" in forms[2]
    with i18n.language("fr"):
        assert i18n.ngettext("The article describes {n} policy measure: {counts}.",
                             "The article describes {n} policy measures: {counts}.", 1) \
            .startswith("L’article décrit {n} mesure\u00a0:")
    with i18n.language("en"):
        assert i18n.ngettext(singular, plural, 1) == singular
        assert i18n.ngettext(singular, plural, 2) == plural


@pytest.mark.parametrize(("lang", "number", "day", "month"), [
    ("en", "8,000", "23 July 2014", "February 2014"),
    ("fr", "8\u202f000", "23 juillet 2014", "février 2014"),
    # CLDR: ar_TN writes Latin digits, groups with '.', and names the Maghreb months.
    ("ar", "8.000", "23 جويلية 2014", "فيفري 2014"),
])
def test_babel_writes_numbers_and_dates_per_locale(lang, number, day, month):
    with i18n.language(lang):
        assert format_number(8000) == number
        assert format_number(1950, "year") == "1950"
        assert format_date(date(2014, 7, 23), "day") == day
        assert format_date(date(2014, 2, 1), "month") == month
        span = event_date({"start_date": date(2014, 7, 13), "end_date": date(2014, 7, 14),
                           "date_precision": "day"})
        assert span == "13–" + format_date(date(2014, 7, 14), "day")


def test_french_quotes_have_narrow_no_break_spaces():
    with i18n.language("fr"):
        assert i18n.quote("recent") == "«\u202frecent\u202f»"
        assert i18n.original_quote("left") == "«\u202fleft\u202f» (en anglais dans l’original)"
    assert i18n.original_quote("left") == "“left”"


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_name_and_label_has_its_translation(data, lang):
    edition = data.localized(lang)
    assert edition.places.set_index("place_id").loc["mount-chaambi", "name"] == {
        "fr": "Mont Châambi (Djebel Chambi)", "ar": "جبل الشعانبي"}[lang]
    # The article's words stay in English, beside the translation.
    row = edition.figures.set_index("figure_id").loc["chaambi-soldiers-killed"]
    assert row["quote"] == "left fourteen soldiers dead"
    assert row["amount_text_original"] == "fourteen"


def test_a_missing_translation_is_an_error_listing_it(data):
    edition = data.copy()
    import pandas as pd

    from tunisia_report.dataset import Dataset

    frames = dict(edition)
    frames["translations"] = frames["translations"][
        ~((frames["translations"]["row_id"] == "tunis") & (frames["translations"]["lang"] == "fr"))]
    partial = Dataset(frames, data.descriptor, data.data_dir)
    assert isinstance(partial["translations"], pd.DataFrame)
    with pytest.raises(DataError, match="no 'fr' text for: places/tunis/name"):
        partial.localized("fr")


def test_exported_headings_follow_the_edition():
    import nbformat

    from tunisia_report.export.preprocess import SectionHeadings

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "## Summary of findings", metadata={"tags": ["section:summary"]})])
    nb, _ = SectionHeadings(lang="fr").preprocess(nb, {})
    assert nb.cells[0].source == "## Synthèse des constats"


def test_arabic_charts_are_arabic_in_amiri(data):
    from tunisia_report.charts import CHARTS, style

    with i18n.language("ar"):
        style.apply()
        chart = CHARTS["key-figures"](data.localized("ar"))
        texts = " ".join(figure_texts(chart.figure))
        families = {t.get_fontfamily()[0] for t in chart.figure.findobj(
            lambda a: hasattr(a, "get_fontfamily"))}
    style.apply()
    assert "الجنود الذين قُتلوا في هجوم جبل الشعانبي" in texts and "soldiers" not in texts
    assert families == {"Amiri"}
    assert all(p.exists() for p in i18n.edition("ar").font_files())


def test_an_unknown_language_is_a_parameter_error(tmp_path):
    proc = subprocess.run([PYTHON, "-m", "tunisia_report", "render", "--output-dir",
                           str(tmp_path), "-p", "lang", "de"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "lang" in proc.stderr and "en, fr, ar" in proc.stderr


def test_make_messages_leaves_current_catalogues_unchanged(tmp_path):
    """`make messages` on current catalogues changes nothing (its extract and update steps)."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    pybabel = str(Path(PYTHON).parent / "pybabel")
    subprocess.run([pybabel, "extract", "-F", "babel.cfg", "--no-location", "--sort-output",
                    "--no-wrap", "--omit-header", "-o", str(locale / "messages.pot"), "."],
                   cwd=ROOT, check=True, capture_output=True)
    subprocess.run([pybabel, "update", "-i", str(locale / "messages.pot"), "-d", str(locale),
                    "--no-wrap", "--no-fuzzy-matching", "--ignore-obsolete"],
                   check=True, capture_output=True)
    for lang in EDITIONS:
        assert catalogue_ids(i18n.catalogue_path(lang), True) == catalogue_ids(
            locale / lang / "LC_MESSAGES" / "messages.po", True)


@pytest.mark.parametrize("lang", EDITIONS)
def test_no_number_is_typed_into_a_translation(lang):
    """Numbers come from the data through placeholders, in every language."""
    import re

    with open(i18n.catalogue_path(lang), "rb") as handle:
        catalog = read_po(handle)
    digits = re.compile(r"\d")
    typed = []
    for m in (m for m in catalog if m.id):
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        allowed = set(digits.findall(i18n._PLACEHOLDER.sub("", "".join(ids))))
        for form in strings:
            if set(digits.findall(i18n._PLACEHOLDER.sub("", form))) - allowed:
                typed.append(form)
    assert typed == []
