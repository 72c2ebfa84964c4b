"""Tunisians stopped from leaving, gone to fight, back and killed abroad: one panel per series,
each estimate at the date it was stated, coloured by what it counts, named by who gave it."""

from __future__ import annotations

import re

import pandas as pd

from tunisia_report.charts import layout, style
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
from tunisia_report.text.formatting import format_number, original
from tunisia_report.text.i18n import N_, gettext, ngettext

SERIES = {"stopped-from-leaving": N_("Stopped from leaving"),
          "left-to-fight": N_("Left to fight abroad"),
          "returned": N_("Returned"),
          "killed-abroad": N_("Killed abroad")}
SCOPES = {"syria": (N_("Syria"), style.PALETTE["vermillion"], "o"),
          "syria-iraq": (N_("Syria and Iraq"), style.PALETTE["orange"], "s"),
          "iraq": (N_("Iraq"), style.PALETTE["purple"], "v"),
          "libya": (N_("Libya"), style.PALETTE["green"], "^"),
          "conflict-zones": (N_("Every conflict zone"), style.PALETTE["blue"], "D")}
PERIOD_END = {"day": pd.Timedelta(days=1), "month": pd.offsets.MonthBegin(1),
              "year": pd.offsets.YearBegin(1)}
TITLES = ("Minister", "minister", "spokesman", "Spokesman")


ARTICLES = ("the ", "le ", "la ", "les ", "l’", "l'")



def who_short(originator: str, english: str | None = None) -> str:
    """A short name for a label: an official's surname, or the body's first words, in the
    edition's words (`originator`); `english` (the row's original) tells which it is."""
    def lead(text):  # before a bracket or a comma
        return re.split(r" \(|,|،", str(text))[0].split()

    words, shown = lead(english or originator), lead(originator)
    if any(t in words for t in TITLES) or any(w.endswith("minister") for w in words):
        return " ".join(shown[-2:] if words[-2] in ("Ben", "El", "Al") else shown[-1:])
    label = " ".join(shown)
    for article in ARTICLES:
        if label.lower().startswith(article) and len(shown) > 1:
            label = label[len(article):]
            break
    label = " ".join(label.split()[:3])
    return label[:1].upper() + label[1:]


