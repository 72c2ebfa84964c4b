"""Narrative: numbers read from the data, footnotes quoting the article, everything escaped."""

from __future__ import annotations

import ast
import inspect
import re

import pytest

from tests.helpers import prose_output, report_cell, set_cell
from tunisia_report.dataset import load
from tunisia_report.exceptions import NarrativeError, ReportError
from tunisia_report.report import content
from tunisia_report.text import escape, formatting, narrative
from tunisia_report.text.formatting import source_line
from tunisia_report.text.narrative import fill

FINDINGS = [content.finding_timeline, content.finding_measures]  # computed; others are written
WRITTEN = ["finding-casualties", "finding-counter-terrorism"]  # report.ipynb's Markdown cells



def quote_of(data, figure_id: str) -> str:
    return str(data.figures.set_index("figure_id").loc[figure_id, "quote"])


def test_source_line_is_built_from_the_sources_table(data, data_copy):
    assert source_line(data) == "Source: Bechri, The Washington Institute, 23 July 2014"
    set_cell(data_copy, "sources", "bechri-2014", "author", "Jane Doe")
    set_cell(data_copy, "sources", "bechri-2014", "date_published", "2014-07-24")
    assert source_line(load(data_copy)) == "Source: Doe, The Washington Institute, 24 July 2014"


def test_short_producer_rule():
    assert formatting.short_producer("The Washington Institute for Near East Policy") == \
        "The Washington Institute"
    assert formatting.short_producer("Center for Strategic Studies") == \
        "Center for Strategic Studies"


def test_values_are_formatted_from_the_row(data):
    assert fill("{fig:chaambi-soldiers-killed}", data).plain.startswith("14\u202f[1]")
    assert fill("{fig:departures-prevented}", data).plain.startswith("8,000\u202f[1]")
    assert fill("{fig:departures-prevented:words}", data).plain.startswith("eight thousand[1]")
    assert fill("{fig:chaambi-deadliest-since}", data).plain.startswith("1950\u202f[1]")
    assert fill("{fig:weapons-seized}", data).plain.startswith("large quantities[1]")
    assert fill("{fig:departures-prevented:attribution}", data).plain == \
        "Interior Ministry estimates"


def test_event_dates_keep_their_precision(data):
    def date(event_id):
        return fill("{event:" + event_id + ":date}", data).plain.split("[")[0].rstrip("\u202f")

    assert date("kerry-visit") == "February 2014"
    assert date("assassinations-2013") == "2013"
    assert date("libya-neighbours-meeting") == "13–14 July 2014"
    assert date("chaambi-attack") == "by 23 July 2014"


def test_a_span_of_days_across_months_names_both_months():
    from datetime import date

    from tunisia_report.text.dates import format_span

    assert format_span(date(2014, 1, 30), date(2014, 2, 2), "day") == \
        "30 January 2014 – 2 February 2014"
    assert format_span(date(2014, 2, 3), date(2014, 2, 4), "day") == "3–4 February 2014"
    assert format_span(None, date(2014, 7, 23), "before") == "by 23 July 2014"


def test_a_changed_value_changes_the_text(data_copy):
    set_cell(data_copy, "figures", "chaambi-soldiers-killed", "value", "15")
    changed = load(data_copy, check=False)  # 15 against the article's 'fourteen': invalid data
    text = fill("{fig:chaambi-soldiers-killed} dead.", changed)
    assert text.plain.startswith("15 dead.[1]")
    assert "15" in text.markdown and "15 dead.<sup>" in text.html
    casualties = prose_output(report_cell("finding-casualties"), changed)["text/plain"]
    assert "15 soldiers dead" in casualties and "35 casualties" in casualties


