"""The curated dataset holds what the article states, with the right values and quotes."""

from __future__ import annotations

import pytest

from tunisia_report.dataset.rules import normalise
from tunisia_report.paths import RAW_DIR

ARTICLE = RAW_DIR / "tunisia-security-first-policy-2014-07-23.txt"



@pytest.mark.parametrize(
    ("figure_id", "value", "kind", "precision", "words"),
    [
        ("chaambi-soldiers-killed", 14, "exact", "before", "fourteen soldiers dead"),
        ("chaambi-soldiers-injured", 20, "exact", "before", "twenty others injured"),
        ("departures-prevented", 8000, "estimate", "before", "eight thousand jihadists"),
        ("networks-dismantled", 6, "estimate", "before", "six jihadist networks"),
        ("suspects-killed-feb-2014", 7, "exact", "month", "killed seven suspected terrorists"),
        ("opposition-figures-assassinated", 2, "exact", "year", "two prominent opposition"),
    ],
)
def test_key_figures(data, figure_id, value, kind, precision, words):
    row = data.figures.set_index("figure_id").loc[figure_id]
    assert row["value"] == value
    assert row["value_kind"] == kind
    assert row["date_precision"] == precision
    assert words in row["quote"]
    assert normalise(row["quote"]) in normalise(ARTICLE.read_text())


def test_interior_ministry_estimates_are_attributed(data):
    figures = data.figures.set_index("figure_id")
    for fid in ("departures-prevented", "networks-dismantled"):
        assert figures.loc[fid, "attributed_to"] == "Interior Ministry estimates"


def test_qualitative_amounts_have_no_invented_number(data):
    qualitative = data.figures[data.figures["value_kind"] == "qualitative"]
    assert set(qualitative["amount_text"]) >= {"several", "large quantities"}
    assert qualitative["value"].isna().all()


@pytest.mark.parametrize(
    ("event_id", "start", "end", "precision"),
    [
        ("assassinations-2013", "2013-01-01", "2013-12-31", "year"),
        ("technocratic-government", "2013-10-01", "2013-12-31", "month"),
        ("jomaa-visits-algeria", "2014-02-01", "2014-02-28", "month"),
        ("february-2014-operation", "2014-02-01", "2014-02-28", "month"),
        ("kerry-visit", "2014-02-01", "2014-02-28", "month"),
        ("libya-neighbours-meeting", "2014-07-13", "2014-07-14", "day"),
        ("chaambi-attack", None, "2014-07-23", "before"),
        ("article-published", "2014-07-23", "2014-07-23", "day"),
    ],
)
def test_events(data, event_id, start, end, precision):
    row = data.events.set_index("event_id").loc[event_id]
    if start is None:
        assert row["start_date"] is None or str(row["start_date"]) == "NaT"
    else:
        assert row["start_date"].strftime("%Y-%m-%d") == start
    assert row["end_date"].strftime("%Y-%m-%d") == end
    assert row["date_precision"] == precision


def test_places_have_checked_coordinates(data):
    places = data.places.set_index("place_id")
    assert places.loc["mount-chaambi", ["latitude", "longitude"]].tolist() == [35.2064, 8.6825]
    assert places.loc["tunis", ["latitude", "longitude"]].tolist() == [36.806, 10.181]


def test_measures_include_border_cooperation(data):
    measures = data.measures.set_index("measure_id")
    assert measures.loc["joint-border-surveillance-algeria", "partner_place_id"] == "algeria"
    assert measures.loc["buffer-zone-libya", "partner_place_id"] == "libya"
    assert "counterterrorism-centre" in measures.index
    assert "telecom-monitoring-agency" in measures.index


def test_every_quote_is_in_the_article(data):
    article = normalise(ARTICLE.read_text())
    for name, frame in data.items():
        if "quote" not in frame:
            continue
        for row in frame.itertuples():
            if row.source_id == "bechri-2014":
                assert normalise(row.quote) in article, (name, row.quote)
