"""Every event by category, drawn no more precisely than the article dates it."""

from __future__ import annotations

import pandas as pd

from tunisia_report.charts import style
from tunisia_report.charts.base import Chart, FigureInfo, first_rows, more_note, publication_date
from tunisia_report.dataset.verdicts import claims
from tunisia_report.exceptions import DataError
from tunisia_report.text.dates import event_date, format_date, format_span, month_abbreviation
from tunisia_report.text.formatting import code_words, source_line, source_short
from tunisia_report.text.i18n import gettext, ngettext

MAX_EVENTS = 12  # rows whose titles, wrapped on two lines at 8 pt, do not touch (16 did)
PALE_ALPHA = 0.28  # a year-long bar: a tint of its colour, so the vaguest dates weigh least


def timeline_table(data, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Each event as drawn: `start` and `end` (exclusive) of its day, month or year, cropped to
    the period; events without a date ('before') run open-ended from the period start to their
    date. The period is in `.attrs["period"]`."""
    events = data.events.copy()
    if events["end_date"].isna().all():
        raise DataError("no dated events in events.csv")
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
    events["record"] = [record_spans(data, r, period_start, period_end)
                        for r in events.to_dict("records")]
    events["record_text"] = [record_text(data, spans) for spans in events["record"]]
    table = events[["event_id", "title", "category", "date_precision", "start", "end",
                    "open_start", "date_text", "record", "record_text"]]
    table.attrs["period"] = (period_start, period_end)
    return table


def record_spans(data, event: dict, period_start, period_end) -> list[dict]:
    """The dates the public record gives most often for an event the article dates to the month
    or year only, or not at all (see `verdicts.record_dates`), as drawn: `start` and `end`
    (exclusive) of the day(s) or month, with the precision and the actor; cropped to the
    period."""
    if event["date_precision"] == "day":
        return []
    known = claims(data).set_index("claim_id")["record_dates"]
    spans = []
    for found in known.get(event["event_id"], []):
        end = found["end"] + pd.Timedelta(days=1)
        start = found["start"] if found["start"] is not None else found["end"]
        if end > period_start and start < period_end:
            spans.append({**found, "start": max(start, period_start),
                          "end": min(end, period_end)})
    return spans


def record_source_line(data, table: pd.DataFrame) -> str:
    """The article, and the public record drawn on: how many reports from how many publishers."""
    drawn = table.loc[table["record"].map(bool), "event_id"]
    reports = data.reports[data.reports["event_id"].isin(drawn) & data.reports["end_date"].notna()]
    if reports.empty:
        return source_line(data)
    publishers = data.sources.set_index("source_id").loc[reports["source_id"], "producer"]
    return gettext("{source}; diamonds: {reports} by {publishers}").format(
        source=source_line(data),
        reports=ngettext("{n} report", "{n} reports", len(reports)).format(n=len(reports)),
        publishers=ngettext("{n} publisher", "{n} publishers", publishers.nunique()).format(
            n=publishers.nunique()))


def record_text(data, spans: list[dict]) -> str:
    """'record: 16 July 2014'; per actor, 'record: 6 February 2013 (Chokri Belaid), ...'."""
    if not spans:
        return ""
    names = data.actors.set_index("actor_id")["name"]
    parts = []
    for span in spans:
        when = format_span(span["start"], span["end"] - pd.Timedelta(days=1), span["precision"])
        who = f" ({names[span['actor_id']]})" if span["actor_id"] else ""
        parts.append(when + who)
    return gettext("record: {dates}").format(dates=gettext(", ").join(parts))


def timeline(data, *, start: str | None = None, end: str | None = None) -> Chart:
    """Every event by category; spans show the precision: a month is a month-long bar."""
    import matplotlib.dates as mdates
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    table = timeline_table(data, start, end)
    period_start, period_end = table.attrs["period"]
    table, more = first_rows(table, MAX_EVENTS)
    title = gettext("Events the article dates, at the precision it gives, and the record's days")
    source = record_source_line(data, table)
    with style.context():
        narrow = style.narrow()  # a phone's: titles on more lines, keys in more rows
        fig = style.new_figure(style.HEIGHT_TALL_IN * (1.85 if narrow else 1))
        bottom, top = style.frame(fig, title, source)
        h = fig.get_figheight()
        left, width = 0.42, 0.565  # the titles' column, then the time axis (mirrored in RTL)
        # Inches under the axis (ticks and keys) and in all; Amiri's lines are taller.
        below, reserved = (0.95, 1.28) if style.rtl() else (0.8, 1.13)
        if narrow:
            below, reserved = below + 0.75, reserved + 0.95
        ax = fig.add_axes((style.x(left, width), bottom + below / h, width,
                           top - bottom - reserved / h))
        renderer = fig.canvas.get_renderer()
        x_min, x_max = mdates.date2num(period_start), mdates.date2num(period_end)
        ax.set_xlim(x_min, x_max)
        n = len(table)
        ax.set_ylim(-0.6, n - 0.4)
        label_w = 0.40 * fig.get_figwidth() - 0.1
        sources = data.events.set_index("event_id")["source_id"]
        tooltips = {}
        published = mdates.date2num(publication_date(data))
        for i, row in table.iterrows():
            y = n - 1 - i
            colour = style.EVENT_CATEGORY_COLOURS.get(str(row["category"]), style.TEXT)
            x0, x1 = mdates.date2num(row["start"]), mdates.date2num(row["end"])
            gid = f"event-{row['event_id']}"
            when = (gettext("Date not given ({date})").format(date=row["date_text"])
                    if row["open_start"] else row["date_text"])
            tooltips[gid] = [gettext("{title}: {date} ({source})").format(
                title=row["title"], date=when,
                source=source_short(data, sources[row["event_id"]]))]
            # The vaguer the date, the lighter the mark: a day is a solid diamond, a month a
            # solid bar, a year a pale bar, no date a thin dashed line up to publication.
            if row["open_start"]:
                marks = [mdates.date2num(r["start"]) for r in row["record"]]
                label = _bar_label(ax, renderer, min([x1, *marks]), y,
                                   gettext("date not given"), inside=True)
                # The dashed line stops either side of its label, never runs under it.
                box = label.get_window_extent(renderer).transformed(ax.transData.inverted())
                ax.hlines([y, y], [x0, box.x1], [box.x0, x1], color=colour, linewidth=1.0,
                          linestyle=(0, (3, 2)), gid=gid)
                ax.plot([x0], [y], marker="<", color=colour, markersize=4.5, clip_on=False)
            else:
                pale, day = row["date_precision"] == "year", row["date_precision"] == "day"
                ax.barh(y, x1 - x0, left=x0, height=0.5, gid=None if day else gid,
                        facecolor=to_rgba(colour, PALE_ALPHA if pale else 1.0),
                        edgecolor=colour, linewidth=0.6 if pale else 0)
                if day:  # the diamond is the mark (its bar is a day wide)
                    ax.plot([(x0 + x1) / 2], [y], marker="D", color=colour, markersize=5.5,
                            linestyle="none", gid=gid)
                marks = [mdates.date2num(r["end"]) for r in row["record"]]
                _bar_label(ax, renderer, (x0, max([x1, *marks])), y, row["date_text"],
                           stop=published)
            tooltips.update(_draw_record(data, ax, row["record"], y, row["event_id"]))
            ax.text(1.03 if style.rtl() else -0.03, y,
                    style.wrap(fig, row["title"], label_w, style.SMALL_PT),
                    transform=ax.get_yaxis_transform(), ha=style.ha("right"), va="center",
                    fontsize=style.SMALL_PT, color=style.TEXT,
                    linespacing=0.9 if style.rtl() else 1.1)  # Amiri's lines are taller
            if i and row["category"] != table.loc[i - 1, "category"]:
                # Across the time axis only: in the titles' column it would cross a title of
                # two lines (Amiri's are taller than a row's half).
                ax.axhline(y + 0.5, color=style.RULE, linewidth=0.6)
        if period_start <= publication_date(data) < period_end:
            ax.axvline(published, color=style.MUTED, linewidth=0.8,
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
                   ncol=3 if narrow else len(categories), fontsize=style.SMALL_PT,
                   handlelength=1.0,
                   columnspacing=0.9, handletextpad=0.4, borderaxespad=0,
                   markerfirst=not style.rtl())
        keys = [
            Line2D([], [], marker="D", color=style.MUTED, linestyle="none",
                   label=gettext("day")),
            Patch(facecolor=style.MUTED, label=gettext("bar: the month given")),
            Patch(facecolor=to_rgba(style.MUTED, PALE_ALPHA), edgecolor=style.MUTED,
                  linewidth=0.6, label=gettext("pale bar: only the year given")),
            Line2D([], [], color=style.MUTED, linewidth=1.0, linestyle=(0, (3, 2)),
                   label=gettext("dashed line: no date, on or before its end")),
            Line2D([], [], marker="D", markerfacecolor="white", markeredgecolor=style.TEXT,
                   color=style.TEXT, linestyle="none",
                   label=gettext("the record's day (other sources)")),
            Patch(facecolor="white", edgecolor=style.TEXT, label=gettext("the record's month"))]
        if narrow:  # two columns of keys across a phone's width: long ones on two lines
            for key in keys:
                key.set_label(style.wrap(fig, key.get_label(), fig.get_figwidth() / 2 - 0.45,
                                         style.SMALL_PT))
        if style.rtl() and not narrow:  # the legend fills columns of two: the first at the right
            keys = keys[4:] + keys[2:4] + keys[:2]
        elif style.rtl():  # in three rows of two on a phone
            keys = keys[3:] + keys[:3]
        fig.legend(handles=keys, loc=f"lower {side}",
                   bbox_to_anchor=(style.x(0.0095), bottom + 0.01), ncol=2 if narrow else 3,
                   fontsize=style.SMALL_PT, handlelength=1.2, columnspacing=0.6,
                   handletextpad=0.5, borderaxespad=0, markerfirst=not style.rtl())
    groups = []
    for (text, undated), part in table.groupby(["date_text", "open_start"], sort=False):
        when = gettext("Date not given ({date})").format(date=text) if undated else text
        titles = [f"{t} ({r})" if r else t for t, r in zip(part["title"], part["record_text"],
                                                            strict=True)]
        groups.append(gettext("{when}: {titles}").format(
            when=when, titles=gettext("; ").join(titles)))
    last_day = period_end - pd.Timedelta(days=1)
    alt = gettext("Timeline of the {n} events the article dates, {start} to {end}, coloured by "
                  "category; an event known only to the month is a bar spanning it, one known "
                  "only to the year a pale bar, and an event without a date a thin dashed line "
                  "up to publication; where "
                  "the article gives no day, the day the public record gives most often is an "
                  "open diamond (a month it gives only to the month, an outlined bar). "
                  "{events}.").format(
        n=len(table), start=format_date(period_start, "month"),
        end=format_date(last_day, "month"), events=gettext(". ").join(groups))
    caption = gettext("Events the article dates, by category: bars span the whole month or year "
                      "when the article gives no day; undated events run open-ended to "
                      "publication. Open diamonds mark the day the public record gives where the "
                      "article gives none.") + more_note(MAX_EVENTS, more)
    info = FigureInfo(label="timeline", title=title, caption=caption, source=source, alt=alt)
    return Chart(fig, info, table, tooltips)


def _bar_label(ax, renderer, x, y, text, inside=False, stop=None):
    """Label a bar: inside its right end, or beside it, right if there is room before the axes'
    edge and the line at `stop` (publication) after the bar, else left. Returns the label."""
    kw = {"va": "center", "fontsize": style.SMALL_PT, "color": style.TEXT,
          "bbox": {"facecolor": "white", "edgecolor": "none", "pad": 0.8}}
    if inside:
        return ax.annotate(text, (x, y), xytext=(-8, 0), textcoords="offset points",
                           ha="right", **kw)
    x0, x1 = x
    label = ax.annotate(text, (x1, y), xytext=(5, 0), textcoords="offset points", ha="left",
                        **kw)
    room = ax.get_window_extent(renderer).x1
    if stop is not None and stop > x1:
        room = min(room, ax.transData.transform((stop, y))[0] - 2)
    if label.get_window_extent(renderer).x1 > room:
        label.remove()
        label = ax.annotate(text, (x0, y), xytext=(-7, 0), textcoords="offset points",
                            ha="right", **kw)
    return label


def _draw_record(data, ax, spans, y, event_id) -> dict[str, list[str]]:
    """The record's dates on an event's row: an open diamond on a day (or on each end of a span
    of days), an outlined bar across a month, so a month is never drawn as a day. Returns each
    mark's tooltip."""
    import matplotlib.dates as mdates

    tooltips = {}
    for k, span in enumerate(spans):
        x0, x1 = mdates.date2num(span["start"]), mdates.date2num(span["end"])
        gid = f"record-{event_id}-{k}"
        tooltips[gid] = [record_text(data, [span])]
        if span["precision"] == "day":
            ax.plot([(x0 + x1) / 2], [y], marker="D", markerfacecolor="white",
                    markeredgecolor=style.TEXT, markeredgewidth=1.0, markersize=5.5,
                    linestyle="none", zorder=4, gid=gid)
        else:
            ax.barh(y, x1 - x0, left=x0, height=0.3, facecolor="white",
                    edgecolor=style.TEXT, linewidth=0.9, zorder=4, gid=gid)
    return tooltips


def _month_formatter():
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    def fmt(x, _):
        d = mdates.num2date(x)
        return f"{month_abbreviation(d)}\n{d:%Y}" if d.month == 1 else month_abbreviation(d)

    return FuncFormatter(fmt)