def test_footnotes_cite_the_source_and_quote_the_article(data):
    text = fill("{fig:chaambi-soldiers-killed} dead, {fig:chaambi-soldiers-injured} injured; "
                "again {fig:chaambi-soldiers-killed:words}.", data)
    quote = quote_of(data, "chaambi-soldiers-killed")
    refs = re.findall(r"\[\^([^\]]+)\](?!:)", text.markdown)
    # one mark per clause, after its punctuation; a figure quoted once
    assert len(refs) == 1 and re.search(r"injured;\[\^[^\]]+\] again", text.markdown)
    assert text.markdown.rstrip().endswith(".") or "fourteen." in text.markdown
    definitions = dict(re.findall(r"^\[\^([^\]]+)\]: (.*)$", text.markdown, flags=re.M))
    assert set(definitions) == set(refs)
    note = definitions[refs[0]]
    assert escape.markdown(quote) in note
    assert escape.markdown(quote_of(data, "chaambi-soldiers-injured")) in note
    assert note.count(escape.markdown(quote)) == 1
    # citeproc's Chicago note, in full (citations are not tracked here)
    assert note.startswith(
        "Mohamed Bechri, ‘Tunisia’s Security-First Policy at a Crossroads’, The Washington")
    assert "23 July 2014, accessed 24 November 2026, <http://fikraforum.org/?p=5124>" in note
    # HTML: the clause's end links to a list item quoting the article
    link = re.search(r'injured;<sup><a href="#(fn-[^"]+)" id="fnref-[^"]+">1</a></sup>',
                     text.html)
    assert link
    item = re.search(rf'<li id="{link.group(1)}">(.*?)</li>', text.html).group(1)
    assert escape.html_text(quote) in item
    assert text.html.count("<li ") == 1 and '<ol class="footnotes">' in text.html
    assert "[1] Mohamed Bechri" in text.plain and text.plain.count("\n[") == 1


def test_no_mark_follows_a_digit_and_no_two_notes_are_alike(data):
    """A mark glued to a number reads as part of it ('14¹' is '141' in the text layer)."""
    text = fill("Killed: {fig:chaambi-soldiers-killed}. Injured {fig:chaambi-soldiers-injured}",
                data)
    assert not re.search(r"\d\[\d+\]", text.plain) and not re.search(r"\d<sup>", text.html)
    assert not re.search(r"\d\[\^", text.markdown)
    # after the clause's full stop; at the passage's end, apart from its last number
    assert text.plain.startswith("Killed: 14.[1] Injured 20\u202f[2]")
    notes = re.findall(r"^\[\d+\] (.*)$", text.plain, flags=re.M)
    assert len(notes) == len(set(notes))


def test_footnote_ids_are_deterministic_and_unique_per_text(data):
    a = fill("{fig:chaambi-soldiers-killed}", data)
    assert a == fill("{fig:chaambi-soldiers-killed}", data)
    b = fill("Killed: {fig:chaambi-soldiers-killed}", data)
    ids = lambda t: set(re.findall(r'id="(fn-[^"]+)"', t.html))  # noqa: E731
    assert ids(a) and not ids(a) & ids(b)


def test_everything_from_the_dataset_is_escaped(data_copy):
    evil = "<script>alert(1)</script> *bold* [x](y) $1"
    set_cell(data_copy, "figures", "chaambi-soldiers-killed", "quote", evil)
    set_cell(data_copy, "figures", "chaambi-soldiers-killed", "unit", "*soldiers*")
    data = load(data_copy, check=False)
    text = fill("{fig:chaambi-soldiers-killed} {fig:chaambi-soldiers-killed:unit} <b>", data)
    assert "<script>" not in text.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in text.html
    assert "<b>" not in text.html and "&lt;b&gt;" in text.html
    assert "\\<script\\>" in text.markdown and "\\*bold\\*" in text.markdown
    assert "\\*soldiers\\*" in text.markdown and "*soldiers*" in text.plain
    assert evil in text.plain
    appendix = content.figures_appendix(data)
    assert "<script>" not in appendix.html and "\\<script\\>" in appendix.markdown


