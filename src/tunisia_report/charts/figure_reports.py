"""How one figure holds up: every number the public record gives for it, against the date the
number was stated (not the date its page was published), with the article's number and date
marked (drawn with seaborn).

Statements dated to the month are drawn as a line across that month, never as a day; those
stated long after the article, known only to the year, or undated stand in a column of their
own to the right, so that a retrospective ten years on does not squeeze the weeks around the
article.
"""

from __future__ import annotations

import pandas as pd

from tunisia_report.charts import layout, style
from tunisia_report.charts.base import (
    Chart,
    FigureInfo,
    figure_rows,
    publication_date,
    source_url,
)
from tunisia_report.dataset.verdicts import claims, reports_with_sources
from tunisia_report.exceptions import DataError
from tunisia_report.text.dates import format_date, month_abbreviation
from tunisia_report.text.formatting import format_number, original, publisher, source_short
from tunisia_report.text.i18n import gettext, ngettext

WINDOW_AFTER = pd.DateOffset(months=2)  # reports published later than this go to the side
SIDE_WIDTH = 0.2  # share of the plotting width for the later and undated column


# Where the article's label goes beside its star, first free first (`layout.place`).
ARTICLE_LABEL = [(-8, 6, "right", "bottom"), (8, 6, "left", "bottom"), (-8, -6, "right", "top"),
                 (8, -6, "left", "top"), (-8, 16, "right", "bottom"), (8, 16, "left", "bottom"),
                 (-8, -16, "right", "top"), (8, -16, "left", "top"), (-8, 28, "right", "bottom"),
                 (8, 28, "left", "bottom"), (-8, -28, "right", "top"), (8, -28, "left", "top")]
MIN_DISTINCT = 3  # fewer different numbers are said in a sentence (the claim's card says them)
AGREEMENT = 0.8  # when this share of the reports or more give one number, the record agrees


def reported_figures(data) -> list[str]:
    """The figures whose record is a series worth a chart: at least `MIN_DISTINCT` different
    numbers, and no one number given by `AGREEMENT` of the reports or more (one number, one
    but for a single other, or one that four reports in five give, is a sentence, not a
    chart). In the figures' order."""
    numbers = data.reports.dropna(subset=["value"])
    distinct = numbers.groupby("figure_id")["value"].nunique()
    agreeing = numbers.groupby("figure_id")["value"].agg(
        lambda values: values.value_counts().iloc[0] / len(values))
    return [f for f in data.figures["figure_id"]
            if distinct.get(f, 0) >= MIN_DISTINCT and agreeing.get(f, 1.0) < AGREEMENT]


def unreported_figures(data) -> list[str]:
    """The figures the record gives numbers for that are not charted (`reported_figures`)."""
    numbered = set(data.reports.dropna(subset=["value"])["figure_id"])
    charted = set(reported_figures(data))
    return [f for f in data.figures["figure_id"] if f in numbered and f not in charted]


def figure_reports_table(data, figure_id: str) -> pd.DataFrame:
    """One row per report with a number: source, publisher, value, the date the number was
    stated and its precision (`published`, `published_precision`: the x axis), whether it is the
    article's number, and where it is drawn (`column`: 'dated', 'later' or 'undated'; a year
    goes to 'later')."""
    reports = reports_with_sources(data)
    rows = reports[(reports["figure_id"] == figure_id) & reports["value"].notna()].copy()
    if rows.empty:
        raise DataError(f"no report gives a number for figure {figure_id!r}")
    (article,) = figure_rows(data, [figure_id]).to_dict("records")
    published = publication_date(data)
    rows["publisher"] = [publisher(p) for p in rows["producer"]]
    rows["value"] = rows["value"].astype(int)
    rows["matches"] = rows["value"] == article["value"]
    rows["published"] = rows["stated_date"]
    rows["published_precision"] = rows["stated_precision"]
    later = ((rows["published"] > published + WINDOW_AFTER)
             | (rows["published_precision"] == "year"))
    rows["column"] = "dated"
    rows.loc[later, "column"] = "later"
    rows.loc[rows["published"].isna(), "column"] = "undated"
    rows = rows.sort_values(["published", "publisher"], na_position="last")
    return rows[["report_id", "source_id", "publisher", "value", "value_kind", "published",
                 "published_precision", "matches", "column"]].reset_index(drop=True)


