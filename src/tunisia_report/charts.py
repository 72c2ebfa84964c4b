"""One function per chart: each reads the dataset and returns a Chart (figure, info, table).

Every number drawn, and every number in the alt text, comes from the dataset; `Chart.table` holds
exactly the rows drawn. The title and source line are drawn in the image, so that a saved PNG or
SVG stands alone; the caption is for the document around it.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tunisia_report import style
from tunisia_report.dates import format_date
from tunisia_report.display import FigureInfo, show_figure
from tunisia_report.exceptions import ReportError
from tunisia_report.narrative import (
    ARTICLE,
    AUTHOR_VOICE,
    event_date,
    format_number,
    format_value,
    source_line,
    stage_words,
)

PNG_DPI = 200
KIND_WORDS = {"exact": "Exact figure", "estimate": "Estimate", "lower_bound": "Lower bound",
              "qualitative": "In words only"}


@dataclass
class Chart:
    """A drawn chart, what the document says about it, and the numbers and rows it shows."""

    figure: object  # matplotlib.figure.Figure
    info: FigureInfo
    table: pd.DataFrame

    def _ipython_display_(self) -> None:
        """In a notebook a Chart shows as its figure (with alt text), never as its fields."""
        show(self)


def save(chart: Chart, directory: Path | str) -> list[Path]:
    """Write `<label>.png` and `<label>.svg` into directory, byte-identical for identical input."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in ("png", "svg"):
        path = directory / f"{chart.info.label}.{fmt}"
        payload = style.figure_bytes(chart.figure, fmt, dpi=PNG_DPI)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; figures are for readers
        os.replace(tmp, path)
        written.append(path)
    return written


def show(chart: Chart) -> None:
    """Display the chart in the running notebook, with its alt text and caption metadata.

    The exporters print the title and source line around the image, so the copy shown in the
    document leaves out the ones drawn in it (the files `save` writes keep them).
    """
    with style.without_frame(chart.figure):
        show_figure(chart.figure, chart.info)


# --- helpers ---------------------------------------------------------------------------------


def _figures(data, figure_ids) -> pd.DataFrame:
    """The figures rows with these ids, in this order; a ReportError names any unknown id."""
    table = data.figures.set_index("figure_id", drop=False)
    missing = [f for f in figure_ids if f not in table.index]
    if missing:
        raise ReportError(f"unknown figure_id(s) {missing} in figures.csv")
    return table.loc[list(figure_ids)].reset_index(drop=True)


def _publication(data) -> pd.Timestamp:
    return data.source(ARTICLE)["date_published"]


def _amount(row) -> str:
    """'8,000 jihadists' / 'several border crossing attempts'."""
    return f"{format_value(row)} {row['unit']}"


def _kind_line(row) -> str:
    """'Estimate · Interior Ministry estimates'."""
    return f"{KIND_WORDS[str(row['value_kind'])]} · {row['attributed_to']}"


def _date_text(row) -> str:
    """A figure's date at its precision, saying so when the article gives none."""
    if row["date_precision"] == "before":
        return f"date not given; {format_date(row['date'], 'before')}"
    return format_date(row["date"], row["date_precision"])


def _short_label(label: str) -> str:
    """'Soldiers killed in the Mount Chaambi attack' -> 'Soldiers killed'."""
    return str(label).split(" in the ")[0]


def _bare(ax) -> None:
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)


def _stack(ax, lines, x=0.0, y=1.0, offset=0.0) -> float:
    """Write (text, fontsize, props) downwards from (x, y) in axes fraction, baseline to
    baseline; return the offset in points reached, to continue from."""
    for text, size, props in lines:
        for line in str(text).split("\n"):
            offset += size * 1.22
            if line:
                ax.annotate(line, (x, y), xytext=(0, -offset), textcoords="offset points",
                            xycoords="axes fraction", ha="left", va="baseline", fontsize=size,
                            **props)
    return offset


def _width_in(ax) -> float:
    return ax.get_position().width * ax.figure.get_figwidth()


def _info(data, label, title, caption, alt) -> FigureInfo:
    return FigureInfo(label=label, title=title, caption=caption, source=source_line(data),
                      alt=alt)


def _rect(xy, width, height, colour):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, width, height, facecolor=colour, edgecolor="none", zorder=0)