@pytest.mark.parametrize("placeholder", [
    "fig:no-such-figure", "fig:chaambi-soldiers-killed:colour", "event:no-such-event:date",
    "planet:mars", "total", "fig",
])
def test_unknown_placeholders_raise_naming_them(data, placeholder):
    with pytest.raises(NarrativeError) as caught:
        fill("Before {" + placeholder + "} after.", data)
    assert "{" + placeholder + "}" in str(caught.value)
    assert isinstance(caught.value, ReportError) and isinstance(caught.value, KeyError)


def test_computed_values_and_literal_braces(data):
    text = fill("{{literal}} {n} and {word}", data, n=12345, word="a*b")
    assert text.plain == "{literal} 12,345 and a*b"
    assert "a\\*b" in text.markdown


# Footnotes each finding must carry: one per clause that cites a figure or an event (the
# measures finding states only the report's own counts, so it cites nothing).
FOOTNOTES = {"finding-casualties": 4, "finding-counter-terrorism": 3, "finding_timeline": 1,
             "finding_measures": 0}


@pytest.mark.parametrize("cell_id", WRITTEN)
def test_written_findings_render_with_footnotes(data, cell_id):
    bundle = prose_output(report_cell(cell_id), data)
    assert bundle["text/html"].startswith('<div class="narrative">')
    assert any(ch.isdigit() for ch in bundle["text/plain"]) and "{eval}" not in str(bundle)
    expected = FOOTNOTES[cell_id]
    assert len(re.findall(r"^\[\^[\w-]+\]: ", bundle["text/markdown"], re.M)) == expected
    assert bundle["text/html"].count('<li id="fn-') == expected


@pytest.mark.parametrize("finding", FINDINGS, ids=lambda f: f.__name__)
def test_findings_render_with_footnotes(data, finding):
    text = finding(data)
    assert isinstance(text, narrative.Text)
    assert text.markdown and text.html.startswith('<div class="narrative">') and text.plain
    assert any(ch.isdigit() for ch in text.plain)
    expected = FOOTNOTES[finding.__name__]
    assert len(re.findall(r"^\[\^[\w-]+\]: ", text.markdown, re.M)) == expected
    assert text.html.count('<li id="fn-') == expected


@pytest.mark.parametrize("finding", FINDINGS, ids=lambda f: f.__name__)
def test_findings_type_no_numbers(finding):
    """No digit in any string literal of a finding: every number comes from the data."""
    tree = ast.parse(inspect.getsource(finding))
    literals = [node.value for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    typed = [s for s in literals if re.search(r"\d", re.sub(r"\{[^{}]*\}", "", s))]
    assert not typed


def test_findings_follow_the_data(data, data_copy):
    set_cell(data_copy, "figures", "departures-prevented", "value", "9000")
    set_cell(data_copy, "measures", "telecom-monitoring-agency", "stage", "in-place")
    changed = load(data_copy, check=False)  # 9000 against 'eight thousand': invalid data
    counter = prose_output(report_cell("finding-counter-terrorism"), changed)["text/plain"]
    assert "9,000 jihadists" in counter
    assert "2 in place" in content.finding_measures(changed).plain
    timeline = content.finding_timeline(data)
    assert "February 2014 is the busiest month, with 3 events" in timeline.plain


def test_figures_appendix_lists_every_figure(data):
    appendix = content.figures_appendix(data)
    rows = [line for line in appendix.markdown.splitlines() if line.startswith("| ")]
    assert len(rows) == len(data.figures) + 1  # header
    for row in data.figures.itertuples():
        assert escape.markdown(row.quote) in appendix.markdown
        assert escape.html_text(row.label) in appendix.html
    assert "8,000 (“eight thousand”)" in appendix.plain
    assert "| several |" in appendix.markdown


def test_show_publishes_all_three_forms(data, monkeypatch):
    seen = {}
    monkeypatch.setattr("tunisia_report.display.show_text",
                        lambda markdown, html, plain=None: seen.update(md=markdown, html=html,
                                                                       plain=plain))
    text = fill("{fig:chaambi-soldiers-killed}", data)
    text.show()
    assert seen == {"md": text.markdown, "html": text.html, "plain": text.plain}