def figure_reports(data, *, figure_id: str = "chaambi-soldiers-killed") -> Chart:
    """The numbers each source gave for one figure, by date published; the article's starred."""
    import matplotlib.dates as mdates
    import seaborn as sns
    from matplotlib.lines import Line2D

    table = figure_reports_table(data, figure_id)
    (article,) = figure_rows(data, [figure_id]).to_dict("records")
    claim = claims(data).set_index("claim_id").loc[figure_id]
    published = publication_date(data)
    value, unit = int(article["value"]), str(original(article, "unit"))
    unit_words = str(article["unit"])
    colour = style.FIGURE_CATEGORY_COLOURS.get(str(article["category"]), style.TEXT)
    palette = {True: colour, False: style.PALETTE["grey"]}
    names = list(dict.fromkeys([source_short(data), *table["publisher"]]))
    source = gettext("Sources: {sources}").format(sources=gettext("; ").join(names))
    title = gettext("{label}: the number each source gave").format(label=article["label"])
    counts = table.groupby(["column", "published", "published_precision", "value", "matches"],
                           dropna=False).size()
    points = counts.rename("reports").reset_index()
    with style.context():
        narrow = style.narrow()  # a phone's: taller, its key in two rows, a wider side
        fig = style.new_figure(style.HEIGHT_MEDIUM_IN if narrow else style.HEIGHT_SMALL_IN)
        # isolated before it is wrapped: a line never breaks inside an item (its date)
        wrapped = style.wrap(fig, style.isolated_items(source), style.width() - 0.4,
                             style.SMALL_PT)
        heading = style.wrap(fig, title, style.width() - 0.4,
                             style.TITLE_PT, weight="bold")
        bottom, top = style.frame(fig, heading, wrapped)
        top -= heading.count("\n") * style.TITLE_PT * 1.22 / 72 / fig.get_figheight()
        # (Amiri's lines are taller: a phone's many lines of sources need the room.)
        step_pt = style.SMALL_PT * (1.75 if narrow and style.rtl() else 1.22)
        extra = (wrapped.count("\n") * step_pt / 72) / fig.get_figheight()
        # Amiri's two-line month labels are taller: more room under the Arabic axes.
        low, high = bottom + extra + (0.19 if style.rtl() else 0.13), top - 0.14
        left, side_w = ((0.19 if style.rtl() else 0.15), 0.27) if narrow else (0.1, SIDE_WIDTH)
        if narrow:
            low, high = bottom + extra + (0.14 if style.rtl() else 0.1), top - 0.13
        main = fig.add_axes((left, low, 0.94 - left - side_w - 0.04, high - low))
        side = fig.add_axes((0.94 - side_w, low, side_w, high - low), sharey=main)
        dated = points[points["column"] == "dated"]
        days = dated[dated["published_precision"] == "day"]
        months = dated[dated["published_precision"] == "month"]
        sizes = (28, 150)
        size_norm = (1, max(int(points["reports"].max()), 2))
        tooltips = {}
        if len(days):
            sns.scatterplot(data=days, x="published", y="value", hue="matches", size="reports",
                            sizes=sizes, size_norm=size_norm, palette=palette, legend=False,
                            ax=main, edgecolor="white", linewidth=0.6, zorder=3)
            tooltips["marks-dated"] = _mark_tooltips(main.collections[-1], days, table, unit,
                                                     unit_words, data, "marks-dated")
        for row in months.itertuples():
            start = mdates.date2num(row.published)
            end = mdates.date2num(row.published + pd.offsets.MonthBegin(1))
            main.hlines(row.value, start, end, color=palette[row.matches], linewidth=2.2,
                        zorder=3)
        main.axhline(value, color=colour, linewidth=0.7, linestyle=(0, (3, 2)), zorder=1)
        main.plot([mdates.date2num(published)], [value], marker="*", markersize=13,
                  color=style.TEXT, zorder=4, linestyle="none")
        shown = article["amount_text"] if unit == "year" else format_number(value, unit)
        first = min([published, *dated["published"]])
        main.set_xlim(mdates.date2num(first - pd.DateOffset(months=1)),
                      mdates.date2num(published + WINDOW_AFTER))
        _date_axis(main, first, published)
        change = _change(claim, table)
        if change is not None and not narrow:  # the later count that revised or outdated
            _label_change(main, change, claim["verdict"], unit)  # the article's
        side_points = points[points["column"] != "dated"].copy()
        labels = [_side_label(r) for r in side_points.to_dict("records")]
        order = list(dict.fromkeys(labels))
        side_points["x"] = [order.index(label) for label in labels]
        if len(side_points):
            sns.scatterplot(data=side_points, x="x", y="value", hue="matches", size="reports",
                            sizes=sizes, size_norm=size_norm, palette=palette, legend=False,
                            ax=side, edgecolor="white", linewidth=0.6, zorder=3)
            tooltips["marks-later"] = _mark_tooltips(side.collections[-1], side_points, table,
                                                     unit, unit_words, data, "marks-later")
        side.axhline(value, color=colour, linewidth=0.7, linestyle=(0, (3, 2)), zorder=1)
        side.set_xlim(-0.7, max(len(order), 1) - 0.3)
        side.set_xticks(range(len(order)),
                        [style.wrap(fig, label, 0.3, style.SMALL_PT) for label in order],
                        fontsize=style.SMALL_PT)  # 'sans date' on two lines beside '2024'
        side.set_xlabel("")
        side.set_ylabel("")
        side.tick_params(axis="y", left=False, labelleft=False)
        side.spines["left"].set_visible(False)
        values = [*table["value"], value]
        if unit == "year":
            main.set_ylim(min(values) - 3, max(values) + 3)
        else:
            main.set_ylim(0, max(values) * 1.3)  # counts from zero, room above for labels
        main.set_ylabel(unit_words, fontsize=style.SMALL_PT, color=style.MUTED)
        main.set_xlabel("")
        main.yaxis.set_major_formatter(_number_formatter(unit))
        if change is not None and narrow:  # placed where it meets nothing, once all is drawn
            _label_change(main, change, claim["verdict"], unit, wrap_in=1.2)
        # The article's number beside its star, where it meets no dot, line or label (placed
        # once the limits are set; time runs rightwards in every edition).
        layout.place(main, (mdates.date2num(published), value),
                     gettext("the article: {amount}").format(amount=shown),
                     offsets=ARTICLE_LABEL, fontsize=style.SMALL_PT, color=style.TEXT)
        if style.rtl():  # the first month's Amiri label is wide: keep '0' clear of it
            main.tick_params(axis="y", pad=9)
        keys = [
            Line2D([], [], marker="o", color=colour, linestyle="none",
                   label=gettext("the article's number")),
            Line2D([], [], marker="o", color=style.PALETTE["grey"], linestyle="none",
                   label=gettext("another number")),
            Line2D([], [], color=style.MUTED, linewidth=2.2, label=gettext("dated to the month")),
            Line2D([], [], marker="*", color=style.TEXT, linestyle="none", markersize=9,
                   label=gettext("the article, published"))]
        if narrow and style.rtl():  # two columns of two, the first at the right
            keys = [keys[2], keys[3], keys[0], keys[1]]
        elif style.rtl():
            keys = keys[::-1]
        fig.legend(handles=keys,
                   loc=f"upper {style.ha('left')}", bbox_to_anchor=(style.x(0.01), top),
                   ncol=2 if narrow else 4,
                   fontsize=style.SMALL_PT, handletextpad=0.3, columnspacing=0.9,
                   borderaxespad=0, markerfirst=not style.rtl())
    given = gettext("; ").join(
        ngettext("{number} from {n} channel", "{number} from {n} channels", n).format(
            number=format_number(v, unit), n=n) for v, n in claim["values"])
    said = (gettext("“{words}”").format(words=article["amount_text"]) if unit == "year"
            else gettext("{amount} {unit}").format(amount=format_number(value, unit),
                                                   unit=unit_words))
    alt = gettext("Dot chart: {label}, the number each source gave against the date it was "
                  "stated (a larger dot for more reports). The article gives {said} on {date}. "
                  "The record: {given} (independent channels), from {publishers} publishers "
                  "({newsrooms} independent newsrooms). {side}").format(
        label=article["label"], said=said, date=format_date(published, "day"), given=given,
        publishers=claim["n_publishers"], newsrooms=claim["n_newsrooms"],
        side=_side_words(table))
    caption = gettext("{label}: each number the public record gives, by the date it was "
                      "stated; the star is the article's. Larger dots stand for more reports; a "
                      "line spans a month when only the month is known.").format(
        label=article["label"])
    info = FigureInfo(label=f"figure-reports-{figure_id}", title=title, caption=caption,
                      source=source, alt=alt)
    return Chart(fig, info, table, tooltips)


