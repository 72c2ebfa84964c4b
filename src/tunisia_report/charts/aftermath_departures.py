"""Tunisians stopped from leaving, left to fight and returned, by the date each was stated."""

from __future__ import annotations

import pandas as pd

from tunisia_report.charts import style
from tunisia_report.charts.aftermath_deaths import record_source_line
from tunisia_report.charts.base import (
    Chart,
    FigureInfo,
    publication_date,
    source_url,
    thousands,
)
from tunisia_report.exceptions import DataError
from tunisia_report.text.dates import format_date, format_day
from tunisia_report.text.formatting import format_number
from tunisia_report.text.i18n import N_, gettext, ngettext

SERIES = {"stopped-from-leaving": (N_("Stopped from leaving"), style.PALETTE["blue"], "o"),
          "left-to-fight": (N_("Left to fight abroad"), style.PALETTE["vermillion"], "s"),
          "returned": (N_("Returned"), style.PALETTE["green"], "D")}
PERIOD_END = {"day": pd.Timedelta(days=1), "month": pd.offsets.MonthBegin(1),
              "year": pd.offsets.YearBegin(1)}


def aftermath_departures(data) -> Chart:
    """Each cumulative estimate at the date it was stated (a month or a year drawn as its
    span), a range as a vertical bar; estimates without a statement date are counted apart."""
    import seaborn as sns

    rows = data.departures[data.departures["cumulative"] == "yes"].copy()
    undated = rows[rows["stated_date"].isna()]
    rows = rows.dropna(subset=["stated_date"]).reset_index(drop=True)
    if rows.empty:
        raise DataError("no dated cumulative estimates in departures.csv")
    rows["series_words"] = [gettext(SERIES[s][0]) for s in rows["series"]]
    rows["span_end"] = [d + PERIOD_END[str(p)] for d, p in
                        zip(rows["stated_date"], rows["stated_precision"], strict=True)]
    rows["mid"] = rows["stated_date"] + (rows["span_end"] - rows["stated_date"]) / 2
    published = publication_date(data)
    title = gettext("Tunisians stopped, gone to fight and back, by statement date")
    source = record_source_line(data, rows["source_id"])
    palette = {gettext(w): c for w, c, _ in SERIES.values()}
    markers = {gettext(w): m for w, _, m in SERIES.values()}
    with style.context():
        fig = style.new_figure(style.HEIGHT_MEDIUM_IN)
        bottom, top = style.frame(fig, title, source)
        ax = fig.add_axes((0.13, bottom + 0.12, 0.85, top - bottom - 0.19))
        sns.scatterplot(data=rows, x="mid", y="value", hue="series_words", style="series_words",
                        palette=palette, markers=markers, s=36, ax=ax, zorder=4,
                        legend="brief")
        points = ax.collections[-1]  # one mark per row, in the rows' order
        points.set_gid("estimates")
        points.set_urls([source_url(data, s) for s in rows["source_id"]])
        for row in rows.itertuples():
            colour = SERIES[row.series][1]
            if row.stated_precision != "day":  # a month or a year is drawn as its span
                ax.plot([row.stated_date, row.span_end], [row.value, row.value], color=colour,
                        linewidth=2.2, alpha=0.6, solid_capstyle="butt", zorder=3)
            if pd.notna(row.value_high):
                ax.plot([row.mid, row.mid], [row.value, row.value_high], color=colour,
                        linewidth=1.2, zorder=3)
        ax.axvline(published, color=style.TEXT, linewidth=0.9)
        ax.annotate(gettext("Article published"), (published, 0),
                    xytext=(-3 if style.rtl() else 3, 3), textcoords="offset points",
                    fontsize=style.SMALL_PT, ha=style.ha("left"))
        ax.set_ylim(0, rows[["value", "value_high"]].max().max() * 1.12)
        ax.yaxis.set_major_formatter(thousands())
        ax.set_xlabel(gettext("Date the figure was stated"), fontsize=style.SMALL_PT)
        ax.set_ylabel(gettext("People (estimates)"), fontsize=style.SMALL_PT)
        from matplotlib.dates import DateFormatter, YearLocator

        ax.xaxis.set_major_locator(YearLocator())
        ax.xaxis.set_major_formatter(DateFormatter("%Y"))
        ax.tick_params(labelsize=style.SMALL_PT)
        ax.legend(title=None, fontsize=style.SMALL_PT, frameon=False, loc="upper left")
        style.mirror(ax)
    table = rows[["departure_id", "series", "value", "value_high", "value_kind", "destination",
                  "stated_date", "stated_precision", "originator"]]
    alt = gettext(
        "Dot chart of {n} estimates by the date each was stated, from {first} to {last}: "
        "{items}.").format(
        n=format_number(len(rows)), first=format_day(rows["stated_date"].min()),
        last=format_day(rows["stated_date"].max()),
        items=gettext("; ").join(estimate_words(r, lower=True)
                                 for r in rows.sort_values("stated_date").itertuples()))
    caption = gettext(
        "Every figure is an estimate by whoever stated it, and they count different things "
        "(some Syria only, some every conflict zone). A month or a year known only as such is "
        "drawn as its span; a range as a bar.")
    if len(undated):
        caption += " " + ngettext("{n} more with no statement date is not drawn.",
                                  "{n} more with no statement date are not drawn.",
                                  len(undated)).format(
            n=format_number(len(undated)))
    tooltips = {"estimates": [estimate_words(r) for r in rows.itertuples()]}
    return Chart(fig, FigureInfo("aftermath-departures", title, caption, source, alt), table,
                 tooltips)


def estimate_words(row, lower: bool = False) -> str:
    """'Left to fight abroad, 2,000–3,000 (Tunisian authorities, April 2015)'."""
    series = gettext(SERIES[row.series][0])
    return gettext("{series}, {value} ({who}, {date})").format(
        series=series.lower() if lower else series,
        value=format_number(row.value) + (f"–{format_number(row.value_high)}"
                                          if pd.notna(row.value_high) else ""),
        who=row.originator, date=format_date(row.stated_date, str(row.stated_precision)))
