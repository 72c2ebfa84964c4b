"""Every chart of every edition as drawn: no label meets another label, a mark or a line
(`charts.layout`), and the Arabic edition's one rule for direction (`charts.style`)."""

from __future__ import annotations

import pytest

from tunisia_report import charts
from tunisia_report.charts import layout, style
from tunisia_report.text import i18n

# One worker runs the module (its module-scoped fixtures are made once; see conftest).
pytestmark = pytest.mark.xdist_group("charts")

LANGS = ("en", "fr", "ar")
# Collisions still drawn, each a strict xfail until its chart places that label better.
KNOWN = {
    "aftermath-departures": "two source names share a crowded spot in 2015",
}


@pytest.fixture(scope="module")
def drawn(data):
    """{(lang, label): Chart} for every chart in every edition, drawn directly (no render)."""
    out = {}
    for lang in LANGS:
        with i18n.language(lang):
            style.apply()
            localized = data.localized(lang) if lang != "en" else data
            for key, make in charts.CHARTS.items():
                made = ([make(localized, figure_id=f) for f in charts.reported_figures(localized)]
                        if key == "figure-reports" else [make(localized)])
                for chart in made:
                    out[lang, chart.info.label] = chart, layout.collisions(chart.figure)
    style.apply()
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_no_label_meets_another_label_a_mark_or_a_line(drawn, lang):
    failures = {}
    for (edition, label), (_, found) in drawn.items():
        if edition == lang and found and label not in KNOWN:
            failures[label] = found
    assert failures == {}


@pytest.mark.parametrize("label", sorted(KNOWN))
@pytest.mark.xfail(strict=True, reason="known collisions (KNOWN): fixed, remove the entry")
def test_known_collisions_are_fixed(drawn, label):
    assert all(not found for (_, name), (_, found) in drawn.items() if name == label)


def test_the_checker_finds_a_label_on_a_mark_and_on_another_label():
    fig = style.new_figure(2)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.scatter([5], [5], s=200, gid="dot")
    ax.text(5, 5, "on the dot", ha="center", va="center")
    ax.text(1, 8, "one label")
    ax.text(1.5, 8, "another label")
    ax.plot([8, 8], [0, 10])
    ax.text(8, 2, "crossed", ha="center")
    found = layout.collisions(fig)
    assert "'on the dot' is over a mark of dot" in found
    assert "'one label' overlaps 'another label'" in found
    assert any(f.startswith("'crossed' is crossed by") for f in found)
    assert not any("the dot" in f and "overlaps" in f for f in found)


def test_no_arabic_chart_runs_an_axis_backwards(drawn):
    """The rule in charts/style.py: text is mirrored, axes are not (values and time grow to
    the right, in every edition)."""
    for (lang, label), (chart, _) in drawn.items():
        if lang != "ar":
            continue
        for ax in chart.figure.axes:
            if ax.axison and ax.xaxis.get_visible():
                assert not ax.xaxis_inverted(), label


def test_an_arabic_source_line_keeps_its_date_in_one_run(drawn):
    chart, _ = drawn["ar", "key-figures"]
    (source,) = [t.get_text() for t in chart.figure.texts if t.get_gid() == "frame-source"]
    assert "\u2068" in source and "\u2069" in source
    date = source.split("\u060c ")[-1]  # the item after the last Arabic comma
    assert date.startswith("\u2068") and date.endswith("\u2069") and "2014" in date
