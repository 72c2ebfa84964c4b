"""Verdicts are computed from the reports by the documented rules; each rule can be made to fire
by changing the record."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.helpers import set_cell
from tunisia_report.dataset import load
from tunisia_report.dataset.verdicts import VERDICTS, claims


def verdicts(data) -> dict[str, tuple[str, str]]:
    return {r.claim_id: (r.verdict, r.reason) for r in claims(data).itertuples()}


def report_ids(data_dir: Path, claim_id: str) -> list[str]:
    with (data_dir / "reports.csv").open(newline="", encoding="utf-8") as handle:
        return [r["report_id"] for r in csv.DictReader(handle)
                if claim_id in (r["figure_id"], r["event_id"])]


def drop_reports(data_dir: Path, claim_id: str) -> None:
    path = data_dir / "reports.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kept = [r for r in rows if claim_id not in (r["figure_id"], r["event_id"])]
    assert len(kept) < len(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)


def test_every_claim_has_a_verdict(data):
    table = claims(data)
    expected = len(data.figures) + int((data.events["category"] != "publication").sum())
    assert len(table) == expected and table["claim_id"].is_unique
    assert set(table["verdict"]) <= set(VERDICTS)


@pytest.mark.parametrize(("claim", "verdict", "reason"), [
    ("chaambi-soldiers-killed", "confirmed", "most-often"),
    ("chaambi-deadliest-since", "more-precise", "year-in-decade"),
    ("weapons-seized", "confirmed", "words"),
    ("border-crossings-foiled", "not-found", "no-amount"),
    ("chaambi-attack", "more-precise", "date"),
    ("ennahda-steps-down", "differs", "date"),
    ("libya-neighbours-meeting", "differs", "place"),
])
def test_the_record_as_collected(data, claim, verdict, reason):
    assert verdicts(data)[claim] == (verdict, reason)


def test_a_later_different_count_supersedes(data_copy):
    # The 2024 retrospective gives 14; make it 15: a count published after the article.
    set_cell(data_copy, "reports", "chaambi-soldiers-killed--realites-2024-07-16-henchir-tella",
             "value", "15")
    assert verdicts(load(data_copy))["chaambi-soldiers-killed"] == ("superseded", "later-count")


def test_a_different_count_before_publication_does_not_supersede(data_copy):
    set_cell(data_copy, "reports", "chaambi-soldiers-killed--reuters-2014-07-17-chaambi",
             "value", "15")
    assert verdicts(load(data_copy))["chaambi-soldiers-killed"] == ("confirmed", "most-often")


def test_another_number_given_most_often_differs(data_copy):
    for report_id in report_ids(data_copy, "networks-dismantled"):
        set_cell(data_copy, "reports", report_id, "value", "")
        set_cell(data_copy, "reports", report_id, "value_kind", "qualitative")
    first, second = report_ids(data_copy, "networks-dismantled")[:2]
    for report_id in (first, second):
        set_cell(data_copy, "reports", report_id, "value", "9")
        set_cell(data_copy, "reports", report_id, "value_kind", "exact")
        set_cell(data_copy, "reports", report_id, "unit", "networks")
    assert verdicts(load(data_copy))["networks-dismantled"] == ("differs", "other-number")


def test_a_number_for_words_is_more_precise(data_copy):
    set_cell(data_copy, "reports", "weapons-seized--dw-2014-02-04-gadhgadhi", "value", "97")
    set_cell(data_copy, "reports", "weapons-seized--dw-2014-02-04-gadhgadhi", "value_kind",
             "exact")
    assert verdicts(load(data_copy))["weapons-seized"] == ("more-precise", "number")


def test_no_report_is_not_found(data_copy):
    drop_reports(data_copy, "weapons-seized")
    drop_reports(data_copy, "kerry-visit")
    found = verdicts(load(data_copy))
    assert found["weapons-seized"] == ("not-found", "no-amount")
    assert found["kerry-visit"] == ("not-found", "no-report")


def test_the_record_at_the_articles_place_and_day_confirms(data_copy):
    for report_id in report_ids(data_copy, "libya-neighbours-meeting"):
        set_cell(data_copy, "reports", report_id, "place", "Tunis")
        set_cell(data_copy, "reports", report_id, "place_relation", "same")
    assert verdicts(load(data_copy))["libya-neighbours-meeting"] == ("confirmed", "date")


def test_a_day_the_article_gives_too_is_confirmed(data_copy):
    for field, value in (("start_date", "2014-02-18"), ("end_date", "2014-02-18"),
                         ("date_precision", "day")):
        set_cell(data_copy, "events", "kerry-visit", field, value)
    assert verdicts(load(data_copy))["kerry-visit"] == ("confirmed", "date")


def test_dates_mostly_outside_the_articles_differ(data_copy):
    for field, value in (("start_date", "2014-03-01"), ("end_date", "2014-03-31")):
        set_cell(data_copy, "events", "kerry-visit", field, value)
    assert verdicts(load(data_copy))["kerry-visit"] == ("differs", "date")


def test_each_assassination_is_dated_separately(data):
    row = claims(data).set_index("claim_id").loc["assassinations-2013"]
    dates = {d["actor_id"]: (d["start"].date().isoformat(), d["precision"])
             for d in row["record_dates"]}
    assert dates == {"chokri-belaid": ("2013-02-06", "day"),
                     "mohamed-brahmi": ("2013-07-25", "day")}


def test_copies_of_one_wire_count_once(data_copy):
    before = claims(load(data_copy)).set_index("claim_id").loc["kerry-visit", "n_newsrooms"]
    set_cell(data_copy, "sources", "nytimes-2014-02-19-kerry", "newsroom", "Reuters")
    after = claims(load(data_copy)).set_index("claim_id").loc["kerry-visit"]
    assert after["n_newsrooms"] == before - 1
    assert after["n_publishers"] > after["n_newsrooms"]