def aftermath_departures(data) -> Chart:
    """Each cumulative estimate at the date it was stated (a month or a year drawn as its
    span), in its series' panel, coloured by its scope and labelled with who stated it; a range
    is a vertical bar. Estimates without a statement date are counted apart."""
    from matplotlib.ticker import MaxNLocator

    rows = data.departures[data.departures["cumulative"] == "yes"].copy()
    undated = rows[rows["stated_date"].isna()]
    rows = rows.dropna(subset=["stated_date"]).sort_values("stated_date").reset_index(drop=True)
    if rows.empty:
        raise DataError("no dated cumulative estimates in departures.csv")
    rows["span_end"] = [d + PERIOD_END[str(p)] for d, p in
                        zip(rows["stated_date"], rows["stated_precision"], strict=True)]
    rows["mid"] = rows["stated_date"] + (rows["span_end"] - rows["stated_date"]) / 2
    series = [s for s in SERIES if (rows["series"] == s).any()]
    published = publication_date(data)
    title = gettext("Tunisians stopped, gone to fight, back and killed, by statement date")
    source = record_source_line(data, rows["source_id"])
    tooltips = {}
    with style.context():
        narrow = style.narrow()  # a phone's: taller panels, a wider margin, the key in rows
        fig = style.new_figure(style.HEIGHT_TALL_IN * (1.6 if narrow else 1))
        bottom, top = style.frame(fig, title, source)
        gap = 0.035
        below = 0.15 if narrow else 0.14  # the years and the key
        left = 0.17 if narrow else 0.12
        height = (top - bottom - below - gap * (len(series) - 1)) / len(series)
        axes = []
        pending = []  # (axes, label, point): labelled once every mark and limit is in place
        first = min(rows["stated_date"].min(), published) - pd.Timedelta(days=270)  # + a label
        last = rows["span_end"].max() + pd.Timedelta(days=240)
        for k, name in enumerate(series):
            ax = fig.add_axes((left, top - 0.04 - (k + 1) * height - k * gap, 0.96 - left,
                               height),
                              sharex=axes[0] if axes else None)
            axes.append(ax)
            here = rows[rows["series"] == name]
            ceiling = max(here["value_high"].fillna(here["value"]).max(),
                          here["value"].max()) * (2.6 if narrow else 2.0)  # for labels
            ax.set_ylim(0, ceiling)
            named: set = set()
            for i, row in here.iterrows():
                label, colour, marker = SCOPES[str(row["destination"])]
                high = row["value_high"] if pd.notna(row["value_high"]) else row["value"]
                if row["stated_precision"] != "day":  # a month or a year drawn as its span
                    ax.plot([row["stated_date"], row["span_end"]], [row["value"]] * 2,
                            color=colour, linewidth=2.2, alpha=0.6, solid_capstyle="butt",
                            zorder=3)
                if pd.notna(row["value_high"]):  # a range as a range
                    ax.plot([row["mid"]] * 2, [row["value"], high], color=colour,
                            linewidth=1.4, zorder=3)
                point = ax.scatter([row["mid"]], [high if pd.notna(row["value_high"])
                                                  else row["value"]], s=28, color=colour,
                                   marker=marker, zorder=4, gid=f"estimate-{i}")
                point.set_urls([source_url(data, row["source_id"])])
                tooltips[f"estimate-{i}"] = [estimate_words(row)]
                # a label beside its point where no earlier label of the panel sits: right or
                # left of it, above or below (below only when the point is high enough)
                label = who_short(row["originator"], original(row, "originator"))
                if (label, row["mid"]) in named:  # one statement, two scopes: named once
                    continue
                named.add((label, row["mid"]))
                pending.append((ax, label, (row["mid"], high)))
            ax.yaxis.set_major_formatter(thousands())
            ax.yaxis.set_major_locator(MaxNLocator(3))
            ax.tick_params(labelsize=style.SMALL_PT)
            ax.set_title(gettext(SERIES[name]), fontsize=style.SMALL_PT, loc=style.ha("left"),
                         pad=2, fontweight="bold")
            ax.axvline(published, color=style.TEXT, linewidth=0.8)
            if k < len(series) - 1:
                ax.tick_params(labelbottom=False)
        axes[0].set_xlim(first, last)
        axes[0].annotate(gettext("Article published"), (published, axes[0].get_ylim()[1]),
                         xytext=(3, -2), textcoords="offset points",  # time runs rightwards
                         fontsize=style.SMALL_PT, ha="left", va="top")
        # Beside its point, where it meets nothing drawn; on a phone a label with no free
        # place is left out (its mark keeps its tooltip, and the table under it its row).
        for ax, label, point in pending:
            layout.place(ax, point, label, leader_offsets=layout.LEADER_OFFSETS,
                         required=not narrow, fontsize=style.SMALL_PT, color=style.TEXT,
                         zorder=5)
        from matplotlib.dates import DateFormatter, YearLocator
        from matplotlib.lines import Line2D

        axes[-1].xaxis.set_major_locator(YearLocator())
        axes[-1].xaxis.set_major_formatter(DateFormatter("%Y"))
        used = [s for s in SCOPES if (rows["destination"] == s).any()]
        fig.legend(handles=[Line2D([], [], marker=SCOPES[s][2], linestyle="",
                                   color=SCOPES[s][1], label=gettext(SCOPES[s][0]))
                            for s in used], loc="lower center",
                   ncols=min(len(used), 3) if narrow else len(used),
                   bbox_to_anchor=(0.54, bottom - 0.01), fontsize=style.SMALL_PT,
                   frameon=False, handletextpad=0.3, columnspacing=1.0)
    table = rows[["departure_id", "series", "value", "value_high", "value_kind", "destination",
                  "stated_date", "stated_precision", "originator"]]
    alt = gettext(
        "Dot chart in {n_series} panels of {n} estimates by the date each was stated, from "
        "{first} to {last}: {items}.").format(
        n_series=format_number(len(series)), n=format_number(len(rows)),
        first=format_day(rows["stated_date"].min()), last=format_day(rows["stated_date"].max()),
        items=gettext("; ").join(estimate_words(r, lower=True) for _, r in rows.iterrows()))
    caption = gettext(
        "Each figure is an estimate by whoever stated it (named beside it) and counts its own "
        "scope (the colour): Syria only, Syria and Iraq, Libya, or every conflict zone; they "
        "are not one series. A month known only as such is drawn as its span; a range as a "
        "vertical bar; each statement once.")
    if len(undated):
        caption += " " + ngettext("{n} more with no statement date is not drawn.",
                                  "{n} more with no statement date are not drawn.",
                                  len(undated)).format(n=format_number(len(undated)))
    return Chart(fig, FigureInfo("aftermath-departures", title, caption, source, alt), table,
                 tooltips)


def estimate_words(row, lower: bool = False) -> str:
    """'Left to fight abroad, Syria, 2,000–3,000 (Tunisian authorities, April 2015)'."""
    name = row["series"]
    series = gettext(SERIES[name])
    return gettext("{series}, {scope}, {value} ({who}, {date})").format(
        series=series.lower() if lower else series,
        scope=gettext(SCOPES[str(row["destination"])][0]).lower(),
        value=format_number(row["value"]) + (f"–{format_number(row['value_high'])}"
                                             if pd.notna(row["value_high"]) else ""),
        who=row["originator"], date=format_date(row["stated_date"],
                                                str(row["stated_precision"])))
