"""Every chart of every edition as drawn, and its phone variant: no label meets another
label, a mark or a line (`charts.layout`), a phone variant's text stays readable on a phone,
and the Arabic edition's one rule for direction (`charts.style`)."""

from __future__ import annotations

import re

import pytest

from tunisia_report import charts
from tunisia_report.charts import layout, style
from tunisia_report.text import i18n

# One worker runs the module (its module-scoped fixtures are made once; see conftest).
pytestmark = pytest.mark.xdist_group("charts")

LANGS = ("en", "fr", "ar")
PHONE_COLUMN_PX = 330  # a 390 px screen's column (report.css), less a dark page's padding
READABLE_PX = 9


def _draw(make, localized, key) -> list:
    return ([make(localized, figure_id=f) for f in charts.reported_figures(localized)]
            if key == "figure-reports" else [make(localized)])


@pytest.fixture(scope="module")
def drawn(data):
    """{(lang, label): (Chart, collisions)} for every chart in every edition, and
    {(lang, label + ' (phone)'): ...} for its phone variant, drawn directly (no render)."""
    out = {}
    for lang in LANGS:
        with i18n.language(lang):
            style.apply()
            localized = data.localized(lang) if lang != "en" else data
            for key, make in charts.CHARTS.items():
                for chart in _draw(make, localized, key):
                    out[lang, chart.info.label] = chart, layout.collisions(chart.figure)
                if key not in charts.PHONE_VARIANTS:
                    continue
                with style.phone():
                    for chart in _draw(make, localized, key):
                        out[lang, chart.info.label + " (phone)"] = (
                            chart, layout.collisions(chart.figure))
    style.apply()
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_no_label_meets_another_label_a_mark_or_a_line(drawn, lang):
    failures = {}
    for (edition, label), (_, found) in drawn.items():
        if edition == lang and found:
            failures[label] = found
    assert failures == {}
    assert sum(label.endswith("(phone)") for edition, label in drawn if edition == lang) >= 8


@pytest.mark.parametrize("lang", LANGS)
def test_a_phone_variant_keeps_its_smallest_text_readable_on_a_phone(drawn, lang):
    """Drawn as the HTML shows it (title and source left to the page), the phone variant's SVG
    is narrow enough that, fitted to a phone's column, its smallest text (SMALL_PT, a viewBox
    unit being a point) is drawn at READABLE_PX or more; the wide chart is not."""
    sizes = {}
    for (edition, label), (chart, _) in drawn.items():
        if edition != lang or not label.endswith("(phone)"):
            continue
        with style.without_frame(chart.figure):
            svg = style.figure_bytes(chart.figure, "svg").decode("utf-8")
        width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
        sizes[label] = PHONE_COLUMN_PX / width * style.SMALL_PT
    assert sizes and min(sizes.values()) >= READABLE_PX, sizes
    chart, _ = drawn[lang, "timeline"]
    with style.without_frame(chart.figure):
        svg = style.figure_bytes(chart.figure, "svg").decode("utf-8")
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    assert PHONE_COLUMN_PX / width * style.SMALL_PT < READABLE_PX  # why a phone needs its own


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
