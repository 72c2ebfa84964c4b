"""Citations through citeproc: CSL-JSON from sources.csv, a pinned CSL style, each edition's
locale (the Arabic edition's Maghreb months), full then short, and text kept as text."""

from __future__ import annotations

import re

import pytest

from tests.helpers import set_cell
from tunisia_report.dataset import load
from tunisia_report.exceptions import NarrativeError
from tunisia_report.text import i18n, narrative
from tunisia_report.text.bibliography import csl_item, csl_items
from tunisia_report.text.citations import STYLES, formatted, style_file

ARTICLE = "bechri-2014"


@pytest.fixture
def tracked():
    narrative.track_citations()
    yield
    narrative.track_citations(False)


def test_every_offered_style_is_in_the_pinned_package():
    for name in STYLES:
        assert style_file(name).read_text(encoding="utf-8").lstrip().startswith("<?xml")
    with pytest.raises(NarrativeError, match="no such CSL style; use one of chicago"):
        style_file("my-house-style")


def test_csl_items_carry_author_dates_at_their_precision_and_url(data):
    article = csl_item(data.sources.set_index("source_id", drop=False).loc[ARTICLE])
    assert article["author"] == [{"family": "Bechri", "given": "Mohamed"}]
    assert article["issued"] == {"date-parts": [[2014, 7, 23]]}
    assert article["URL"].startswith("http")
    month_only = data.sources[data.sources["published_precision"] == "month"].iloc[0]
    assert len(csl_item(month_only)["issued"]["date-parts"][0]) == 2


def test_notes_cite_in_full_first_then_short(data, tracked):
    first = narrative.fill("{fig:chaambi-soldiers-killed}", data).plain
    later = narrative.fill("{fig:chaambi-soldiers-injured}", data).plain
    assert "Mohamed Bechri, ‘Tunisia’s Security-First Policy at a Crossroads’" in first
    assert "Bechri, ‘Tunisia’s Security-First Policy’: " in later
    assert "Crossroads" not in later and "2014" not in later


def test_another_style_is_a_parameter(data):
    narrative.track_citations(style="apa")
    try:
        note = narrative.fill("{fig:chaambi-soldiers-killed}", data).plain
    finally:
        narrative.track_citations(False)
    assert "(Bechri, 2014): " in note


def test_french_and_arabic_terms_and_months():
    data = load()
    items = csl_items(data.sources)
    french = formatted(items, lang_tag="fr-FR").full[ARTICLE].plain
    assert "«\u00a0Tunisia’s Security-First Policy at a Crossroads\u00a0»" in french
    assert "23 juillet 2014" in french
    with i18n.language("ar"):
        arabic = narrative.source_citations(data.localized("ar")).full[ARTICLE].plain
    assert "جويلية" in arabic and "يوليو" not in arabic
    # Latin titles and URLs keep their order in a right-to-left line: isolated
    assert "\u2066Tunisia’s Security-First Policy at a Crossroads\u2069" in arabic
    assert "\u2066http://fikraforum.org/?p=5124\u2069" in arabic
    assert "\u2066" not in french
    # the style's own commas are Arabic; a title's, isolated, stay as written
    outside = re.sub("\u2066[^\u2069]*\u2069", "", arabic)
    assert outside.count("\u060c") >= 3 and "," not in outside
    assert "," in french


def test_a_latin_title_keeps_its_commas_in_the_arabic_edition():
    items = [{"id": "x", "type": "webpage", "title": "Tunis, Sousse, Bardo",
              "publisher": "Agency, Ltd"}]
    arabic = formatted(items, lang_tag="ar", direction="rtl").full["x"].plain
    assert "\u2066Tunis, Sousse, Bardo\u2069" in arabic
    assert "\u2066Agency, Ltd\u2069" in arabic


