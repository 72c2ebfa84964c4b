"""Every event by category, drawn no more precisely than the article dates it."""

from __future__ import annotations

import pandas as pd

from tunisia_report.charts import style
from tunisia_report.charts.base import (
    Chart,
    figure_info,
    publication_date,
)
from tunisia_report.exceptions import DataError
from tunisia_report.text.dates import event_date, format_date, month_abbreviation
from tunisia_report.text.formatting import code_words, source_line
from tunisia_report.text.i18n import gettext


def timeline_table(data, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Each event as drawn: `start` and `end` (exclusive) of its day, month or year, cropped to
    the period; events without a date ('before') run open-ended from the period start to their
    date. The period is in `.attrs["period"]`."""
    events = data.events.copy()
    period_start = (pd.Timestamp(start) if start else
                    (events["start_date"].min() - pd.DateOffset(months=1)).replace(day=1))
    period_end = (pd.Timestamp(end) if end else
                  (events["end_date"].max() + pd.DateOffset(months=2)).replace(day=1))
    if period_end <= period_start:
        raise DataError(f"timeline period is empty: start {start!r}, end {end!r}")
    events["open_start"] = events["date_precision"] == "before"
    events["start"] = events["start_date"].where(~events["open_start"], period_start)
    events["end"] = events["end_date"] + pd.Timedelta(days=1)
    events = events[(events["end"] > period_start) & (events["start"] < period_end)].copy()
    events["start"] = events["start"].clip(lower=period_start)
    events["end"] = events["end"].clip(upper=period_end)
    events["date_text"] = [event_date(r) for _, r in events.iterrows()]
    events["rank"] = events["category"].cat.codes
    events = events.sort_values(["rank", "end_date", "event_id"]).reset_index(drop=True)
    table = events[["event_id", "title", "category", "date_precision", "start", "end",
                    "open_start", "date_text"]]
    table.attrs["period"] = (period_start, period_end)
    return table


def timeline(data, *, start: str | None = None, end: str | None = None) -> Chart:
    """Every event by category; spans show the precision: a month is a month-long bar."""
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    table = timeline_table(data, start, end)
    period_start, period_end = table.attrs["period"]
    title = gettext("Events the article dates, at the precision it gives")
    with style.context():
        fig = style.new_figure(style.HEIGHT_TALL_IN)
        bottom, top = style.frame(fig, title, source_line(data))
        h = fig.get_figheight()
        left, width = 0.42, 0.565  # the titles' column, then the time axis (mirrored in RTL)
        ax = fig.add_axes((style.x(left, width), bottom + 0.62 / h, width,
                           top - bottom - 0.95 / h))
        renderer = fig.canvas.get_renderer()
        x_min, x_max = mdates.date2num(period_start), mdates.date2num(period_end)
        ax.set_xlim(x_min, x_max)
        n = len(table)
        ax.set_ylim(-0.6, n - 0.4)
        label_w = 0.40 * fig.get_figwidth() - 0.1
        for i, row in table.iterrows():
            y = n - 1 - i
            colour = style.EVENT_CATEGORY_COLOURS.get(str(row["category"]), style.TEXT)
            x0, x1 = mdates.date2num(row["start"]), mdates.date2num(row["end"])
            gid = f"event-{row['event_id']}"
            if row["open_start"]:
                ax.barh(y, x1 - x0, left=x0, height=0.5, facecolor="white", edgecolor=colour,
                        hatch="///", linewidth=0.8, gid=gid)
                ax.plot([x0], [y], marker="<", color=colour, markersize=6, clip_on=False)
                _bar_label(ax, renderer, x1, y, gettext("date not given"), inside=True)
            else:
                ax.barh(y, x1 - x0, left=x0, height=0.5, color=colour, gid=gid)
                if row["date_precision"] == "day":
                    ax.plot([(x0 + x1) / 2], [y], marker="D", color=colour, markersize=5.5)
                _bar_label(ax, renderer, (x0, x1), y, row["date_text"])
            ax.text(1.03 if style.rtl() else -0.03, y,
                    style.wrap(fig, row["title"], label_w, style.SMALL_PT),
                    transform=ax.get_yaxis_transform(), ha=style.ha("right"), va="center",
                    fontsize=style.SMALL_PT, color=style.TEXT, linespacing=1.1)
            if i and row["category"] != table.loc[i - 1, "category"]:
                reach = (left - 0.012) / width  # across the titles' column too
                ax.axhline(y + 0.5, color=style.RULE, linewidth=0.6, clip_on=False,
                           xmin=0 if style.rtl() else -reach,
                           xmax=1 + reach if style.rtl() else 1)
        published = publication_date(data)
        if period_start <= published < period_end:
            ax.axvline(mdates.date2num(published), color=style.MUTED, linewidth=0.8,
                       linestyle=(0, (3, 2)), zorder=0)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
        ax.xaxis.set_minor_locator(mdates.MonthLocator())
        ax.xaxis.set_major_formatter(_month_formatter())
        ax.grid(axis="x", which="major", color=style.RULE, linewidth=0.4)
        ax.set_axisbelow(True)
        present = set(table["category"])
        categories = [c for c in table["category"].cat.categories if c in present]
        side = style.ha("left")  # legends start where the reader starts
        categories = categories[::-1] if style.rtl() else categories
        fig.legend(handles=[Patch(color=style.EVENT_CATEGORY_COLOURS[c], label=code_words(c))
                            for c in categories],
                   loc=f"upper {side}", bbox_to_anchor=(style.x(0.0095), top),
                   ncol=len(categories), fontsize=style.SMALL_PT, handlelength=1.0,
                   columnspacing=0.9, handletextpad=0.4, borderaxespad=0,
                   markerfirst=not style.rtl())
        keys = [
            Patch(facecolor=style.MUTED, label=gettext("bar: the whole year or month given")),
            Line2D([], [], marker="D", color=style.MUTED, linestyle="none",
                   label=gettext("day")),
            Patch(facecolor="white", edgecolor=style.MUTED, hatch="///",
                  label=gettext("date not given: on or before the bar's end"))]
        fig.legend(handles=keys[::-1] if style.rtl() else keys,
                   loc=f"lower {side}", bbox_to_anchor=(style.x(0.0095), bottom + 0.01), ncol=3,
                   fontsize=style.SMALL_PT, handlelength=1.4, columnspacing=1.2,
                   handletextpad=0.5, borderaxespad=0, markerfirst=not style.rtl())
    groups = []
    for (text, undated), part in table.groupby(["date_text", "open_start"], sort=False):
        when = gettext("Date not given ({date})").format(date=text) if undated else text
        groups.append(gettext("{when}: {titles}").format(
            when=when, titles=gettext("; ").join(part["title"])))
    last_day = period_end - pd.Timedelta(days=1)
    alt = gettext("Timeline of the {n} events the article dates, {start} to {end}, coloured by "
                  "category; an event known only to the month or year is a bar spanning it, and "
                  "an event without a date is an open-ended hatched bar up to publication. "
                  "{events}.").format(
        n=len(table), start=format_date(period_start, "month"),
        end=format_date(last_day, "month"), events=gettext(". ").join(groups))
    caption = gettext("Events the article dates, by category: bars span the whole month or year "
                      "when the article gives no day; undated events run open-ended to "
                      "publication.")
    return Chart(fig, figure_info(data, "timeline", title, caption, alt), table)


def _bar_label(ax, renderer, x, y, text, inside=False) -> None:
    """Label a bar: inside its right end, or beside it, right if there is room, else left."""
    kw = {"va": "center", "fontsize": style.SMALL_PT, "color": style.TEXT,
          "bbox": {"facecolor": "white", "edgecolor": "none", "pad": 0.8}}
    if inside:
        ax.annotate(text, (x, y), xytext=(-5, 0), textcoords="offset points", ha="right", **kw)
        return
    x0, x1 = x
    label = ax.annotate(text, (x1, y), xytext=(5, 0), textcoords="offset points", ha="left",
                        **kw)
    if label.get_window_extent(renderer).x1 > ax.get_window_extent(renderer).x1:
        label.remove()
        ax.annotate(text, (x0, y), xytext=(-7, 0), textcoords="offset points", ha="right", **kw)


def _month_formatter():
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    def fmt(x, _):
        d = mdates.num2date(x)
        return f"{month_abbreviation(d)}\n{d:%Y}" if d.month == 1 else month_abbreviation(d)

    return FuncFormatter(fmt)
