"""What happened next: the census of attacks, the like-for-like departures, and the thesis
verdicts recorded as judgements that must agree with the measures computed from the data."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import read_table, set_cell, write_table
from tunisia_report.dataset import aftermath, load
from tunisia_report.exceptions import DataError
from tunisia_report.paths import DATA_DIR
from tunisia_report.report import aftermath as words
from tunisia_report.text import i18n
from tunisia_report.text.formatting import format_money


@pytest.fixture(scope="module")
def data():
    return load(DATA_DIR)


def results(data_dir, check=True) -> dict[str, dict]:
    return {r["thesis_id"]: r for r in aftermath.thesis_results(load(data_dir), check=check)}


def points(result) -> dict[str, str]:
    return {m["measure_id"]: m["points"] for m in result["measures"]}


# -- verdicts: judgements that must agree with their measures -----------------------------

@pytest.mark.parametrize(("verdict", "directions", "agrees"), [
    ("borne-out", ["supports", "supports", "against"], True),
    ("borne-out", ["against", "against"], False),
    ("borne-out", ["supports", "against"], False),
    ("not-borne-out", ["against", "context"], True),
    ("not-borne-out", ["supports", "context"], False),
    ("partly", ["supports", "against", "context"], True),
    ("partly", ["supports", "supports"], False),
    ("untestable", ["context", "context"], True),
    ("untestable", ["supports", "context"], False),
])
def test_a_verdict_must_agree_with_its_measures(verdict, directions, agrees):
    assert aftermath.consistent(verdict, directions) is agrees


def test_every_recorded_verdict_agrees_with_its_measures(data):
    for result in aftermath.thesis_results(data):
        assert aftermath.consistent(result["verdict"],
                                    [m["points"] for m in result["measures"]]), result


def test_a_verdict_the_data_no_longer_bears_stops_the_report(data_copy):
    set_cell(data_copy, "theses", "moved-to-borders", "verdict", "borne-out")
    set_cell(data_copy, "theses", "moved-to-borders", "measures",
             "victims-remote-share deadliest-settings")
    with pytest.raises(DataError, match="moved-to-borders.*look at the verdict again"):
        results(data_copy)


def test_an_unknown_measure_is_named(data_copy):
    set_cell(data_copy, "theses", "gains", "measures", "institutions-in-effect hope")
    with pytest.raises(DataError, match="unknown measure 'hope'"):
        results(data_copy)


def test_the_settings_measures_follow_the_data(data_copy):
    """Thesis 3's two readings point where the census says: moving every deadly attack to the
    border turns both for the thesis (and the recorded 'partly' then stops the report)."""
    header, rows = read_table(data_copy, "attacks")
    setting, border = header.index("setting"), header.index("border_iso3")
    for row in rows:
        row[setting], row[border] = "border-remote", "DZA"
    write_table(data_copy, "attacks", header, rows)
    found = points(results(data_copy, check=False)["moved-to-borders"])
    assert found["attacks-remote-share"] == found["victims-remote-share"] == "supports"
    assert found["deadliest-settings"] == "supports"
    with pytest.raises(DataError):
        results(data_copy)


def test_thesis_three_shows_both_readings(data):
    found = points(next(r for r in aftermath.thesis_results(data)
                        if r["thesis_id"] == "moved-to-borders"))
    # where the insurgency lived (attacks) and where the deadliest attacks struck (victims)
    assert found["attacks-remote-share"] == "supports"
    assert found["victims-remote-share"] == "against"


def test_thesis_four_says_who_the_libya_linked_attackers_were(data_copy):
    found = results(data_copy)["aqim-libya"]
    groups = next(m for m in found["measures"] if m["measure_id"] == "libya-linked-groups")
    assert groups["state"] > groups["aqim"]
    assert groups["points"] == "against"
    header, rows = read_table(data_copy, "attacks")
    link, blamed = header.index("libya_link"), header.index("blamed_on")
    claimed, source = header.index("claimed_by"), header.index("blame_source_id")
    main = header.index("source_id")
    for row in rows:
        if row[link] == "yes":
            row[blamed], row[claimed], row[source] = "aqim", "none-found", row[main]
            row[header.index("claim_source_id")] = row[header.index("claim_date")] = ""
    write_table(data_copy, "attacks", header, rows)
    assert points(results(data_copy, check=False)["aqim-libya"])["libya-linked-groups"] \
        == "supports"


def test_thesis_two_counts_the_years_and_the_last_death(data):
    found = next(r for r in aftermath.thesis_results(data) if r["thesis_id"] == "far-from-over")
    years = next(m for m in found["measures"] if m["measure_id"] == "years-with-victims")
    deaths = aftermath.attack_deaths(data)
    after = deaths[deaths["after"] & (deaths["harmed"] > 0)]
    assert years["years"] == sorted(set(after["start_date"].dt.year))
    assert 2019 in years["years"]
    in_2019 = after[after["start_date"].dt.year == 2019]
    assert in_2019["start_date"].max() >= pd.Timestamp("2019-09-02")  # Haidra, not June


def test_thesis_five_records_the_later_meetings(data):
    found = next(r for r in aftermath.thesis_results(data) if r["thesis_id"] == "western-support")
    meetings = next(m for m in found["measures"] if m["measure_id"] == "neighbours-meetings")
    assert meetings["n"] >= 4
    assert meetings["first"]["date"] == pd.Timestamp("2014-08-25")  # Cairo


def test_support_is_never_summed_across_kinds(data):
    found = aftermath.measure(data, "support-by-kind")
    assert {"plan", "pledge", "delivery"} <= set(found["kinds"])
    text = words.measure_words(data, found)
    plan = data.assistance[data.assistance["kind"] == "plan"]["amount"].sum()
    everything = data.assistance["amount"].sum()
    assert format_money(plan, "EUR") in text and format_money(everything, "EUR") not in text


# -- the census -----------------------------------------------------------------------------

def test_the_named_claims_are_right(data):
    attacks = data.attacks.set_index("attack_id")
    assert attacks.loc["chaambi-2014-07-16", "claimed_by"] == "okba-ibn-nafaa"
    assert attacks.loc["jendouba-2018-07-08", "claimed_by"] == "okba-ibn-nafaa"
    assert attacks.loc["tunis-2019-06-27", "claimed_by"] == "islamic-state"
    assert attacks.loc["tunis-2019-06-27", "claim_date"] == pd.Timestamp("2019-06-27")


def test_every_year_of_the_census_has_attacks_or_a_search_that_found_none(data):
    deaths = aftermath.attack_deaths(data)
    years = set(deaths.loc[deaths["after"], "start_date"].dt.year)
    searches = data.census_searches
    empty = set(searches.loc[searches["found"] == 0, "year"].dropna().astype(int))
    assert set(range(2014, aftermath.CENSUS_END + 1)) <= years | empty


def test_an_empty_year_without_a_search_fails_validation(data_copy):
    from tunisia_report.dataset.validate import collect_problems

    header, rows = read_table(data_copy, "attacks")
    start = header.index("start_date")
    write_table(data_copy, "attacks", header, [r for r in rows if r[start][:4] != "2018"])
    header_t, tolls = read_table(data_copy, "tolls")
    kept = {r[0] for r in rows if r[start][:4] != "2018"}
    write_table(data_copy, "tolls", header_t, [t for t in tolls if t[1] in kept])
    header_s, searches = read_table(data_copy, "census_searches")
    write_table(data_copy, "census_searches", header_s,
                [s for s in searches if s[header_s.index("year")] != "2018"])
    problems = "\n".join(str(p) for p in collect_problems(data_copy))
    assert "a search about 2018 that found no attack" in problems


def test_a_census_search_after_the_report_or_reading_too_much_is_reported(data_copy):
    from tunisia_report.dataset.validate import collect_problems

    header, rows = read_table(data_copy, "census_searches")
    rows[0][header.index("date_searched")] = "2099-01-01"
    rows[1][header.index("results_read")] = str(int(rows[1][header.index("results")]) + 1)
    write_table(data_copy, "census_searches", header, rows)
    problems = "\n".join(str(p) for p in collect_problems(data_copy))
    assert "census_searches.csv:2: date_searched: expected a date on or before" in problems
    assert "census_searches.csv:3: results_read: expected at most the" in problems


def test_counted_toll_is_the_latest_independent_one(data):
    chosen = aftermath.counted_tolls(data).set_index(["attack_id", "category"])
    # Ben Guerdane, 7 March 2016: the prime minister's count of the day, stated last, wins
    # over the first ones (the pursuits that followed are rows of their own).
    assert chosen.loc[("ben-guerdane-2016-03-07", "militants"), "value"] == 36


def test_a_wiki_never_outranks_an_independent_source(data_copy):
    set_cell(data_copy, "tolls", "bg-militants-piglix", "stated_date", "2020-01-01")
    set_cell(data_copy, "tolls", "bg-militants-piglix", "stated_precision", "day")
    set_cell(data_copy, "tolls", "bg-militants-piglix", "value", "99")
    chosen = aftermath.counted_tolls(load(data_copy)).set_index(["attack_id", "category"])
    assert chosen.loc[("ben-guerdane-2016-03-07", "militants"), "value"] == 36


def test_channels_leave_out_copies(data):
    channels = aftermath.fact_channels(data).set_index(["table", "fact_id"])
    # Ben Guerdane's 35 militants: Baya.tn and a Wikipedia copy: one channel, two sources.
    row = channels.loc[("tolls", "ben-guerdane-2016-03-07/militants/35")]
    assert (row["n_sources"], row["n_channels"]) == (2, 1)


def test_census_table_has_every_year_and_the_published_totals(data):
    i18n.activate("en")
    table = words.census_table(data)
    lines = table.plain.splitlines()
    years = [str(y) for y in range(2014, aftermath.CENSUS_END + 1)]
    assert [line.split("\t")[0] for line in lines[2:2 + len(years)]] == years
    for total in data.totals.dropna(subset=["value"]).itertuples():
        assert f"{int(total.value):,}" in table.plain


# -- departures like for like ---------------------------------------------------------------

def test_departures_are_dated_and_credited(data):
    rows = data.departures.set_index("departure_id")
    first = rows.loc["stopped-8000-benjeddou"]
    assert (first["stated_date"], first["originator"]) == (
        pd.Timestamp("2014-02-24"), "Interior Minister Lotfi Ben Jeddou")
    assert first["destination"] == "syria"
    latest = rows.loc["stopped-27371-majdoub"]
    assert (latest["value"], latest["stated_date"]) == (27371, pd.Timestamp("2017-04-21"))
    assert rows.loc["left-3000-soufan", "originator"] == "The Soufan Group"


def test_each_statement_is_drawn_once(data):
    keys = data.departures[["series", "destination", "originator", "stated_date"]]
    assert not keys.duplicated().any()


def test_departures_chart_draws_the_latest_statement_and_ranges(data):
    from tunisia_report import charts

    i18n.activate("en")
    chart = charts.CHARTS["aftermath-departures"](data)
    assert "stopped-27371-majdoub" in set(chart.table["departure_id"])
    assert chart.table["stated_date"].max() == data.departures["stated_date"].max()
    ranges = data.departures.dropna(subset=["value_high"])
    bars = [line for ax in chart.figure.axes for line in ax.get_lines()
            if len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]]
    assert {(int(min(b.get_ydata())), int(max(b.get_ydata()))) for b in bars} >= {
        (int(r.value), int(r.value_high)) for r in ranges.itertuples()}


# -- charts ---------------------------------------------------------------------------------

def test_deaths_chart_keeps_militants_apart(data):
    from tunisia_report import charts

    i18n.activate("en")
    chart = charts.CHARTS["aftermath-deaths"](data)
    top, low = chart.figure.axes[:2]
    drawn_top = sum(p.get_height() for p in top.patches if str(p.get_gid()).startswith("victims"))
    drawn_low = sum(p.get_height() for p in low.patches)
    deaths = aftermath.attack_deaths(data)
    after = deaths[deaths["after"]]
    assert drawn_top == after["harmed"].sum()
    assert drawn_low == after["militants"].sum()
    assert not [p for p in top.patches if str(p.get_gid()).startswith("militants")]


def test_map_draws_every_attack_apart(data):
    from tunisia_report import charts

    i18n.activate("en")
    chart = charts.CHARTS["aftermath-map"](data)
    circles = [c for c in chart.figure.axes[0].collections
               if str(c.get_gid()).startswith("attack-")]
    assert len(circles) == len(data.attacks)
    where = [tuple(c.get_offsets()[0]) for c in circles]
    assert len(set(where)) == len(where), "two attacks drawn as one circle"
    texts = [t.get_text() for t in chart.figure.axes[0].texts]
    # placed in the map's own fraction (a document's crop keeps them in place), outside it
    assert all(t.get_anncoords() == "axes fraction" and not 0 <= t.xyann[0] <= 1
               for t in chart.figure.axes[0].texts), "labels sit beside the map, not on it"
    assert texts


def test_charts_read_the_tolls(data_copy):
    from tunisia_report import charts

    i18n.activate("en")
    before = charts.CHARTS["aftermath-deaths"](load(data_copy))
    civilians = int(aftermath.attack_deaths(load(data_copy)).query("after")["civilians"].sum())
    assert f"{civilians} civilians" in before.info.alt
    for toll in ("sousse-civilians-afp", "sousse-civilians-aljazeera"):
        set_cell(data_copy, "tolls", toll, "value", "41")
    data = load(data_copy)
    assert f"{civilians + 3} civilians" in charts.CHARTS["aftermath-deaths"](data).info.alt


# -- words ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_every_thesis_has_a_verdict_reason_and_measures_in_each_edition(lang):
    i18n.activate(lang)
    try:
        data = load(DATA_DIR).localized(lang)
        text = words.theses_text(data)
        found = aftermath.thesis_results(data)
        assert len(found) == 5
        for result in found:
            assert i18n.gettext(words.VERDICT_WORDS[result["verdict"]]) in text.plain
            assert result["reason"] in text.plain
            for m in result["measures"]:
                assert words.measure_words(data, m) in text.plain
    finally:
        i18n.activate("en")


def test_measures_are_written_from_the_data(data_copy):
    i18n.activate("en")
    data = load(data_copy)
    found = aftermath.measure(data, "deadliest-before-after")
    assert "killed 38 people" in words.measure_words(data, found)
    for toll in ("sousse-civilians-afp", "sousse-civilians-aljazeera"):
        set_cell(data_copy, "tolls", toll, "value", "41")
    data = load(data_copy)
    found = aftermath.measure(data, "deadliest-before-after")
    assert "killed 41 people" in words.measure_words(data, found)