def _label_change(ax, change: dict, verdict: str, unit: str, wrap_in: float | None = None
                  ) -> None:
    """'revised: 15, 18 July 2014' beside the point (or the middle of the month's line) of the
    later number, toward the middle of the panel so that it stays inside it (in lines no
    wider than `wrap_in` inches, if given)."""
    import matplotlib.dates as mdates

    x = mdates.date2num(change["published"])
    if change["published_precision"] == "month":
        x = (x + mdates.date2num(change["published"] + pd.offsets.MonthBegin(1))) / 2
    low, high = ax.get_xlim()
    toward_left = (x - low) > (high - low) / 2
    words = (gettext("revised: {amount}, {date}") if verdict == "revised"
             else gettext("later figure: {amount}, {date}"))
    words = words.format(amount=format_number(change["value"], unit),
                         date=format_date(change["published"], change["published_precision"]))
    props = {"fontsize": style.SMALL_PT, "color": style.TEXT,
             "arrowprops": {"arrowstyle": "-", "color": style.MUTED, "linewidth": 0.6,
                            "shrinkB": 4}}
    if wrap_in:  # a phone's narrow panel: the first place where it meets nothing drawn
        sides = [(-22, "right"), (22, "left")][::1 if toward_left else -1]
        offsets = [(dx, dy, ha, "top" if dy < 0 else "bottom")
                   for dy in (-18, 18, -34, 34) for dx, ha in sides]
        layout.place(ax, (x, change["value"]), style.wrap(ax.figure, words, wrap_in,
                                                          style.SMALL_PT),
                     offsets=offsets, **props)
        return
    ax.annotate(words, (x, change["value"]), xytext=(-22 if toward_left else 22, -18),
                textcoords="offset points", ha="right" if toward_left else "left", va="top",
                **props)


