"""Verdicts are computed from the reports by the documented rules, counting independent channels
as of the article's publication; each rule can be made to fire by changing the record, and every
verdict carries a reason written from the data."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.helpers import set_cell
from tunisia_report.dataset import load
from tunisia_report.dataset.verdicts import CSV_COLUMNS, VERDICTS, claims, claims_csv
from tunisia_report.text.i18n import language


def verdicts(data) -> dict[str, tuple[str, str]]:
    return {r.claim_id: (r.verdict, r.rule) for r in claims(data).itertuples()}


def claim(data, claim_id: str):
    return claims(data).set_index("claim_id").loc[claim_id]


def report_ids(data_dir: Path, claim_id: str) -> list[str]:
    with (data_dir / "reports.csv").open(newline="", encoding="utf-8") as handle:
        return [r["report_id"] for r in csv.DictReader(handle)
                if claim_id in (r["figure_id"], r["event_id"])]


def drop_reports(data_dir: Path, claim_id: str, keep=()) -> None:
    path = data_dir / "reports.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kept = [r for r in rows if claim_id not in (r["figure_id"], r["event_id"])
            or r["report_id"] in keep]
    assert len(kept) < len(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)


def test_every_claim_has_a_verdict_a_reason_and_what_it_asserts(data):
    table = claims(data)
    expected = len(data.figures) + int((data.events["category"] != "publication").sum())
    assert len(table) == expected and table["claim_id"].is_unique
    assert set(table["verdict"]) <= set(VERDICTS)
    for row in table.itertuples():
        assert row.reason.endswith(".") and len(row.reason) > 30, row.claim_id
        assert row.conclusion and row.asserts != row.label, row.claim_id
        assert row.quote in (data.figures["quote"].tolist() + data.events["quote"].tolist())


def test_every_number_in_a_reason_comes_from_the_data(data):
    known = set()
    for frame, columns in ((data.reports, ["value"]), (data.figures, ["value"])):
        known |= {int(v) for c in columns for v in frame[c].dropna()}
    for column in ("stated_date", "start_date", "end_date"):
        dates = data.reports[column].dropna()
        known |= set(dates.dt.day) | set(dates.dt.year)
    known |= {d.day for d in data.events["end_date"].dropna()}
    known |= {d.year for d in data.events["end_date"].dropna()}
    table = claims(data)
    known |= set(table["n_channels"]) | {n for r in table["values"] for _, n in r}
    known |= {len(data.reports), *range(0, 40)}  # counts of channels and reports
    for row in table.itertuples():
        for number in re.findall(r"\d[\d,]*", row.reason):
            assert int(number.replace(",", "")) in known, (row.claim_id, number)


@pytest.mark.parametrize(("claim_id", "verdict", "rule"), [
    ("chaambi-soldiers-killed", "revised", "later-count"),
    ("departures-prevented", "outdated", "newer-figure"),
    ("chaambi-deadliest-since", "imprecise", "year-in-decade"),
    ("opposition-figures-assassinated", "accurate", "channels"),
    ("weapons-seized", "accurate", "words"),
    ("border-crossings-foiled", "unverifiable", "no-channel"),
    ("arrests-kerry", "unverifiable", "no-channel"),
    ("chaambi-attack", "accurate", "place"),
    ("ennahda-steps-down", "accurate", "occurrence"),
    ("libya-neighbours-meeting", "accurate", "date"),
    ("kerry-visit", "imprecise", "date"),
])
def test_the_record_as_collected(data, claim_id, verdict, rule):
    assert verdicts(data)[claim_id] == (verdict, rule)


def test_the_departures_reason_names_both_figures_and_dates(data):
    reason = claim(data, "departures-prevented")["reason"]
    assert "8,000 was given on 24 February 2014" in reason
    assert "8,750 in June 2014" in reason and "before the article appeared" in reason


# --- channels: copies, mirrors, wikis ----------------------------------------------------------


def test_copies_of_one_wire_count_once(data_copy):
    before = claim(load(data_copy), "kerry-visit")
    set_cell(data_copy, "sources", "nytimes-2014-02-19-kerry", "newsroom", "Reuters")
    for report_id in report_ids(data_copy, "kerry-visit"):
        if report_id.endswith("nytimes-2014-02-19-kerry"):
            set_cell(data_copy, "reports", report_id, "originator", "the newsroom's own account")
    reuters = [r for r in report_ids(data_copy, "kerry-visit") if "reuters" in r]
    for report_id in reuters:
        set_cell(data_copy, "reports", report_id, "originator", "the newsroom's own account")
    after = claim(load(data_copy), "kerry-visit")
    assert after["n_channels"] < before["n_channels"]
    assert after["n_reports"] == before["n_reports"]


def test_one_originator_through_two_newsrooms_is_two_channels(data_copy):
    keep = ["departures-prevented--almanar-fr-2014-02-benjeddou-8000",
            "departures-prevented--prayna-tunisialive-2014-02-400-returned"]
    drop_reports(data_copy, "departures-prevented", keep=keep)
    found = claim(load(data_copy), "departures-prevented")  # AFP and Tunisia Live
    assert (found["verdict"], found["n_channels"]) == ("accurate", 2)
    set_cell(data_copy, "sources", "prayna-tunisialive-2014-02-400-returned", "newsroom", "AFP")
    assert claim(load(data_copy), "departures-prevented")["n_channels"] == 1


@pytest.mark.parametrize("kind", ["mirror", "wiki", "aggregator"])
def test_mirrors_wikis_and_aggregators_never_count(data_copy, kind):
    drop_reports(data_copy, "suspects-killed-feb-2014",
                 keep=["suspects-killed-feb-2014--militarywiki-operation-raoued"])
    set_cell(data_copy, "sources", "militarywiki-operation-raoued", "kind", kind)
    found = claim(load(data_copy), "suspects-killed-feb-2014")
    assert (found["verdict"], found["rule"], found["n_channels"]) == (
        "unverifiable", "copies-only", 0)
    assert "none of these counts as an independent source" in found["reason"]
    set_cell(data_copy, "sources", "militarywiki-operation-raoued", "kind", "reference")
    assert verdicts(load(data_copy))["suspects-killed-feb-2014"] == ("accurate", "channels")


# --- figures: outdated, revised, undated, other numbers ---------------------------------------


def test_a_newer_figure_after_publication_does_not_make_it_outdated(data_copy):
    set_cell(data_copy, "reports", "departures-prevented--alwasat-benjeddou-8750",
             "stated_date", "2014-08-01")
    assert verdicts(load(data_copy))["departures-prevented"] == ("accurate", "channels")


def test_a_newer_figure_from_another_originator_does_not_make_it_outdated(data_copy):
    set_cell(data_copy, "reports", "departures-prevented--alwasat-benjeddou-8750",
             "originator", "an NGO")
    assert verdicts(load(data_copy))["departures-prevented"] == ("accurate", "channels")


def test_an_undated_newer_figure_is_never_later(data_copy):
    report = "departures-prevented--alwasat-benjeddou-8750"
    set_cell(data_copy, "reports", report, "stated_date", "")
    set_cell(data_copy, "reports", report, "stated_precision", "")
    assert verdicts(load(data_copy))["departures-prevented"] == ("accurate", "channels")


def test_a_month_overlapping_the_first_statement_is_not_later(data_copy):
    report = "departures-prevented--alwasat-benjeddou-8750"
    set_cell(data_copy, "reports", report, "stated_date", "2014-02-01")
    assert verdicts(load(data_copy))["departures-prevented"] == ("accurate", "channels")


def test_a_toll_is_revised_only_by_a_later_count_of_its_originator(data_copy):
    report = "chaambi-soldiers-killed--huffpostquebec-2014-07-18-chaambi-missing-soldier"
    set_cell(data_copy, "reports", report, "stated_date", "2014-07-17")
    assert verdicts(load(data_copy))["chaambi-soldiers-killed"] == ("accurate", "channels")
    set_cell(data_copy, "reports", report, "stated_date", "2015-03-02")  # long after: revised
    set_cell(data_copy, "sources", report.split("--")[1], "date_published", "2015-03-02")
    found = claim(load(data_copy), "chaambi-soldiers-killed")
    assert (found["verdict"], found["rule"]) == ("revised", "later-count")
    assert "later gave 15, on 2 March 2015" in found["reason"]


def test_no_channel_giving_the_number_is_inaccurate(data_copy):
    for report_id in report_ids(data_copy, "networks-dismantled"):
        set_cell(data_copy, "reports", report_id, "value", "")
        set_cell(data_copy, "reports", report_id, "value_kind", "qualitative")
        set_cell(data_copy, "reports", report_id, "unit", "")
    first, second = report_ids(data_copy, "networks-dismantled")[:2]
    for report_id in (first, second):
        set_cell(data_copy, "reports", report_id, "value", "9")
        set_cell(data_copy, "reports", report_id, "value_kind", "exact")
        set_cell(data_copy, "reports", report_id, "unit", "networks")
    found = claim(load(data_copy), "networks-dismantled")
    assert (found["verdict"], found["rule"]) == ("inaccurate", "other-number")
    assert "No independent channel gives 6; the record gives 9" in found["reason"]


def test_one_channel_against_many_still_supports_it(data_copy):
    # A tie, or even a minority: the scale asks for one independent channel, and says the rest.
    reports = report_ids(data_copy, "suspects-killed-feb-2014")
    sevens = [r for r in reports if r.split("--")[1] not in (
        "kapitalis-2014-02-gadhgadhi-killed", "panapress-2014-02-04-raoued",
        "militarywiki-operation-raoued")]
    for report_id in sevens[1:]:  # another originator: not the ministry revising itself
        set_cell(data_copy, "reports", report_id, "value", "8")
        set_cell(data_copy, "reports", report_id, "originator", "unnamed security sources")
    found = claim(load(data_copy), "suspects-killed-feb-2014")
    assert (found["verdict"], found["n_channels"]) == ("accurate", 1)
    assert found["reason"].startswith("1 independent channel gives 7, first stated on 4 Feb")
    assert "Other counts in the record: 8, 4 and 6." in found["reason"]


def test_a_number_for_words_is_imprecise(data_copy):
    set_cell(data_copy, "reports", "weapons-seized--dw-2014-02-04-gadhgadhi", "value", "97")
    set_cell(data_copy, "reports", "weapons-seized--dw-2014-02-04-gadhgadhi", "value_kind",
             "exact")
    found = claim(load(data_copy), "weapons-seized")
    assert (found["verdict"], found["rule"]) == ("imprecise", "number-for-words")
    assert "97" in found["reason"]


def test_no_report_is_unverifiable_never_false(data_copy):
    drop_reports(data_copy, "weapons-seized")
    drop_reports(data_copy, "kerry-visit")
    found = verdicts(load(data_copy))
    assert found["weapons-seized"] == ("unverifiable", "no-channel")
    assert found["kerry-visit"] == ("unverifiable", "no-channel")


# --- events ------------------------------------------------------------------------------------


def test_the_place_is_tested_only_when_asserted(data_copy):
    set_cell(data_copy, "claims", "libya-neighbours-meeting", "tests", "date-place")
    found = claim(load(data_copy), "libya-neighbours-meeting")
    assert (found["verdict"], found["rule"]) == ("inaccurate", "place")
    assert "put it elsewhere" in found["reason"]


def test_a_tie_on_the_place_does_not_convict(data_copy):
    set_cell(data_copy, "claims", "libya-neighbours-meeting", "tests", "date-place")
    ids = report_ids(data_copy, "libya-neighbours-meeting")
    if len(ids) % 2:  # an even number of channels naming a place
        set_cell(data_copy, "reports", ids[-1], "place", "")
        set_cell(data_copy, "reports", ids[-1], "place_relation", "")
        ids = ids[:-1]
    for report_id in ids:  # each report its own channel, then half of them at the place
        set_cell(data_copy, "reports", report_id, "originator", report_id)
    for report_id in ids[:len(ids) // 2]:
        set_cell(data_copy, "reports", report_id, "place_relation", "same")
    assert verdicts(load(data_copy))["libya-neighbours-meeting"] == ("accurate", "date")
    set_cell(data_copy, "reports", ids[0], "place_relation", "outside")  # one more: convicts
    assert verdicts(load(data_copy))["libya-neighbours-meeting"] == ("inaccurate", "place")


def test_the_ennahda_step_down_is_tested_as_occurring_not_dated(data_copy):
    assert verdicts(load(data_copy))["ennahda-steps-down"] == ("accurate", "occurrence")
    set_cell(data_copy, "claims", "ennahda-steps-down", "tests", "date")
    # dated, "2013" against 9 January 2014: just outside the year, not wrong
    assert verdicts(load(data_copy))["ennahda-steps-down"] == ("imprecise", "date-near")


def test_a_day_the_article_gives_too_is_accurate(data_copy):
    for field, value in (("start_date", "2014-02-18"), ("end_date", "2014-02-18"),
                         ("date_precision", "day")):
        set_cell(data_copy, "events", "kerry-visit", field, value)
    found = claim(load(data_copy), "kerry-visit")
    assert (found["verdict"], found["rule"]) == ("accurate", "date")
    assert "agree with 18 February 2014" in found["reason"]


def test_dates_mostly_outside_the_articles_are_inaccurate(data_copy):
    for field, value in (("start_date", "2014-03-01"), ("end_date", "2014-03-31")):
        set_cell(data_copy, "events", "kerry-visit", field, value)
    found = claim(load(data_copy), "kerry-visit")
    assert (found["verdict"], found["rule"]) == ("inaccurate", "date")
    assert "most often 18 February 2014" in found["reason"]


def test_dates_just_outside_the_articles_are_imprecise_not_inaccurate(data):
    """ "Late last year" (2013) for a government sworn in on 29 January 2014: most channels date
    it outside 2013, each by under a twelfth of the year."""
    found = claim(data, "technocratic-government")
    assert (found["verdict"], found["rule"]) == ("imprecise", "date-near")
    assert "just outside, within 29 days, most often 29 January 2014" in found["reason"]


def test_a_date_a_twelfth_of_the_period_away_is_inaccurate(data_copy):
    """The margin is a twelfth of the article's period: 28 days give 2.3 days."""
    for field, value in (("start_date", "2014-01-20"), ("end_date", "2014-02-16"),
                         ("date_precision", "day")):
        set_cell(data_copy, "events", "kerry-visit", field, value)
    found = claim(load(data_copy), "kerry-visit")  # the record: 18 February, 2 days after
    assert (found["verdict"], found["rule"]) == ("imprecise", "date-near")
    set_cell(data_copy, "events", "kerry-visit", "end_date", "2014-02-14")  # 4 days: too far
    found = claim(load(data_copy), "kerry-visit")
    assert (found["verdict"], found["rule"]) == ("inaccurate", "date")


