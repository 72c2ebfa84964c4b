"""Charts: numbers from the data, honest scales and dates, full captions, deterministic files."""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as ET

import matplotlib.dates as mdates
import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from tests.helpers import figure_texts as texts
from tests.helpers import set_cell
from tunisia_report import charts
from tunisia_report.charts import base
from tunisia_report.charts.figure_reports import AGREEMENT, MIN_DISTINCT, unreported_figures
from tunisia_report.charts.geo import polygon_path, read_countries, shared_border
from tunisia_report.dataset import load
from tunisia_report.dataset.verdicts import claims
from tunisia_report.exceptions import ReportError
from tunisia_report.text.formatting import format_number, format_value, source_line

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# One worker runs the module (its module-scoped fixtures are made once; see conftest).
pytestmark = pytest.mark.xdist_group("charts")



@pytest.fixture(scope="module")
def built(data):
    return {key: make(data) for key, make in charts.CHARTS.items()}


def test_registry_labels_match_keys(built):
    assert list(built) == ["key-figures", "counter-terrorism-2014", "timeline",
                           "locator-map", "policy-measures", "figure-reports", "aftermath-deaths",
                           "aftermath-map", "aftermath-departures"]
    for key, chart in built.items():
        assert chart.info.label == key or chart.info.label.startswith(f"{key}-")


@pytest.mark.parametrize("key", list(charts.CHARTS))
def test_info_is_complete_and_drawn(built, data, key):
    chart = built[key]
    info = chart.info
    assert info.title and info.caption
    if key == "locator-map":
        assert info.source.startswith(source_line(data)) and "Natural Earth" in info.source
    elif key in ("timeline", "figure-reports"):
        assert "Bechri, The Washington Institute, 23 July 2014;" in info.source
    elif key.startswith("aftermath-"):  # the record after the article: its publishers
        assert info.source.startswith("Sources: ")
    else:
        assert info.source == source_line(data)
    assert len(info.alt) > 120 and any(ch.isdigit() for ch in info.alt)
    drawn = texts(chart.figure)
    shown = info.source if key != "locator-map" else source_line(data)
    assert info.title in drawn and shown in drawn
    assert not chart.table.empty


@pytest.mark.parametrize("key", list(charts.CHARTS))
def test_nothing_sticks_out_of_the_figure(built, key):
    fig = built[key].figure
    renderer = fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer)
    width, height = fig.get_size_inches()
    assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height


