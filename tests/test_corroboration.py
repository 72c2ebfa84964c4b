"""The section "How the article holds up": a card per claim (anchor, badge, quote, reason, its
own sources as links), corrections first, counts from the verdicts, every source listed with its
locator, text from the record escaped."""

from __future__ import annotations

import re

from tests.helpers import prose_output, report_cell, set_cell
from tunisia_report.charts.style import VERDICT_COLOURS
from tunisia_report.dataset import load
from tunisia_report.dataset.verdicts import claims
from tunisia_report.paths import ROOT
from tunisia_report.report import cards, content, summary
from tunisia_report.text import escape
from tunisia_report.text.dates import format_day
from tunisia_report.text.formatting import verdict_words


def test_every_claim_has_a_card_with_its_anchor_badge_and_quote(data):
    text = content.corroboration_text(data)
    table = cards.ordered_claims(data)
    assert len(table) == len(claims(data))
    for claim in table.itertuples():
        assert f'<article class="verdict-card verdict-card--{claim.verdict}" ' \
               f'id="claim-{claim.claim_id}"' in text.html
        assert f"{{#claim-{claim.claim_id}}}" in text.markdown  # the heading's Typst label
        assert escape.html_text(claim.label) in text.html
        assert escape.html_text(claim.quote) in text.html
        assert f"[{verdict_words(claim.verdict)}] {claim.conclusion}" in text.plain


def test_corrections_come_first(data):
    html = content.corroboration_text(data).html
    verdicts = re.findall(r'class="verdict-card verdict-card--(\w+)"', html)
    ranks = [cards.CARD_ORDER.index(v) for v in verdicts]
    assert ranks == sorted(ranks) and len(set(verdicts)) > 1


def test_each_card_links_its_best_sources(data):
    html = content.corroboration_text(data).html
    urls = data.sources.set_index("source_id")["url"]
    for claim in cards.ordered_claims(data).itertuples():
        card = re.search(rf'id="claim-{claim.claim_id}".*?</article>', html).group(0)
        best = list(claim.source_ids)[:cards.MAX_SOURCES]
        assert card.count("<li>") == len(best) + (len(claim.source_ids) > cards.MAX_SOURCES)
        for source_id in best:
            assert f'href="{escape.html_text(escape.safe_url(urls[source_id]))}"' in card


def test_a_card_links_only_web_addresses_and_keeps_them_markup_free():
    # (The validator refuses such a URL in sources.csv; the card does not rely on it.)
    assert escape.safe_url("javascript:alert(1)") is None
    assert escape.safe_url(None) is None
    assert escape.safe_url("https://e.org/a b>(c)") == "https://e.org/a%20b%3E(c)"


def test_badge_colours_keep_white_words_readable():
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    assert set(VERDICT_COLOURS) == set(cards.CARD_ORDER)
    for verdict, colour in VERDICT_COLOURS.items():
        assert 1.05 / (luminance(colour) + 0.05) >= 7, verdict


def test_every_source_drawn_on_is_listed_with_its_url(data):
    text = content.corroboration_text(data)
    listing = content.corroboration_sources(data)
    cited = {s for ids in claims(data)["source_ids"] for s in ids}
    notes = re.findall(r'<li id="source-\d+">(.*?)</li>', listing.html)
    assert len(notes) == len(cited)
    urls = data.sources.set_index("source_id").loc[sorted(cited), "url"]
    for url in urls:
        assert any(escape.html_text(url) in note for note in notes), url
    listed = re.findall(r"^(\d+)\. ", listing.markdown, flags=re.M)
    assert [int(n) for n in listed] == list(range(1, len(cited) + 1))
    assert 'id="record-sources"' in listing.html  # where a card's "and N more" points
    assert "and 4 more in the list of sources" in text.plain


def test_the_paragraph_counts_come_from_the_verdicts(data):
    counts = content.verdict_counts(data)
    verdicts = claims(data)["verdict"].value_counts()
    assert counts["n_accurate"] == verdicts.get("accurate", 0)
    assert counts["n_revised"] == verdicts.get("revised", 0)
    assert counts["n_nearly_right"] == verdicts.get("nearly-right", 0) >= 1
    assert counts["n_claims"] == len(claims(data))
    plain = prose_output(report_cell("corroboration-counts"), data)["text/plain"]
    assert f"The article makes {counts['n_claims']} claims" in plain
    assert f"Claims resting on two or more independent channels: {counts['n_two']}." in plain
    assert f"come down to {counts['n_channels']} independent channels" in plain
    assert counts["n_channels"] < counts["n_reports"]


def test_a_changed_report_changes_the_section(data_copy):
    before = content.verdict_counts(load(data_copy))
    # the newer figure, said after publication
    for source in ("alwasat-benjeddou-8750", "memo-2014-06-24-ben-jeddou",
                   "tasnim-2014-06-24-ben-jeddou", "directinfo-2014-06-23-ben-jeddou"):
        set_cell(data_copy, "reports", f"departures-prevented--{source}", "stated_date",
                 "2014-08-01")
        set_cell(data_copy, "sources", source, "date_published", "2014-08-01")
        set_cell(data_copy, "sources", source, "published_precision", "day")
        set_cell(data_copy, "sources", source, "date_note", "")
    plain = prose_output(report_cell("corroboration-counts"), load(data_copy))["text/plain"]
    assert f"outdated, {before['n_outdated'] - 1};" in plain
    assert f"later revised, {before['n_revised'] + 1};" in plain


