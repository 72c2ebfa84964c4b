"""The section "How the article holds up": every claim in the table, counts from the verdicts,
every source footnoted with its locator, text from the record escaped."""

from __future__ import annotations

import re

from tests.helpers import set_cell
from tunisia_report.dataset import load
from tunisia_report.dataset.verdicts import claims
from tunisia_report.report import content
from tunisia_report.text import escape


def test_every_claim_is_a_row_with_its_verdict(data):
    text = content.corroboration_text(data)
    for claim in claims(data).itertuples():
        assert escape.html_text(claim.label) in text.html
        assert f"{content.VERDICT_WORDS[claim.verdict]}. {claim.reason}" in text.plain


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
    assert f"sources 1–{len(cited)}" not in text.plain  # ranges per claim, not one for all
    first = len(claims(data)["source_ids"].iloc[0])
    assert f": sources 1–{first}" in text.plain  # the first claim's sources, numbered first


def test_the_paragraph_counts_come_from_the_verdicts(data):
    counts = content.verdict_counts(data)
    verdicts = claims(data)["verdict"].value_counts()
    assert counts["n_accurate"] == verdicts.get("accurate", 0)
    assert counts["n_revised"] == verdicts.get("revised", 0) >= 1
    assert counts["n_claims"] == len(claims(data))
    plain = content.corroboration_text(data).plain
    assert f"The article makes {counts['n_claims']} claims" in plain
    assert f"Claims resting on two or more independent channels: {counts['n_two']}." in plain
    assert f"come down to {counts['n_channels']} independent channels" in plain
    assert counts["n_channels"] < counts["n_reports"]


def test_a_changed_report_changes_the_section(data_copy):
    before = content.verdict_counts(load(data_copy))
    set_cell(data_copy, "reports",
             "departures-prevented--alwasat-benjeddou-8750", "stated_date", "2014-08-01")
    text = content.corroboration_text(load(data_copy))
    assert f"accurate but out of date, {before['n_outdated'] - 1};" in text.plain
    assert f"accurate, {before['n_accurate'] + 1};" in text.plain


def test_text_from_the_record_is_escaped(data_copy):
    evil = "<script>x</script> *b*"
    reports = load(data_copy).reports
    elsewhere = reports[(reports["event_id"] == "libya-neighbours-meeting")
                        & (reports["place_relation"] == "outside")]["report_id"]
    assert len(elsewhere) >= 3
    for report_id in elsewhere:  # every place the record gives otherwise: the one shown
        set_cell(data_copy, "reports", report_id, "place", evil)
    set_cell(data_copy, "sources", "reuters-2014-07-17-chaambi", "title", evil)
    changed = load(data_copy)
    table, listing = content.corroboration_text(changed), content.corroboration_sources(changed)
    for text in (table, listing):
        assert "<script>" not in text.html and "&lt;script&gt;" in text.html
        assert "\\<script\\>" in text.markdown
    assert "elsewhere: &lt;script&gt;" in table.html  # the place, in the table
    assert "‘&lt;script&gt;x&lt;/script&gt; *b*’" in listing.html  # the title, in the list


def test_the_summary_gains_one_sentence(data):
    plain = content.summary_text(data).plain
    counts = content.verdict_counts(data)
    assert plain.count("Checked against") == 1
    assert (f"the article's {counts['n_claims']} claims come out as follows: accurate, "
            f"{counts['n_accurate']}; right with a qualification") in plain