@pytest.mark.parametrize("key", list(charts.CHARTS))
def test_save_writes_readable_deterministic_files(built, key, tmp_path):
    chart = built[key]
    first = charts.save(chart, tmp_path / "a")
    second = charts.save(chart, tmp_path / "b")
    label = chart.info.label
    assert [p.name for p in first] == [f"{label}.png", f"{label}.svg"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    png, svg = first
    assert png.read_bytes().startswith(PNG_SIGNATURE)
    pixels = mpimg.imread(png)
    assert pixels.shape[1] >= 6 * 150  # 6.3 in wide at >= 150 dpi, less a tight crop
    assert ET.parse(svg).getroot().tag.endswith("svg")
    assert not list(tmp_path.glob("*/*.tmp"))


CHANGES = [
    # chart, table, row key, field, new value, (table column, table row key column, expected),
    # texts that must then be in the alt text, texts that must no longer be
    ("key-figures", "figures", "chaambi-soldiers-killed", "value", "15",
     ("value", "figure_id", 15), ["Soldiers killed in the Mount Chaambi attack: 15 soldiers"],
     ["14 soldiers"]),
    ("counter-terrorism-2014", "figures", "departures-prevented", "value", "8500",
     ("value", "figure_id", 8500), ["8,500 jihadists"], ["8,000"]),
    ("timeline", "events", "kerry-visit", "start_date", "2014-03-01",
     ("start", "event_id", pd.Timestamp("2014-03-01")), ["March 2014: U.S. Secretary"], []),
    ("locator-map", "places", "tunis", "latitude", "36.8",
     ("latitude", "place_id", 36.8), ["Tunis (36.8° N, 10.18° E)"], ["36.81"]),
    ("policy-measures", "measures", "telecom-monitoring-agency", "stage", "agreed",
     ("stage", "measure_id", "agreed"),
     ["Agency for monitoring telecommunications (surveillance, no partner, agreed)"], []),
]


@pytest.mark.parametrize("change", CHANGES, ids=[c[0] for c in CHANGES])
def test_a_changed_value_reaches_table_and_alt(data_copy, change):
    key, table, row_key, field, value, (column, id_column, expected), present, absent = change
    set_cell(data_copy, table, row_key, field, value)
    if key == "timeline":  # keep the month's end consistent with its start
        set_cell(data_copy, table, row_key, "end_date", "2014-03-31")
    # Not validated: a figure's value that its words in the article ('fourteen') contradict is
    # a problem of the data, and the chart must still draw what the data say.
    chart = charts.CHARTS[key](load(data_copy, check=False))
    row = chart.table[chart.table[id_column] == row_key].iloc[0]
    assert row[column] == expected
    for text in present:
        assert text in chart.info.alt
    for text in absent:
        assert text not in chart.info.alt


def test_key_figures_each_on_its_own_and_estimates_labelled(built, data):
    chart = built["key-figures"]
    table = chart.table
    assert table["value"].notna().all() and "year" not in set(table["unit"])
    assert table["unit"].nunique() > 1
    tiles = [ax for ax in chart.figure.axes if ax.texts or ax.patches]
    assert len(tiles) == len(table)  # one tile, one number: no shared axis
    drawn = " ".join(texts(chart.figure))
    for row in table.itertuples():
        if row.value_kind == "estimate":
            assert f"Estimate · {row.attributed_to}" in drawn
    assert "8,000" in texts(chart.figure)


def test_counter_terrorism_words_as_words_and_one_scale_per_unit(built, data):
    chart = built["counter-terrorism-2014"]
    table = chart.table
    words = table[table["value_kind"] == "qualitative"]
    assert set(words["drawn_as"]) == {"words"} and words["value"].isna().all()
    drawn = texts(chart.figure)
    for amount in words["amount_text"]:
        assert f"“{amount}”" in drawn
    bar_axes = [ax for ax in chart.figure.axes if ax.containers]  # (the words have boxes only)
    counted = table[table["drawn_as"] == "bar"]
    assert len(bar_axes) == len(counted)
    for ax, value in zip(bar_axes, counted["value"], strict=True):
        (bar,) = ax.patches  # one quantity per axis
        assert bar.get_x() == 0 and bar.get_width() == value and ax.get_xlim()[0] == 0
    for row in counted.itertuples():
        assert any(row.attributed_to in t for t in drawn)


def test_timeline_spans_match_the_precision(built, data):
    table = built["timeline"].table
    assert set(table["event_id"]) == set(data.events["event_id"])
    days = (table["end"] - table["start"]).dt.days
    months = table["date_precision"] == "month"
    assert months.any()
    # whole months: from the first of a month to the first of the month after the last one
    assert (table.loc[months, "start"].dt.day == 1).all()
    assert (table.loc[months, "end"].dt.day == 1).all() and (days[months] >= 28).all()
    years = table["date_precision"] == "year"
    assert (days[years] == 365).all()
    before = table["date_precision"] == "before"
    assert table.loc[before, "open_start"].all()
    published = data.source("bechri-2014")["date_published"]
    assert (table.loc[before, "end"] == published + pd.Timedelta(days=1)).all()


def test_timeline_draws_a_month_as_a_month(built):
    fig = built["timeline"].figure
    (bar,) = fig.findobj(lambda a: a.get_gid() == "event-kerry-visit")
    start = mdates.num2date(bar.get_x())
    assert start.date().isoformat() == "2014-02-01"
    assert round(bar.get_width()) == 28
    assert "February 2014" in texts(fig)


def test_timeline_crops_to_a_period(data):
    table = charts.timeline(data, start="2014-01-01", end="2014-12-31").table
    assert "assassinations-2013" not in set(table["event_id"])
    undated = table[table["open_start"]]
    assert not undated.empty and (undated["start"] == pd.Timestamp("2014-01-01")).all()
    with pytest.raises(ReportError):
        charts.timeline(data, start="2015-01-01", end="2014-01-01")


def test_policy_measures_show_every_measure_and_stage(built, data):
    chart = built["policy-measures"]
    assert set(chart.table["measure_id"]) == set(data.measures["measure_id"])
    drawn = " ".join(texts(chart.figure))
    for name in data.measures["name"]:
        assert name in drawn
    assert "Algeria" in drawn and "Libya" in drawn


def test_map_labels_places_and_credits_natural_earth(built, data):
    fig = built["locator-map"].figure
    drawn = texts(fig)
    located = data.places.dropna(subset=["latitude", "longitude"])
    assert len(located) >= 2
    notes = " ".join(" ".join(t.split()) for t in drawn)
    for name in located["name"]:  # beside its mark, the name before its bracket; whole in the note
        assert name.split(" (")[0] in [" ".join(t.split()) for t in drawn]
        assert f"{name}: " in notes
    assert "Tunis: 36.81° N, 10.18° E" in notes  # a hundredth of a degree, about a kilometre
    assert any("Made with Natural Earth" in t for t in drawn)
    for iso in ("DZA", "LBY"):
        (border,) = fig.findobj(lambda a, iso=iso: a.get_gid() == f"border-{iso}")
        assert sum(len(s) for s in border.get_segments()) > 10


def test_map_place_labels_do_not_overlap(built):
    fig = built["locator-map"].figure
    renderer = fig.canvas.get_renderer()
    labels = [t for t in fig.axes[0].texts if t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_real_borders_run_from_coast_to_tripoint():
    countries = read_countries()
    algeria = shared_border(countries["TUN"], countries["DZA"])
    libya = shared_border(countries["TUN"], countries["LBY"])
    assert len(algeria) == 1 and len(libya) == 1  # one continuous line each
    (a,), (b,) = algeria, libya
    ends_a, ends_b = [a[0], a[-1]], [b[0], b[-1]]
    # they meet at the tripoint, in the south; the Algerian border reaches the north coast
    gap = min(np.abs(p - q).max() for p in ends_a for q in ends_b)
    assert gap < 1e-6
    assert a[:, 1].max() > 36.9 and a[:, 1].min() < 30.5
    assert not shared_border(countries["TUN"], countries["ITA"])


def test_shared_border_on_toy_squares():
    def square(x0):
        ring = np.array([[x0, 0], [x0 + 1, 0], [x0 + 1, 1], [x0, 1], [x0, 0]], dtype=float)
        return {"polygons": [[ring]]}

    (line,) = shared_border(square(0), square(1))
    assert sorted(map(tuple, line)) == [(1.0, 0.0), (1.0, 1.0)]
    assert shared_border(square(0), square(2)) == []


def test_polygon_holes_stay_empty_when_drawn():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch

    outer = np.array([[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], dtype=float)
    hole = np.array([[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]], dtype=float)  # same orientation
    fig = Figure(figsize=(1, 1), dpi=40)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 4)
    ax.add_patch(PathPatch(polygon_path([outer, hole]), facecolor="black", edgecolor="none"))
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    assert pixels[20, 20, 0] == 255  # the hole's centre stays white
    assert pixels[35, 5, 0] == 0  # the ring is filled


def test_show_leaves_title_and_source_to_the_document(data, monkeypatch):
    chart = charts.key_figures(data)
    seen = []

    real = base.figure_bundle
    published = []

    def record(fig, info, **kw):
        seen.append([t.get_text() for t in fig.texts if t.get_visible()])
        return real(fig, info, **kw)

    monkeypatch.setattr(base, "figure_bundle", record)
    monkeypatch.setattr("IPython.display.publish_display_data",
                        lambda data, metadata: published.append((data, metadata)))
    charts.show(chart)
    ((data, metadata),) = published
    assert data["text/plain"] == chart.info.alt
    assert metadata["tunisia_report"]["figure"]["title"] == chart.info.title
    (shown,) = seen
    assert chart.info.title not in shown and chart.info.source not in shown
    assert chart.info.title in texts(chart.figure)  # drawn again for saving
    assert all(t.get_visible() for t in chart.figure.texts)


def test_no_chart_text_is_smaller_than_8pt(built):
    """The HTML keeps chart text at 9 px or more by never drawing a chart narrower than
    8 pt reaches 9 px at (tests/test_browser.py relies on this floor)."""
    from matplotlib.text import Text

    for key, chart in built.items():
        sizes = [t.get_fontsize() for t in chart.figure.findobj(Text)
                 if t.get_visible() and t.get_text().strip()]
        assert min(sizes) >= 8, key


# --- the public record ---------------------------------------------------------------------


def test_figure_reports_one_chart_per_figure_with_numbers(data):
    ids = charts.reported_figures(data)
    assert "chaambi-soldiers-killed" in ids and "border-crossings-foiled" not in ids
    assert ids == [f for f in data.figures["figure_id"] if f in set(ids)]
    with pytest.raises(ReportError):
        charts.figure_reports(data, figure_id="border-crossings-foiled")


def test_figure_reports_draw_every_number_and_name_every_source(built, data):
    chart = built["figure-reports"]
    table = chart.table
    reports = data.reports[(data.reports["figure_id"] == "chaambi-soldiers-killed")
                           & data.reports["value"].notna()]
    assert len(table) == len(reports)
    for name in table["publisher"]:
        assert name in chart.info.source
    drawn = " ".join(texts(chart.figure))
    assert "the article: 14" in drawn
    main = chart.figure.axes[0]
    assert main.get_ylim()[0] == 0  # counts from zero
    values = dict(claims(data).set_index("claim_id").loc["chaambi-soldiers-killed", "values"])
    assert f"14 from {values[14]} channels" in chart.info.alt  # independent channels, not rows
    assert values[14] < int((reports["value"] == 14).sum())


def test_figure_reports_a_month_is_a_line_not_a_dot(built):
    table = built["figure-reports"].table
    assert (table["published_precision"] == "month").any()
    main = built["figure-reports"].figure.axes[0]
    lines = [c for c in main.collections if type(c).__name__ == "LineCollection"]
    spans = [seg[1][0] - seg[0][0] for c in lines for seg in c.get_segments()]
    assert spans and all(27 < s < 32 for s in spans)


def test_figure_reports_follow_a_changed_report(data_copy):
    set_cell(data_copy, "reports", "chaambi-soldiers-killed--reuters-2014-07-17-chaambi",
             "value", "16")
    chart = charts.figure_reports(load(data_copy))
    assert 16 in set(chart.table["value"]) and "16 from 1 channel" in chart.info.alt


def test_figure_reports_label_the_count_that_revised_or_outdated_the_article(data):
    table = claims(data).set_index("claim_id")
    for figure_id, word in (("chaambi-soldiers-killed", "later figure"),
                            ("departures-prevented", "later figure")):
        assert table.loc[figure_id, "verdict"] in ("revised", "outdated")
        newer = table.loc[figure_id, "source_ids"][1]
        (row,) = data.reports[(data.reports["figure_id"] == figure_id)
                              & (data.reports["source_id"] == newer)].to_dict("records")
        drawn = " ".join(texts(charts.figure_reports(data, figure_id=figure_id).figure))
        assert f"{word}: {format_number(row['value'])}, " in drawn, drawn
    accurate = " ".join(texts(charts.figure_reports(data, figure_id="suspects-killed-feb-2014")
                              .figure))
    assert table.loc["suspects-killed-feb-2014", "verdict"] == "accurate"
    assert "revised:" not in accurate and "later figure:" not in accurate


def test_timeline_adds_the_records_days_where_the_article_has_none(built):
    table = built["timeline"].table.set_index("event_id")
    assert table.loc["libya-neighbours-meeting", "record"] == []  # the article gives the days
    (attack,) = table.loc["chaambi-attack", "record"]
    assert attack["start"] == pd.Timestamp("2014-07-16") and attack["precision"] == "day"
    assert len(table.loc["assassinations-2013", "record"]) == 2
    fig = built["timeline"].figure
    marks = fig.findobj(lambda a: a.get_gid() == "record-chaambi-attack-0")
    assert marks and marks[0].get_markerfacecolor() == "white"
    assert "record: 16 July 2014" in built["timeline"].info.alt


def test_timeline_draws_a_record_month_as_a_month(data_copy):
    for report_id in ("chaambi-attack--reuters-2014-07-17-chaambi",):
        set_cell(data_copy, "reports", report_id, "start_date", "2014-07-01")
        set_cell(data_copy, "reports", report_id, "end_date", "2014-07-31")
        set_cell(data_copy, "reports", report_id, "date_precision", "month")
    path = data_copy / "reports.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [x for x in lines if not x.startswith("chaambi-attack--") or "reuters" in x]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    chart = charts.timeline(load(data_copy), start="2013-01-01", end="2014-07-31")
    (bar,) = chart.figure.findobj(lambda a: a.get_gid() == "record-chaambi-attack-0")
    assert round(bar.get_width()) == 30  # the whole month (to the period's end), not a day


def test_a_record_of_one_or_two_numbers_is_a_sentence_not_a_chart(data):
    charted, uncharted = charts.reported_figures(data), unreported_figures(data)
    numbers = data.reports.dropna(subset=["value"]).groupby("figure_id")["value"].nunique()
    assert charted and uncharted and not set(charted) & set(uncharted)
    values = data.reports.dropna(subset=["value"]).groupby("figure_id")["value"]
    agreeing = values.agg(lambda v: v.value_counts().iloc[0] / len(v))
    assert all(numbers[f] >= MIN_DISTINCT and agreeing[f] < AGREEMENT for f in charted)
    assert all(numbers[f] < MIN_DISTINCT or agreeing[f] >= AGREEMENT for f in uncharted)
    assert "opposition-figures-assassinated" in uncharted  # "2" eight times over
    assert "suspects-killed-feb-2014" in uncharted  # 7 from eight reports in ten


def test_each_record_point_has_a_tooltip_and_its_source_link_in_the_svg(built):
    import xml.etree.ElementTree as ElementTree

    from tunisia_report.charts import base

    chart = built["figure-reports"]
    data, metadata = base.display_bundle(chart)
    root = ElementTree.fromstring(data["image/svg+xml"])
    ns = {"svg": "http://www.w3.org/2000/svg"}
    for gid, tips in chart.tooltips.items():
        group = root.find(f".//svg:g[@id='{gid}']", ns)
        titles = [t.text for t in group.iter("{http://www.w3.org/2000/svg}title")]
        assert titles == tips and len(tips) > 0
    points = chart.table[(chart.table["column"] != "dated")
                         | (chart.table["published_precision"] == "day")]  # not month lines
    assert sum(len(t) for t in chart.tooltips.values()) == len(
        points.groupby(["column", "published", "value"], dropna=False))
    assert "Reuters" in " ".join(chart.tooltips["marks-dated"])
    assert metadata["tunisia_report"]["figure"]["csv"] == chart.table.to_csv(index=False)


def _values(table, column="value"):
    return [format_number(v) for v in table[column]]


# Each chart's marks, from the rows it draws: a text each mark's tooltip holds.
MARK_TEXTS = {
    "key-figures": lambda t: [format_value(r) for _, r in t.iterrows()],
    "counter-terrorism-2014": lambda t: [format_value(r) for _, r in t.iterrows()],
    "policy-measures": lambda t: list(t["name"]),
    "timeline": lambda t: [*t["date_text"], *["record: "] * int(t["record"].map(len).sum())],
    "locator-map": lambda t: list(t["name"]),
    "aftermath-deaths": lambda t: [format_number(v) for c in ("city", "town", "remote",
                                                              "border-remote", "militants")
                                   for v in t[c] if v],
    "aftermath-map": lambda t: list(t["place"]),
    "aftermath-departures": _values,
}
LINKED = {"aftermath-map", "aftermath-departures"}  # marks standing for a source (a link)


@pytest.mark.parametrize("key", list(MARK_TEXTS))
def test_each_mark_has_a_tooltip_with_its_value_in_the_svg(built, key):
    import re

    chart = built[key]
    svg = base.display_bundle(chart)[0]["image/svg+xml"]
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    expected = MARK_TEXTS[key](chart.table)
    assert len(titles) == len(expected) == sum(len(t) for t in chart.tooltips.values())
    for gid, tips in chart.tooltips.items():  # each on a mark of its own artist
        group = root.find(f".//svg:g[@id='{gid}']", {"svg": "http://www.w3.org/2000/svg"})
        assert [t.text for t in group.iter("{http://www.w3.org/2000/svg}title")] == tips
    for text in expected:
        assert any(text in title for title in titles), (text, titles)
    linked = re.findall(r'<a xlink:href="https?://[^"]+" target="_blank">\s*<title>', svg)
    assert len(linked) == (len(titles) if key in LINKED else 0)


def test_a_tooltip_stays_inside_its_artists_group():
    from tunisia_report.charts.base import with_tooltips

    svg = '<svg><g id="bar"><g><path d="M 0 0"/></g></g><path d="M 9 9"/></svg>'
    out = with_tooltips(svg, {"bar": ["one", "two"]})  # one text too many: never spills over
    assert out == ('<svg><g id="bar"><g><path d="M 0 0"><title>one</title></path></g></g>'
                   '<path d="M 9 9"/></svg>')


def test_a_tooltip_goes_on_the_mark_not_on_a_shape_it_reuses():
    from tunisia_report.charts.base import with_tooltips

    svg = ('<svg><g id="marks"><defs><path d="M 0 0" id="m1"/></defs>'
           '<g><use xlink:href="#m1" x="1"/></g><a xlink:href="https://a.example/"><g>'
           '<use xlink:href="#m1" x="2"/></g></a></g><path d="M 9 9"/></svg>')
    out = with_tooltips(svg, {"marks": ["one", "two"]})
    assert '<path d="M 0 0" id="m1"/>' in out  # the definition is left alone
    assert '<use xlink:href="#m1" x="1"><title>one</title></use>' in out
    assert '<a xlink:href="https://a.example/"><title>two</title>' in out
    assert out.endswith('<path d="M 9 9"/></svg>')  # nothing past the marks
def test_tests_draw_into_a_chart_store_of_their_own(chart_store):
    from tunisia_report import store

    assert store.store_dir() == chart_store != store.STORE_DIR


def test_the_chart_store_keeps_the_recently_used_within_its_bound(tmp_path):
    import os

    from tunisia_report import store

    now = 1_000_000_000.0
    for n, age_days in enumerate([0, 1, 2, 40]):
        path = tmp_path / f"{n}.pickle"
        path.write_bytes(b"x" * 100)
        os.utime(path, (now - age_days * 86400, now - age_days * 86400))
    (tmp_path / ".dead.tmp").write_bytes(b"")
    os.utime(tmp_path / ".dead.tmp", (now - 7200, now - 7200))
    removed = store.prune(tmp_path, max_bytes=250, max_age_days=30, now=now)
    assert sorted(p.name for p in removed) == [".dead.tmp", "2.pickle", "3.pickle"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pickle", "1.pickle"]


def test_a_chart_another_process_is_drawing_is_waited_for_not_drawn_again(tmp_path,
                                                                          monkeypatch):
    """Two processes of a render wanting one chart: the second waits for the first's entry;
    a claim whose process has ended is taken over."""
    import subprocess
    import sys

    from tunisia_report import store

    monkeypatch.setenv(store.SWITCH, str(tmp_path))
    with store.computing("k") as entry:
        assert entry is None and (tmp_path / "k.claim").read_text() == str(os.getpid())
        waiter = subprocess.Popen(
            [sys.executable, "-c", "from tunisia_report import store\n"
             "with store.computing('k') as entry: print(entry)"],
            env={**os.environ, store.SWITCH: str(tmp_path)}, stdout=subprocess.PIPE, text=True)
        time.sleep(1.5)  # the other process starts and waits on the claim
        assert waiter.poll() is None
        store.put("k", {"drawn": "here"})
    assert waiter.communicate(timeout=60)[0].strip() == "{'drawn': 'here'}"
    assert not (tmp_path / "k.claim").exists()

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    (tmp_path / "j.claim").write_text(ended)  # left by a process that died drawing
    with store.computing("j") as entry:
        assert entry is None and (tmp_path / "j.claim").read_text() == str(os.getpid())


def test_make_clean_empties_the_caches():
    import subprocess

    from tunisia_report.paths import ROOT

    recipe = subprocess.run(["make", "-n", "clean"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    assert "rm -rf" in recipe and ".cache" in recipe.split()


def test_departures_labels_name_the_official_in_every_edition():
    """A label is the official's surname (or the body's first words) in the edition's words:
    the English rule read on a translation gave 'le ministre de' for three ministers."""
    from tunisia_report.charts.aftermath_departures import who_short

    assert who_short("le ministre de l’Intérieur Hédi Majdoub",
                     "Interior Minister Hédi Majdoub") == "Majdoub"
    assert who_short("وزير الداخلية لطفي بن جدو", "Interior Minister Lotfi Ben Jeddou") == "بن جدو"
    assert who_short("le Groupe de travail de l’ONU sur l’utilisation de mercenaires",
                     "UN Working Group on the use of mercenaries") == "Groupe de travail"
    assert who_short("les autorités tunisiennes", "Tunisian authorities") == "Autorités tunisiennes"
    assert who_short("The Soufan Group") == "Soufan Group"


def test_a_charts_data_for_readers_holds_words_not_python_objects(built):
    """The timeline walks a list of record spans per event; its data table and CSV give the
    spans' words (`record_text`), not the list's Python spelling."""
    from tunisia_report.charts import base

    table = built["timeline"].table
    assert table["record"].map(bool).any()  # the drawing's own column is there to leave out
    csv = base.table_csv(table)
    header = csv.splitlines()[0].split(",")
    assert "record_text" in header and "record" not in header
    assert "Timestamp(" not in csv and "{" not in csv
