"""Deaths in militant attacks after the article, by quarter and category, publication marked."""

from __future__ import annotations

import pandas as pd

from tunisia_report.charts import style
from tunisia_report.charts.base import Chart, FigureInfo, publication_date, rect, ticks
from tunisia_report.dataset import aftermath
from tunisia_report.exceptions import DataError
from tunisia_report.text.dates import format_day
from tunisia_report.text.formatting import format_number, publisher, word_list
from tunisia_report.text.i18n import N_, gettext, ngettext

CATEGORIES = {"security-forces": (N_("Security forces"), style.PALETTE["blue"]),
              "civilians": (N_("Civilians"), style.PALETTE["vermillion"]),
              "militants": (N_("Militants"), style.PALETTE["grey"])}


def category_words(category: str) -> str:
    return gettext(CATEGORIES[category][0])


def record_source_line(data, source_ids) -> str:
    """'Sources: Reuters, Xinhua, AFP and 9 more (see “What happened next”)'."""
    sources = data.sources.set_index("source_id")
    names = list(dict.fromkeys(publisher(sources.loc[s, "producer"]).split(" (")[0]
                               for s in source_ids))
    shown = names[:3]
    if len(names) > len(shown):
        return gettext("Sources: {names} and {n} more").format(
            names=gettext(", ").join(shown), n=format_number(len(names) - len(shown)))
    return gettext("Sources: {names}").format(names=word_list(shown))


def quarter_words(period) -> str:
    """'Q3 2014'."""
    return gettext("Q{quarter} {year}").format(quarter=period.quarter, year=period.year)


def aftermath_deaths(data) -> Chart:
    """Counted deaths in each quarter's attacks, stacked by category; the article's date is a
    line. Every attack is summed into the quarter it began in, drawn as the whole quarter."""
    deaths = aftermath.attack_deaths(data)
    if deaths.empty:
        raise DataError("no attacks in attacks.csv")
    deaths = deaths.assign(quarter=deaths["start_date"].dt.to_period("Q"))
    quarters = deaths.groupby("quarter")[list(CATEGORIES)].sum()
    published = publication_date(data)
    title = gettext("Deaths in militant attacks in Tunisia, by quarter")
    chosen = aftermath.counted_tolls(data)
    source = record_source_line(data, chosen["source_id"])
    with style.context():
        fig = style.new_figure(style.HEIGHT_MEDIUM_IN)
        bottom, top = style.frame(fig, title, source)
        ax = fig.add_axes((0.08, bottom + 0.09, 0.9, top - bottom - 0.2))
        tooltips = {}
        for period, row in quarters.iterrows():
            start, end = period.start_time, period.end_time
            base = 0
            for category, (_, colour) in CATEGORIES.items():
                value = int(row[category])
                if value:
                    gid = f"deaths-{period}-{category}"
                    ax.add_patch(rect((start, base), end - start, value, colour,
                                      edge="white", linewidth=0.4, zorder=2, gid=gid))
                    tooltips[gid] = [ngettext("{quarter}, {category}: {n} death",
                                              "{quarter}, {category}: {n} deaths", value).format(
                        quarter=quarter_words(period), category=category_words(category),
                        n=format_number(value))]
                base += value
        first = quarters.index.min().start_time
        last = quarters.index.max().end_time
        ax.set_xlim(first - pd.Timedelta(days=60), last + pd.Timedelta(days=60))
        ax.set_ylim(0, quarters.sum(axis=1).max() * 1.3)  # room for the label above the bars
        ax.yaxis.set_major_locator(ticks())
        ax.axvline(published, color=style.TEXT, linewidth=0.9, zorder=3)
        ax.annotate(gettext("Article published, {date}").format(date=format_day(published)),
                    (published, ax.get_ylim()[1]), xytext=(-4 if style.rtl() else 4, -10),
                    textcoords="offset points", fontsize=style.SMALL_PT, color=style.TEXT,
                    ha=style.ha("left"), va="top")
        ax.set_ylabel(gettext("Deaths per quarter"), fontsize=style.SMALL_PT)
        ax.tick_params(labelsize=style.SMALL_PT)
        from matplotlib.dates import DateFormatter, YearLocator

        ax.xaxis.set_major_locator(YearLocator())
        ax.xaxis.set_major_formatter(DateFormatter("%Y"))
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=c, label=gettext(w)) for w, c in CATEGORIES.values()],
                  fontsize=style.SMALL_PT, frameon=False,
                  loc=f"upper {style.ha('right')}")  # over the later, quieter years
        style.mirror(ax)
    table = quarters.reset_index().assign(quarter=lambda t: t["quarter"].astype(str))
    totals = quarters.sum()
    alt = gettext(
        "Stacked bars of deaths in militant attacks by quarter, {first} to {last}, with the "
        "article's publication on {date} marked. Totals: {security} security forces, {civilians} "
        "civilians and {militants} militants in {n} attacks; the deadliest quarter, {worst}, "
        "counted {worst_n}.").format(
        first=quarter_words(quarters.index.min()), last=quarter_words(quarters.index.max()),
        date=format_day(published), security=format_number(int(totals["security-forces"])),
        civilians=format_number(int(totals["civilians"])),
        militants=format_number(int(totals["militants"])), n=format_number(len(deaths)),
        worst=quarter_words(quarters.sum(axis=1).idxmax()),
        worst_n=format_number(int(quarters.sum(axis=1).max())))
    caption = gettext(
        "Each attack is counted in the quarter it began, drawn as the whole quarter. Where "
        "sources disagree, the latest count by an independent source is used; the tolls of "
        "every source are in the dataset.")
    info = FigureInfo("aftermath-deaths", title, caption, source, alt)
    return Chart(fig, info, table, tooltips)