def test_text_from_the_record_is_escaped(data_copy):
    evil = "<script>x</script> *b*"
    reports = load(data_copy).reports
    elsewhere = reports[(reports["event_id"] == "libya-neighbours-meeting")
                        & (reports["place_relation"] == "near")]["report_id"]
    assert len(elsewhere) >= 3
    for report_id in elsewhere:  # every place the record gives otherwise: the one shown
        set_cell(data_copy, "reports", report_id, "place", evil)
    set_cell(data_copy, "sources", "reuters-2014-07-17-chaambi", "title", evil)
    changed = load(data_copy)
    table, listing = content.corroboration_text(changed), content.corroboration_sources(changed)
    for text in (table, listing):
        assert "<script>" not in text.html and "&lt;script&gt;" in text.html
        assert "\\<script\\>" in text.markdown
    assert "‘&lt;script&gt;x&lt;/script&gt; *b*’" in listing.html  # the title, in the list


def test_the_bottom_line_names_each_correction_and_each_thesis_with_its_verdict(data):
    from tunisia_report.dataset.aftermath import thesis_results

    plain = content.summary_bottom_line(data).plain
    counts = content.verdict_counts(data)
    assert plain.startswith("Bottom line. ") and plain.count("Checked against") == 0
    assert f"none of its {counts['n_claims']} claims is contradicted" in plain
    table = claims(data)
    for row in table[table["verdict"].isin(summary.CORRECTIONS)].itertuples():
        assert f"“{row.label}”" in plain
    assert "had already been overtaken by later figures when it appeared (outdated)" in plain
    words = {"borne-out": r"(is|are) borne out", "partly": r"(is|are) partly borne out",
             "not-borne-out": r"(is|are) not borne out", "untestable": r"cannot be tested"}
    short = dict(zip(data.theses["thesis_id"], data.theses["short"], strict=True))
    for thesis in thesis_results(data):  # each by its short name, then its verdict in words
        assert thesis["claim"].rstrip(".") not in plain
        named = re.escape(f"“{short[thesis['thesis_id']]}”")
        assert re.search(rf"{named}(, “[^”]+”)*( and “[^”]+”)? {words[thesis['verdict']]}[;.]",
                         plain), thesis["thesis_id"]
    sentences = re.split(r"(?<=[.]) (?=[A-Z])", plain.removeprefix("Bottom line. "))
    assert 3 <= len(sentences) <= 5, sentences


def test_the_summary_says_when_it_was_checked_and_how_to_report_an_error(data):
    plain = prose_output(report_cell("summary-checked"), data)["text/plain"]
    record = data.sources[data.sources["source_id"].isin(data.reports["source_id"])]
    checked = format_day(content.last_checked(data, record))
    assert f"The record was last checked on {checked}." in plain
    assert "CORRECTIONS.md" in plain and (ROOT / "CORRECTIONS.md").is_file()


def test_the_summary_leads_with_the_corrections_and_their_reasons(data):
    table = claims(data)
    corrected = table[table["verdict"].isin(summary.CORRECTIONS)]
    plain = content.summary_corrections(data).plain
    assert plain.startswith(f"Where the record corrects the article ({len(corrected)} claims):")
    for row in corrected.itertuples():  # an item each: its verdict word, label and reason
        assert f"\n- {verdict_words(row.verdict)} — {row.label}. {row.reason}" in plain
    # inaccurate first, then outdated, then nearly right
    order = [plain.index(f" — {r.label}.") for v in summary.CORRECTIONS
             for r in corrected[corrected["verdict"] == v].itertuples()]
    assert order == sorted(order)
    html = content.summary_corrections(data).html
    assert html.count("<li><strong>") == len(corrected)


def test_the_summary_says_nothing_of_corrections_where_there_are_none(data, monkeypatch):
    table = claims(data).assign(verdict="accurate")
    monkeypatch.setattr(summary, "claims", lambda _data: table)
    assert summary.summary_corrections(data) is None


def test_the_method_says_how_the_record_was_gathered_and_judged(data):
    plain = prose_output(report_cell("method-record"), data)["text/plain"]
    checked = data.sources[data.sources["source_id"].isin(data.reports["source_id"])]
    assert f"last checked on {format_day(checked['date_accessed'].max())}" in plain
    for verdict in cards.CARD_ORDER:  # the scale, a sentence per verdict
        assert f"{verdict_words(verdict)}: " in plain
    assert "Copies count once" in plain


def test_arabic_cards_keep_latin_names_and_the_article_s_words_whole(data):
    from tunisia_report.text import i18n

    with i18n.language("ar"):
        text = content.corroboration_text(data.localized("ar"))
    english = content.corroboration_text(data)
    # The English words isolated with the edition's marks, in the PDF and the HTML: when the
    # quote wraps, each mark stays at its own end of the words.
    assert "\u2068«" in text.markdown and "»\u2069" in text.markdown
    assert re.search(r'<bdi lang="en">«[^<]+»</bdi>', text.html)
    assert "\u2068Reuters\u2069" in text.markdown  # a publisher, alone in its isolate
    assert "\u2068" not in english.markdown  # left-to-right editions need none
