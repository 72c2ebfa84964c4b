"""Counter-terrorism results: counted ones each on its own scale, the rest as words."""

from __future__ import annotations

import pandas as pd

from tunisia_report.charts import style
from tunisia_report.charts.base import (
    Chart,
    amount,
    bare,
    date_text,
    figure_info,
    figure_words,
    first_rows,
    kind_line,
    more_note,
    nice_ceiling,
    publication_date,
    rect,
    stack,
    thousands,
    ticks,
    vline,
    width_in,
)
from tunisia_report.exceptions import DataError
from tunisia_report.text.dates import format_date
from tunisia_report.text.formatting import kind_words, source_line
from tunisia_report.text.i18n import gettext

MAX_RESULTS = 6  # counted and worded together: what the two columns hold at 8 pt


def counter_terrorism_2014(data, *, category: str = "counter-terrorism") -> Chart:
    """Each counted result on its own scale and panel; results given only in words, as words."""
    rows = data.figures[data.figures["category"] == category].reset_index(drop=True)
    if rows.empty:
        raise DataError(f"no figures in category {category!r}")
    rows, more = first_rows(rows, MAX_RESULTS)
    rows["drawn_as"] = ["words" if pd.isna(v) else "bar" for v in rows["value"]]
    counted, worded = rows[rows["drawn_as"] == "bar"], rows[rows["drawn_as"] == "words"]
    title = gettext("Counter-terrorism results reported by {month}").format(
        month=format_date(publication_date(data), "month"))
    colour = style.FIGURE_CATEGORY_COLOURS.get(category, style.PALETTE["blue"])
    split = 0.64  # left: counted results; right: results in words
    with style.context():
        # Amiri's lines are taller: the Arabic edition's panels need the next height step.
        fig = style.new_figure(style.HEIGHT_TALL_IN if style.rtl() else style.HEIGHT_MEDIUM_IN)
        bottom, top = style.frame(fig, title, source_line(data))
        h_in = fig.get_figheight()
        head = {"fontsize": style.LABEL_PT, "fontweight": "bold", "color": style.TEXT,
                "va": "top"}
        fig.text(style.x(0.012), top, gettext("Counted, each on its own scale"),
                 ha=style.ha("left"), **head)
        fig.text(style.x(split + 0.03), top, gettext("In words only, no number"),
                 ha=style.ha("left"), **head)
        fig.add_artist(vline(fig, style.x(split + 0.005), bottom + 0.02, top))
        head_h = 0.3 / h_in
        left = fig.add_axes((style.x(0.012, split - 0.03), bottom, split - 0.03,
                             top - head_h - bottom))
        bare(left)
        column_in = width_in(left)
        offset = 0.0
        for _, row in counted.iterrows():
            estimate = row["value_kind"] != "exact"
            offset = stack(left, [
                (style.wrap(fig, row["label"], column_in, style.SMALL_PT, weight="bold"),
                 style.SMALL_PT, {"color": style.TEXT, "fontweight": "bold"}),
                (f"{kind_line(row)}\n{date_text(row)}", style.SMALL_PT,
                 {"color": style.MUTED, "fontstyle": "italic" if estimate else "normal"}),
            ], offset=offset)
            bar_h = 0.15
            below = style.text_height(fig, date_text(row), style.SMALL_PT)[1]
            y_top = top - head_h - (offset + 5 + below) / 72 / h_in
            # The bar grows rightwards in every edition (style.py), its amount after it: in
            # a right-to-left edition the bar stands left of the column's right edge, so that
            # the amount fits inside the column.
            bar_x = 0.02 + (0.25 if style.rtl() else 0)
            ax = fig.add_axes((style.x(bar_x, 0.3), y_top - bar_h / h_in, 0.3, bar_h / h_in))
            value = int(row["value"])
            # An estimate is hatched on white: a pattern drawn on its own colour (as the SVG's
            # <pattern> paints the face behind the hatch) would not show in the PDF and HTML.
            ax.barh([0], [value], height=1.0, color="white" if estimate else colour,
                    hatch="////" if estimate else "", edgecolor=colour, linewidth=0.8,
                    gid=f"result-{row['figure_id']}")
            ax.set_ylim(-0.5, 0.5)
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            ax.set_xlim(0, nice_ceiling(value * 1.05))
            ax.xaxis.set_major_locator(ticks())
            ax.xaxis.set_major_formatter(thousands())
            ax.tick_params(axis="x", labelsize=style.SMALL_PT, length=2, pad=1)
            ax.annotate(style.isolate(amount(row)), (1, 0.5), xycoords="axes fraction",
                        xytext=(6, 0), textcoords="offset points", va="center", ha="left",
                        fontsize=style.LABEL_PT, fontweight="bold", color=style.TEXT)
            offset += 5 + below + bar_h * 72 + (26 if style.rtl() else 20)  # + tick labels
        words = fig.add_axes((style.x(split + 0.03, 0.98 - split - 0.03), bottom + 0.02,
                              0.98 - split - 0.03, top - head_h - bottom))
        bare(words)
        width = width_in(words)
        height_pt = words.get_position().height * h_in * 72
        offset = 0.0
        for _, row in worded.iterrows():
            start = offset
            offset = stack(words, [
                (in_words(row), 13, {"color": colour, "fontweight": "bold"}),
                (style.wrap(fig, row["label"], width, style.LABEL_PT), style.LABEL_PT,
                 {"color": style.TEXT}),
                (style.wrap(fig, row["attributed_to"], width, style.SMALL_PT), style.SMALL_PT,
                 {"color": style.MUTED}),
                (style.wrap(fig, date_text(row), width, style.SMALL_PT), style.SMALL_PT,
                 {"color": style.MUTED}),
                ("", 7, {})], offset=offset)
            # A box the colour of the page behind the words: what a pointer finds between
            # them for the tooltip (an unpainted one would catch no pointer).
            words.add_patch(rect((0, 1 - offset / height_pt), 1, (offset - start) / height_pt,
                                 "white", gid=f"result-{row['figure_id']}"))
    alt = gettext("Counter-terrorism results the article reports: {counted}, each drawn as a "
                  "bar on its own scale. Given only in words: {worded}.").format(
        counted=gettext("; ").join(
            gettext("{label}: {amount} ({kind}, {attribution})").format(
                label=r["label"], amount=amount(r), kind=kind_words(r["value_kind"]).lower(),
                attribution=r["attributed_to"]) for _, r in counted.iterrows()),
        worded=gettext("; ").join(
            gettext("{label}: {words} ({attribution})").format(
                label=r["label"], words=in_words(r), attribution=r["attributed_to"])
            for _, r in worded.iterrows()))
    table = rows[["figure_id", "label", "value", "amount_text", "unit", "value_kind",
                  "attributed_to", "drawn_as"]].copy()
    caption = gettext("Counter-terrorism results: each counted one on its own scale (hatched: "
                      "estimate); those the article gives only in words are shown as words.")
    caption += more_note(MAX_RESULTS, more, in_appendix=True)
    tooltips = {f"result-{r['figure_id']}": [
        figure_words(r, in_words(r) if r["drawn_as"] == "words" else None)]
        for _, r in rows.iterrows()}
    return Chart(fig, figure_info(data, "counter-terrorism-2014", title, caption, alt), table,
                 tooltips)


def in_words(row) -> str:
    """An amount the article gives only in words: its words in quotation marks ('“several”');
    an edition in another language shows its translation, unquoted, since the quotation marks
    would claim them as the article's."""
    return gettext("“{words}”").format(words=row["amount_text"])