def test_undated_event_reports_still_count_for_occurrence(data_copy):
    for report_id in report_ids(data_copy, "al-malki-arrest"):
        for field in ("start_date", "end_date", "date_precision"):
            set_cell(data_copy, "reports", report_id, field, "")
    found = claim(load(data_copy), "al-malki-arrest")
    assert (found["verdict"], found["rule"]) == ("accurate", "occurrence")
    assert found["reason"].endswith("report it before the article appeared.")


def test_each_assassination_is_dated_separately(data):
    row = claim(data, "assassinations-2013")
    dates = {d["actor_id"]: (d["start"].date().isoformat(), d["precision"])
             for d in row["record_dates"]}
    assert dates == {"chokri-belaid": ("2013-02-06", "day"),
                     "mohamed-brahmi": ("2013-07-25", "day")}


# --- the judgement as data ---------------------------------------------------------------------


def test_claims_csv_has_a_row_per_claim_with_its_best_sources(data):
    rows = list(csv.DictReader(io.StringIO(claims_csv(data))))
    assert tuple(rows[0]) == CSV_COLUMNS
    table = claims(data).set_index("claim_id")
    assert [r["claim_id"] for r in rows] == list(table.index)
    killed = next(r for r in rows if r["claim_id"] == "chaambi-soldiers-killed")
    assert killed["quote"] == "left fourteen soldiers dead" and killed["verdict"] == "revised"
    assert int(killed["n_channels"]) == table.loc["chaambi-soldiers-killed", "n_channels"]
    urls = killed["source_urls"].split(" ")
    assert "quebec.huffingtonpost.ca" in urls[1]  # the later count, right after the first
    assert urls[0].startswith("http") and len(urls) == len(
        table.loc["chaambi-soldiers-killed", "source_ids"])
    assert claims_csv(data) == claims_csv(data)  # deterministic


def test_claims_csv_is_in_the_editions_language(data):
    with language("fr"):
        text = claims_csv(data.localized("fr"))
    rows = list(csv.DictReader(io.StringIO(text)))
    killed = next(r for r in rows if r["claim_id"] == "chaambi-soldiers-killed")
    assert killed["asserts"].startswith("Le nombre de soldats tués")
    assert "la même origine a donné ensuite 15" in killed["reason"]
    assert killed["quote"] == "left fourteen soldiers dead"  # the article's words, untranslated