# --- 1. key figures --------------------------------------------------------------------------


def key_figures(data, *, figure_ids: list[str] | None = None, columns: int = 3) -> Chart:
    """The article's headline numbers as tiles, each number with its own unit, kind and source."""
    if figure_ids is None:
        rows = data.figures[data.figures["value"].notna() & (data.figures["category"] != "context")]
    else:
        rows = _figures(data, figure_ids)
    rows = rows.reset_index(drop=True)
    title = "The article's headline numbers, each in its own unit"
    with style.context():
        fig = style.new_figure(style.HEIGHT_MEDIUM_IN)
        bottom, top = style.frame(fig, title, source_line(data))
        nrows = -(-len(rows) // columns)
        grid = fig.add_gridspec(nrows, columns, left=0.012, right=0.988, bottom=bottom + 0.01,
                                top=top, wspace=0.06, hspace=0.1)
        renderer = fig.canvas.get_renderer()
        for i, row in rows.iterrows():
            ax = fig.add_subplot(grid[i // columns, i % columns])
            _bare(ax)
            colour = style.FIGURE_CATEGORY_COLOURS.get(str(row["category"]), style.TEXT)
            ax.add_patch(_rect((0, 0), 1, 1, style.PANEL))
            ax.add_patch(_rect((0, 0), 0.018, 1, colour))
            text_w = _width_in(ax) * 0.89
            number = ax.annotate(format_value(row), (0.07, 1), xytext=(0, -style.NUMBER_PT * 1.3),
                                 xycoords="axes fraction", textcoords="offset points",
                                 va="baseline", fontsize=style.NUMBER_PT, fontweight="bold",
                                 color=colour)
            number_w = number.get_window_extent(renderer).width / fig.dpi
            unit = style.wrap(fig, row["unit"], text_w - number_w - 0.08, style.LABEL_PT,
                              weight="bold")
            bold = {"fontweight": "bold", "color": style.TEXT}
            offset = style.NUMBER_PT * 1.3
            if "\n" in unit:  # too long to stand beside the number: put it below
                offset = _stack(ax, [(style.wrap(fig, row["unit"], text_w, style.LABEL_PT,
                                                 weight="bold"), style.LABEL_PT, bold)],
                                x=0.07, offset=offset)
            else:
                ax.annotate(unit, (0.07, 1), xytext=(number_w * 72 + 5, -offset),
                            xycoords="axes fraction", textcoords="offset points",
                            va="baseline", fontsize=style.LABEL_PT, **bold)
            italic = row["value_kind"] != "exact"
            _stack(ax, [
                (style.wrap(fig, row["label"], text_w, style.SMALL_PT), style.SMALL_PT,
                 {"color": style.TEXT}),
                ("", 3, {}),
                (style.wrap(fig, _kind_line(row), text_w, style.SMALL_PT,
                            style="italic" if italic else "normal"), style.SMALL_PT,
                 {"color": style.MUTED, "fontstyle": "italic" if italic else "normal"}),
                (style.wrap(fig, _date_text(row), text_w, style.SMALL_PT), style.SMALL_PT,
                 {"color": style.MUTED}),
            ], x=0.07, offset=offset + 4)
    alt = (f"{len(rows)} headline figures from the article, each shown as a number in its own "
           "unit rather than on a shared axis: "
           + "; ".join(f"{r['label']}: {_amount(r)} ({KIND_WORDS[str(r['value_kind'])].lower()}, "
                       f"{r['attributed_to']}, {_date_text(r)})" for _, r in rows.iterrows())
           + ".")
    table = rows[["figure_id", "label", "value", "amount_text", "unit", "value_kind",
                  "attributed_to", "date", "date_precision"]].copy()
    caption = ("Headline figures stated in the article; estimates are marked and attributed, and "
               "no two units share a scale.")
    return Chart(fig, _info(data, "key-figures", title, caption, alt), table)


# --- 2. the Mount Chaambi attack -------------------------------------------------------------


def chaambi_attack(data, *, killed_id: str = "chaambi-soldiers-killed",
                   injured_id: str = "chaambi-soldiers-injured",
                   context_id: str = "chaambi-deadliest-since") -> Chart:
    """Killed, injured and their derived total, from zero, with the article's context and date."""
    killed, injured, context = _figures(data, [killed_id, injured_id, context_id]).to_dict(
        "records")
    if killed["unit"] != injured["unit"]:
        raise ReportError(f"cannot add {killed['unit']} and {injured['unit']}")
    unit = killed["unit"]
    event = data.events.set_index("event_id").loc[killed["event_id"]]
    table = pd.DataFrame({
        "figure_id": pd.array([killed_id, injured_id, None], dtype="string"),
        "label": [_short_label(killed["label"]), _short_label(injured["label"]),
                  "Total (derived)"],
        "value": pd.array([killed["value"], injured["value"],
                           killed["value"] + injured["value"]], dtype="Int64"),
        "unit": unit,
        "derived": [False, False, True],
    })
    if event["date_precision"] == "before":
        when = f"Date not given; on or before {format_date(event['end_date'], 'day')}."
    else:
        when = f"Date: {event_date(event)}."
    title = f"{event['title']}: casualties"
    colour = style.FIGURE_CATEGORY_COLOURS["casualties"]
    with style.context():
        fig = style.new_figure(style.HEIGHT_SMALL_IN)
        bottom, top = style.frame(fig, title, source_line(data))
        ax = fig.add_axes((0.2, bottom + 0.16, 0.4, top - bottom - 0.2))
        y = list(range(len(table)))[::-1]
        values = [int(v) for v in table["value"]]
        bars = ax.barh(y, values, height=0.62, color=[colour, colour, "white"],
                       edgecolor=[colour, colour, style.MUTED], linewidth=1.0)
        bars[1].set_alpha(0.55)
        bars[2].set_hatch("////")
        for yi, v in zip(y, values, strict=True):
            ax.text(v + max(values) * 0.02, yi, format_number(v), va="center", ha="left",
                    fontsize=style.LABEL_PT, fontweight="bold", color=style.TEXT)
        ax.set_yticks(y, table["label"], fontsize=style.LABEL_PT)
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0, max(values) * 1.15)
        ax.set_xlabel(unit, fontsize=style.SMALL_PT, color=style.MUTED, loc="right")
        ax.xaxis.set_major_formatter(_thousands())
        note = fig.add_axes((0.66, bottom + 0.06, 0.33, top - bottom - 0.1))
        _bare(note)
        width = _width_in(note)
        who = "the article" if context["attributed_to"] == AUTHOR_VOICE else \
            context["attributed_to"]
        _stack(note, [
            (style.wrap(fig, f"“{context['quote']}”", width, style.LABEL_PT, style="italic"),
             style.LABEL_PT, {"color": style.TEXT, "fontstyle": "italic"}),
            (f"— {who}", style.SMALL_PT, {"color": style.MUTED}),
            ("", 6, {}),
            (style.wrap(fig, when, width, style.SMALL_PT), style.SMALL_PT, {"color": style.TEXT}),
            ("", 3, {}),
            (style.wrap(fig, "Total: killed plus injured, added here; the article states no "
                             "total.", width, style.SMALL_PT), style.SMALL_PT,
             {"color": style.MUTED}),
        ])
    alt = (f"Bar chart, {event['title']}: {format_number(killed['value'])} {unit} killed "
           f"and {format_number(injured['value'])} injured, "
           f"{format_number(table['value'].iloc[2])} in total (derived by adding the two). The "
           f"article calls it “{context['quote']}”. {when}")
    caption = ("Casualties of the Mount Chaambi attack as the article reports them; the total is "
               "derived, and the article gives no date.")
    return Chart(fig, _info(data, "chaambi-attack", title, caption, alt), table)


def _thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _: f"{x:,.0f}")


# --- 3. counter-terrorism results ------------------------------------------------------------


def counter_terrorism_2014(data, *, category: str = "counter-terrorism") -> Chart:
    """Each counted result on its own scale and panel; results given only in words, as words."""
    rows = data.figures[data.figures["category"] == category].reset_index(drop=True)
    if rows.empty:
        raise ReportError(f"no figures in category {category!r}")
    rows["drawn_as"] = ["words" if pd.isna(v) else "bar" for v in rows["value"]]
    counted, worded = rows[rows["drawn_as"] == "bar"], rows[rows["drawn_as"] == "words"]
    title = f"Counter-terrorism results reported by {format_date(_publication(data), 'month')}"
    colour = style.FIGURE_CATEGORY_COLOURS.get(category, style.PALETTE["blue"])
    split = 0.64  # left: counted results; right: results in words
    with style.context():
        fig = style.new_figure(style.HEIGHT_MEDIUM_IN)
        bottom, top = style.frame(fig, title, source_line(data))
        h_in = fig.get_figheight()
        head = {"fontsize": style.LABEL_PT, "fontweight": "bold", "color": style.TEXT,
                "va": "top"}
        fig.text(0.012, top, "Counted, each on its own scale", **head)
        fig.text(split + 0.03, top, "In words only, no number", **head)
        fig.add_artist(_vline(fig, split + 0.005, bottom + 0.02, top))
        head_h = 0.3 / h_in
        left = fig.add_axes((0.012, bottom, split - 0.03, top - head_h - bottom))
        _bare(left)
        column_in = _width_in(left)
        offset = 0.0
        for _, row in counted.iterrows():
            estimate = row["value_kind"] != "exact"
            offset = _stack(left, [
                (style.wrap(fig, row["label"], column_in, style.SMALL_PT, weight="bold"),
                 style.SMALL_PT, {"color": style.TEXT, "fontweight": "bold"}),
                (f"{_kind_line(row)}\n{_date_text(row)}", style.SMALL_PT,
                 {"color": style.MUTED, "fontstyle": "italic" if estimate else "normal"}),
            ], offset=offset)
            bar_h = 0.15
            y_top = top - head_h - (offset + 5) / 72 / h_in
            ax = fig.add_axes((0.02, y_top - bar_h / h_in, 0.3, bar_h / h_in))
            value = int(row["value"])
            ax.barh([0], [value], height=1.0, color=colour, alpha=0.55 if estimate else 1.0,
                    hatch="///" if estimate else "", edgecolor=colour, linewidth=0.8)
            ax.set_ylim(-0.5, 0.5)
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            ax.set_xlim(0, _nice_ceiling(value * 1.05))
            ax.xaxis.set_major_locator(_ticks())
            ax.xaxis.set_major_formatter(_thousands())
            ax.tick_params(axis="x", labelsize=style.SMALL_PT, length=2, pad=1)
            ax.annotate(_amount(row), (1, 0.5), xycoords="axes fraction", xytext=(6, 0),
                        textcoords="offset points", va="center", ha="left",
                        fontsize=style.LABEL_PT, fontweight="bold", color=style.TEXT)
            offset += 5 + bar_h * 72 + 20
        words = fig.add_axes((split + 0.03, bottom + 0.02, 0.98 - split - 0.03,
                              top - head_h - bottom))
        _bare(words)
        width = _width_in(words)
        lines = []
        for _, row in worded.iterrows():
            lines += [(f"“{row['amount_text']}”", 13, {"color": colour, "fontweight": "bold"}),
                      (style.wrap(fig, row["label"], width, style.LABEL_PT), style.LABEL_PT,
                       {"color": style.TEXT}),
                      (style.wrap(fig, row["attributed_to"], width, style.SMALL_PT),
                       style.SMALL_PT, {"color": style.MUTED}),
                      (style.wrap(fig, _date_text(row), width, style.SMALL_PT),
                       style.SMALL_PT, {"color": style.MUTED}),
                      ("", 7, {})]
        _stack(words, lines)
    alt = ("Counter-terrorism results the article reports: "
           + "; ".join(f"{r['label']}: {_amount(r)} ({KIND_WORDS[str(r['value_kind'])].lower()}, "
                       f"{r['attributed_to']})" for _, r in counted.iterrows())
           + ", each drawn as a bar on its own scale. Given only in words: "
           + "; ".join(f"{r['label']}: “{r['amount_text']}” ({r['attributed_to']})"
                       for _, r in worded.iterrows()) + ".")
    table = rows[["figure_id", "label", "value", "amount_text", "unit", "value_kind",
                  "attributed_to", "drawn_as"]].copy()
    caption = ("Counter-terrorism results: each counted one on its own scale (hatched: estimate); "
               "those the article gives only in words are shown as words.")
    return Chart(fig, _info(data, "counter-terrorism-2014", title, caption, alt), table)


def _vline(fig, x, y0, y1):
    from matplotlib.lines import Line2D

    return Line2D([x, x], [y0, y1], transform=fig.transFigure, color=style.RULE, linewidth=0.6)


def _nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is at least x."""
    import math

    power = 10 ** math.floor(math.log10(max(x, 1)))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= x)


def _ticks():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=4, integer=True, steps=[1, 2, 2.5, 5, 10])


# --- 4. timeline -----------------------------------------------------------------------------


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
        raise ReportError(f"timeline period is empty: start {start!r}, end {end!r}")
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
    title = "Events the article dates, at the precision it gives"
    with style.context():
        fig = style.new_figure(style.HEIGHT_TALL_IN)
        bottom, top = style.frame(fig, title, source_line(data))
        h = fig.get_figheight()
        left, width = 0.42, 0.565
        ax = fig.add_axes((left, bottom + 0.62 / h, width, top - bottom - 0.95 / h))
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
                _bar_label(ax, renderer, x1, y, "date not given", inside=True)
            else:
                ax.barh(y, x1 - x0, left=x0, height=0.5, color=colour, gid=gid)
                if row["date_precision"] == "day":
                    ax.plot([(x0 + x1) / 2], [y], marker="D", color=colour, markersize=5.5)
                _bar_label(ax, renderer, (x0, x1), y, row["date_text"])
            ax.text(-0.03, y, style.wrap(fig, row["title"], label_w, style.SMALL_PT),
                    transform=ax.get_yaxis_transform(), ha="right", va="center",
                    fontsize=style.SMALL_PT, color=style.TEXT, linespacing=1.1)
            if i and row["category"] != table.loc[i - 1, "category"]:
                ax.axhline(y + 0.5, color=style.RULE, linewidth=0.6,
                           xmin=-(left - 0.012) / width, clip_on=False)
        published = _publication(data)
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
        fig.legend(handles=[Patch(color=style.EVENT_CATEGORY_COLOURS[c],
                                  label=c.replace("-", " ")) for c in categories],
                   loc="upper left", bbox_to_anchor=(0.0095, top), ncol=len(categories),
                   fontsize=style.SMALL_PT, handlelength=1.0, columnspacing=0.9,
                   handletextpad=0.4, borderaxespad=0)
        fig.legend(handles=[
            Patch(facecolor=style.MUTED, label="bar: the whole year or month given"),
            Line2D([], [], marker="D", color=style.MUTED, linestyle="none", label="day"),
            Patch(facecolor="white", edgecolor=style.MUTED, hatch="///",
                  label="date not given: on or before the bar's end")],
            loc="lower left", bbox_to_anchor=(0.0095, bottom + 0.01), ncol=3,
            fontsize=style.SMALL_PT, handlelength=1.4, columnspacing=1.2, handletextpad=0.5,
            borderaxespad=0)
    groups = []
    for (text, undated), part in table.groupby(["date_text", "open_start"], sort=False):
        when = f"Date not given ({text})" if undated else text
        groups.append(f"{when}: " + "; ".join(part["title"]))
    last_day = period_end - pd.Timedelta(days=1)
    alt = (f"Timeline of the {len(table)} events the article dates, "
           f"{format_date(period_start, 'month')} to {format_date(last_day, 'month')}, "
           "coloured by category; an event known only to the month or year is a bar spanning "
           "it, and an event without a date is an open-ended hatched bar up to publication. "
           + ". ".join(groups) + ".")
    caption = ("Events the article dates, by category: bars span the whole month or year when "
               "the article gives no day; undated events run open-ended to publication.")
    return Chart(fig, _info(data, "timeline", title, caption, alt), table)


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
        return f"{d:%b}\n{d:%Y}" if d.month == 1 else f"{d:%b}"

    return FuncFormatter(fmt)


# --- 6. policy measures ----------------------------------------------------------------------


def policy_measures(data) -> Chart:
    """Each measure by kind and partner country, with how far it had got (planned to in place)."""
    places = data.places.set_index("place_id")["name"]
    stages = list(data.measures["stage"].cat.categories)
    table = data.measures.copy()
    table["partner"] = pd.array([places.get(p, p) if pd.notna(p) else None
                                 for p in table["partner_place_id"]], dtype="string")
    table["stage_rank"] = table["stage"].cat.codes.astype(int)
    table = table.assign(kind_rank=table["kind"].cat.codes).sort_values(
        ["kind_rank", "stage_rank", "measure_id"]).reset_index(drop=True)
    table = table[["measure_id", "name", "kind", "partner", "stage", "stage_rank"]]
    title = "The security agenda: measures, partners and how far they had got"
    colour = style.PALETTE["blue"]
    with style.context():
        fig = style.new_figure(style.HEIGHT_MEDIUM_IN)
        bottom, top = style.frame(fig, title, source_line(data))
        width = fig.get_figwidth() * 0.976
        ax = fig.add_axes((0.012, bottom + 0.01, 0.976, top - bottom - 0.02))
        _bare(ax)
        n = len(table)
        ax.set_xlim(0, width)  # x in inches
        ax.set_ylim(n - 0.45, -1.6)
        x_kind, x_partner, x_stage = 2.35, 3.45, 4.4
        step = (width - 0.3 - x_stage) / (len(stages) - 1)
        stage_x = [x_stage + step * i for i in range(len(stages))]
        head = {"color": style.TEXT, "fontweight": "bold", "fontsize": style.SMALL_PT,
                "va": "bottom"}
        for x, text in ((0, "Measure"), (x_kind, "Kind"), (x_partner, "Partner")):
            ax.text(x, -0.62, text, **head)
        ax.text((stage_x[0] + stage_x[-1]) / 2, -1.35, "Stage reached", ha="center", **head)
        for x, s in zip(stage_x, stages, strict=True):
            ax.text(x, -0.62, stage_words(s).replace(" ", "\n"), ha="center", linespacing=1.1,
                    **{**head, "fontweight": "normal", "color": style.MUTED})
        ax.plot([0, width], [-0.5, -0.5], color=style.TEXT, linewidth=0.6)
        cell = {"va": "center", "fontsize": style.SMALL_PT, "color": style.TEXT,
                "linespacing": 1.1}
        for i, row in table.iterrows():
            ax.text(0, i, style.wrap(fig, row["name"], x_kind - 0.15, style.SMALL_PT), **cell)
            kind = str(row["kind"]).replace("-", " ").capitalize()
            ax.text(x_kind, i, style.wrap(fig, kind, x_partner - x_kind - 0.1, style.SMALL_PT),
                    **cell)
            has_partner = pd.notna(row["partner"])
            ax.text(x_partner, i, row["partner"] if has_partner else "none stated",
                    **{**cell, "color": style.TEXT if has_partner else style.MUTED})
            rank = int(row["stage_rank"])
            ax.plot(stage_x, [i] * len(stages), color=style.RULE, linewidth=1, zorder=1)
            ax.plot(stage_x[: rank + 1], [i] * (rank + 1), color=colour, linewidth=2, zorder=2)
            ax.scatter(stage_x, [i] * len(stages), s=20, facecolor="white",
                       edgecolor=style.RULE, zorder=3)
            ax.scatter(stage_x[:rank], [i] * rank, s=20, color=colour, zorder=4)
            ax.scatter([stage_x[rank]], [i], s=64, color=colour, edgecolor="white",
                       linewidth=0.8, zorder=5, gid=f"stage-{row['measure_id']}")
            if i < n - 1:
                ax.plot([0, width], [i + 0.5, i + 0.5], color=style.RULE, linewidth=0.4)
    alt = (f"Table of the {n} policy measures the article describes, with kind, partner country "
           f"and stage (from {stage_words(stages[0])} to {stage_words(stages[-1])}): "
           + "; ".join(f"{r['name']} ({str(r['kind']).replace('-', ' ')}, "
                       f"{'partner ' + r['partner'] if pd.notna(r['partner']) else 'no partner'}"
                       f", {stage_words(r['stage'])})" for _, r in table.iterrows()) + ".")
    caption = ("Policy measures the article describes, by kind and partner country, and how far "
               "each had got by publication.")
    return Chart(fig, _info(data, "policy-measures", title, caption, alt), table)


def locator_map(data, **options) -> Chart:
    """The locator map (see tunisia_report.locator_map)."""
    from tunisia_report.locator_map import locator_map as draw

    return draw(data, **options)


CHARTS = {
    "key-figures": key_figures,
    "chaambi-attack": chaambi_attack,
    "counter-terrorism-2014": counter_terrorism_2014,
    "timeline": timeline,
    "locator-map": locator_map,
    "policy-measures": policy_measures,
}
