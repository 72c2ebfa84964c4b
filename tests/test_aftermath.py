"""What happened next: each thesis's verdict follows its rule, on the real record and on copies
changed to push a rule across its threshold; reasons are written from the data."""

from __future__ import annotations

import pytest

from tests.helpers import set_cell
from tunisia_report.dataset import aftermath, load
from tunisia_report.report import aftermath as words
from tunisia_report.text import i18n


def verdicts(data_dir) -> dict[str, str]:
    return {r["thesis_id"]: r["verdict"] for r in aftermath.thesis_results(load(data_dir))}


def test_real_record_verdicts():
    from tunisia_report.paths import DATA_DIR

    assert verdicts(DATA_DIR) == {"gains": "partly", "far-from-over": "borne-out",
                                  "moved-to-borders": "partly", "aqim-libya": "partly",
                                  "western-support": "untestable"}


def test_counted_toll_is_the_latest_independent_one(data_copy):
    chosen = aftermath.counted_tolls(load(data_copy)).set_index(["attack_id", "category"])
    # Ben Guerdane: the final official count, stated last, wins over the earlier ones.
    assert chosen.loc[("ben-guerdane-2016-03-07", "militants"), "value"] == 50
    # Bardo's militants are counted only by a wiki, which is used when nothing else counts them.
    assert chosen.loc[("bardo-2015-03-18", "militants"), "source_id"] == "wikipedia-bardo-attack"


def test_a_wiki_never_outranks_an_independent_source(data_copy):
    set_cell(data_copy, "tolls", "bg-militants-piglix", "stated_date", "2020-01-01")
    set_cell(data_copy, "tolls", "bg-militants-piglix", "stated_precision", "day")
    set_cell(data_copy, "tolls", "bg-militants-piglix", "value", "99")
    chosen = aftermath.counted_tolls(load(data_copy)).set_index(["attack_id", "category"])
    assert chosen.loc[("ben-guerdane-2016-03-07", "militants"), "value"] == 50


def test_attacks_in_one_year_only_make_far_from_over_partly(data_copy):
    for attack in ("boulaaba-2015-02-17", "bardo-2015-03-18", "sousse-2015-06-26",
                   "tunis-bus-2015-11-24", "jendouba-2018-07-08", "tunis-2019-06-27"):
        set_cell(data_copy, "attacks", attack, "start_date", "2014-01-01")
    assert verdicts(data_copy)["far-from-over"] == "partly"


def test_city_attacks_moved_to_the_border_bear_out_the_thesis(data_copy):
    for attack in ("bardo-2015-03-18", "sousse-2015-06-26"):
        set_cell(data_copy, "attacks", attack, "setting", "border-area")
        set_cell(data_copy, "attacks", attack, "border_iso3", "DZA")
    assert verdicts(data_copy)["moved-to-borders"] == "borne-out"


def test_no_border_deaths_is_not_borne_out(data_copy):
    for attack in ("boulaaba-2015-02-17", "ben-guerdane-2016-03-07", "jendouba-2018-07-08"):
        set_cell(data_copy, "attacks", attack, "setting", "city")
        set_cell(data_copy, "attacks", attack, "border_iso3", "")
    assert verdicts(data_copy)["moved-to-borders"] == "not-borne-out"


def test_aqim_behind_the_libya_attacks_bears_out_thesis_four(data_copy):
    for attack in ("sousse-2015-06-26", "tunis-bus-2015-11-24", "ben-guerdane-2016-03-07"):
        set_cell(data_copy, "attacks", attack, "blamed_on", "aqim")
    assert verdicts(data_copy)["aqim-libya"] == "borne-out"


def test_no_libya_link_is_not_borne_out(data_copy):
    for attack in ("bardo-2015-03-18", "sousse-2015-06-26", "tunis-bus-2015-11-24",
                   "ben-guerdane-2016-03-07"):
        set_cell(data_copy, "attacks", attack, "libya_link", "no-record")
        set_cell(data_copy, "attacks", attack, "libya_link_source_id", "")
    assert verdicts(data_copy)["aqim-libya"] == "not-borne-out"


def test_measures_that_never_took_effect_make_gains_not_borne_out(data_copy):
    for outcome in ("att-created", "att-head-appointed", "att-first-year",
                    "ct-commission-in-law", "ct-commission-missions"):
        set_cell(data_copy, "outcomes", outcome, "fate", "ended")
    assert verdicts(data_copy)["gains"] == "not-borne-out"


def test_reason_is_written_from_the_data(data_copy):
    i18n.activate("en")
    data = load(data_copy)
    result = next(r for r in aftermath.thesis_results(data) if r["rule"] == "moved-to-borders")
    assert "killing 38" in words.reason(data, result)
    set_cell(data_copy, "tolls", "sousse-civilians-afp", "value", "41")
    set_cell(data_copy, "tolls", "sousse-civilians-aljazeera", "value", "41")
    data = load(data_copy)
    result = next(r for r in aftermath.thesis_results(data) if r["rule"] == "moved-to-borders")
    assert "killing 41" in words.reason(data, result)


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_every_thesis_has_a_verdict_and_reason_in_each_edition(lang):
    from tunisia_report.paths import DATA_DIR

    i18n.activate(lang)
    try:
        data = load(DATA_DIR).localized(lang)
        text = words.theses_text(data)
        results = aftermath.thesis_results(data)
        assert len(results) == 5
        for result in results:
            assert i18n.gettext(words.VERDICT_WORDS[result["verdict"]]) in text.plain
            assert words.reason(data, result) in text.plain
    finally:
        i18n.activate("en")


def test_channels_leave_out_copies():
    from tunisia_report.paths import DATA_DIR

    channels = aftermath.fact_channels(load(DATA_DIR)).set_index(["table", "fact_id"])
    # Ben Guerdane's 35 militants: Baya.tn and a Wikipedia copy: one channel, two sources.
    row = channels.loc[("tolls", "ben-guerdane-2016-03-07/militants/35")]
    assert (row["n_sources"], row["n_channels"]) == (2, 1)


def test_charts_read_the_tolls(data_copy):
    from tunisia_report import charts

    i18n.activate("en")
    before = charts.CHARTS["aftermath-deaths"](load(data_copy))
    assert "66 civilians" in before.info.alt
    for toll in ("sousse-civilians-afp", "sousse-civilians-aljazeera"):
        set_cell(data_copy, "tolls", toll, "value", "41")
    data = load(data_copy)
    assert "69 civilians" in charts.CHARTS["aftermath-deaths"](data).info.alt
    assert "Sousse (Port El Kantaoui), 41 killed" in charts.CHARTS["aftermath-map"](data).info.alt


def test_departures_draw_a_month_as_its_span(data_copy):
    from tunisia_report import charts

    chart = charts.CHARTS["aftermath-departures"](load(data_copy))
    row = chart.table.set_index("departure_id").loc["left-2929-majdoub"]
    assert row["stated_precision"] == "month"
    spans = [line for line in chart.figure.axes[0].get_lines()
             if len(line.get_xdata()) == 2 and line.get_ydata()[0] == 2929]
    assert spans, "a month-precise statement is drawn as a span"