def test_a_title_is_text_in_every_form(data_copy):
    set_cell(data_copy, "sources", ARTICLE, "title", "<b>Bold</b> & *stars* [x](y) {{brace}}")
    data = load(data_copy, check=False)
    cited = narrative.source_citations(data)
    full = cited.full[ARTICLE]
    assert "<b>" not in full.html and "&lt;b&gt;Bold&lt;/b&gt; &amp;" in full.html
    assert "\\*stars\\*" in full.markdown and "\\[x\\](y)" in full.markdown
    assert "<b>Bold</b> & *stars* [x](y) {{brace}}" in full.plain
    assert re.search(r'<a href="http[^"]+">', cited.entry[ARTICLE].html)  # the URL is a link


def test_the_report_offers_the_styles_and_is_dated_after_every_source_was_read(data):
    from tunisia_report.parameters import declared_parameters, read_notebook
    from tunisia_report.paths import REPORT_NOTEBOOK

    params = {p.name: p for p in declared_parameters(read_notebook(REPORT_NOTEBOOK))}
    assert tuple(params["citation_style"].choices) == STYLES
    assert params["citation_style"].default == STYLES[0]
    last_read = max(str(d)[:10] for d in data.sources["date_accessed"].dropna())
    assert params["report_date"].default >= last_read  # no source "accessed" after the report


def test_the_cards_link_to_the_numbered_list_of_sources(data):
    from tunisia_report.report import content

    cards, listing = content.corroboration_text(data), content.corroboration_sources(data)
    assert '<a href="#record-sources">' in cards.html  # "and N more in the list of sources"
    assert '<ol class="sources" id="record-sources">' in listing.html
    assert '<span id="source-1">' in listing.markdown and '<li id="source-1">' in listing.html
    entries = listing.markdown.count('<span id="source-')
    assert entries == listing.html.count('<li id="source-') > 0



def test_authors_are_split_at_semicolons_and_bodies_and_initials_stay_whole():
    """'Arshad Mohammed; Patrick Markey' is two people (it was 'Markey, Arshad Mohammed;
    Patrick'); a body ('Senior State Department Officials') and a byline of initials ('Z. A.')
    are literal names, never split into family and given."""
    from tunisia_report.text.bibliography import people

    assert people("Arshad Mohammed; Patrick Markey") == [
        {"family": "Mohammed", "given": "Arshad"}, {"family": "Markey", "given": "Patrick"}]
    assert people("Senior State Department Officials") == [
        {"literal": "Senior State Department Officials"}]
    assert people("Z. A.") == [{"literal": "Z. A."}] and people("N.J.") == [{"literal": "N.J."}]
    assert people("Mohamed Bechri") == [{"family": "Bechri", "given": "Mohamed"}]


def test_formatted_citations_are_kept_in_the_store_and_made_again_when_a_source_changes(
        data, tmp_path, monkeypatch):
    """Another process (here: this one, its own memo cleared) reads the citations a first one
    formatted from the store of computed results; an edited source, or another style, is
    formatted again by citeproc."""
    from tunisia_report import store
    from tunisia_report.text import citations

    monkeypatch.setenv(store.SWITCH, str(tmp_path / "store"))
    runs = []
    monkeypatch.setattr(citations, "_format",
                        lambda *args, run=citations._format: runs.append(args[1:]) or run(*args))
    items = csl_items(data.sources.head(3))
    try:
        citations._formatted.cache_clear()
        first = formatted(items)
        citations._formatted.cache_clear()
        assert formatted(items) == first and len(runs) == 1  # read back, not formatted again
        edited = [{**items[0], "title": items[0]["title"] + " (edited)"}, *items[1:]]
        citations._formatted.cache_clear()
        assert "(edited)" in formatted(edited).full[items[0]["id"]].plain and len(runs) == 2
        citations._formatted.cache_clear()
        formatted(items, style="apa")
        assert len(runs) == 3 and len(list((tmp_path / "store").glob("*.pickle"))) == 3
    finally:
        citations._formatted.cache_clear()  # no memo of this test's store for the next test