def _change(claim, table: pd.DataFrame) -> dict | None:
    """The report whose later number revised the article's count or had already replaced its
    figure (a revised or outdated verdict names it as its second source), where the main panel
    draws it; None otherwise."""
    if claim["verdict"] not in ("revised", "outdated") or len(claim["source_ids"]) < 2:
        return None
    rows = table[(table["source_id"] == claim["source_ids"][1]) & ~table["matches"]
                 & (table["column"] == "dated")]
    return rows.iloc[0].to_dict() if len(rows) else None


def _mark_tooltips(collection, points, table, unit, unit_words, data, gid) -> list[str]:
    """One tooltip per drawn point (value, who gave it, when) and, as the point's link, the
    first of its sources' web addresses."""
    texts, links = [], []
    for point in points.to_dict("records"):
        mine = table[(table["column"] == point["column"]) & (table["value"] == point["value"])
                     & ((table["published"] == point["published"])
                        | (table["published"].isna() & pd.isna(point["published"])))]
        when = (format_date(point["published"], point["published_precision"])
                if pd.notna(point["published"]) else gettext("no date"))
        texts.append(gettext("{amount} {unit}, {date}: {sources}").format(
            amount=format_number(point["value"], unit), unit=unit_words, date=when,
            sources=gettext(", ").join(dict.fromkeys(mine["publisher"]))))
        links.append(next(filter(None, (source_url(data, s) for s in mine["source_id"])), None))
    collection.set_gid(gid)
    collection.set_urls(links)
    return texts


def _side_label(row) -> str:
    if row["column"] == "undated":
        return gettext("no date")
    return str(row["published"].year)


def _side_words(table: pd.DataFrame) -> str:
    later = table[table["column"] == "later"]
    undated = table[table["column"] == "undated"]
    parts = []
    if len(later):
        parts.append(gettext("{n} stated later ({reports})").format(
            n=len(later), reports=gettext(", ").join(
                f"{r.publisher}, {format_date(r.published, _coarser(r.published_precision))}"
                for r in later.itertuples())))
    if len(undated):
        parts.append(gettext("{n} undated").format(n=len(undated)))
    if not parts:
        return gettext("All are dated.")
    listed = parts[0] if len(parts) == 1 else gettext("{items} and {last}").format(
        items=parts[0], last=parts[1])
    return gettext("Drawn to the right: {reports}.").format(reports=listed)


def _coarser(precision: str) -> str:
    """'month' for a day or month, 'year' for a year: the side column names no day."""
    return "year" if precision == "year" else "month"


def _date_axis(ax, first, last) -> None:
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    span_months = (last.year - first.year) * 12 + last.month - first.month
    step = 1 if span_months <= 4 else 3 if span_months <= 15 else 6
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda x, pos: (lambda d: f"{month_abbreviation(d)}\n{d:%Y}"
                        if d.month <= step or pos == 0
                        else month_abbreviation(d))(mdates.num2date(x))))
    ax.grid(axis="x", color=style.RULE, linewidth=0.4)
    ax.set_axisbelow(True)


def _number_formatter(unit: str):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _: format_number(x, unit) if x == int(x) else "")
