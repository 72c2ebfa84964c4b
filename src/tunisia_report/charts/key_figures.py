"""The article's headline numbers as tiles, each in its own unit."""

from __future__ import annotations

from tunisia_report.charts import style
from tunisia_report.charts.base import (
    Chart,
    bare,
    date_text,
    figure_info,
    figure_rows,
    figure_words,
    first_rows,
    kind_line,
    more_note,
    rect,
    stack,
    width_in,
)
from tunisia_report.dataset.verdicts import claims
from tunisia_report.exceptions import DataError
from tunisia_report.text.formatting import format_value, source_line, verdict_words
from tunisia_report.text.i18n import gettext

MAX_TILES = 12  # four rows of three on the page; more would be too small to read


def key_figures(data, *, figure_ids: list[str] | None = None, columns: int | None = None
                ) -> Chart:
    """The article's headline numbers as tiles, each number with its own unit, kind and source:
    three columns (two on a phone, `style.narrow`)."""
    columns = columns or (2 if style.narrow() else 3)
    if figure_ids is None:
        rows = data.figures[data.figures["value"].notna() & (data.figures["category"] != "context")]
    else:
        rows = figure_rows(data, figure_ids)
    if rows.empty:
        raise DataError("no figures with a number in figures.csv")
    rows, more = first_rows(rows, MAX_TILES)  # a tile needs room to be read
    verdicts = claims(data).set_index("claim_id")["verdict"]
    rows["verdict"] = [verdicts.get(f) for f in rows["figure_id"]]
    title = gettext("The article's headline numbers, each in its own unit")
    with style.context():
        # Amiri's lines are taller: the Arabic tiles take a little more height.
        nrows = -(-len(rows) // columns)
        tile_in = (1.62 if style.narrow() else 1.55) + (0.2 if style.rtl() else 0)
        fig = style.new_figure(max(style.HEIGHT_MEDIUM_IN + (0.4 if style.rtl() else 0),
                                   nrows * tile_in + style.TITLE_SPACE_IN
                                   + style.SOURCE_SPACE_IN))
        bottom, top = style.frame(fig, title, source_line(data))
        grid = fig.add_gridspec(nrows, columns, left=0.012, right=0.988, bottom=bottom + 0.01,
                                top=top, wspace=0.06, hspace=0.1)
        renderer = fig.canvas.get_renderer()
        number_pt = style.NUMBER_PT * (0.8 if style.narrow() else 1)  # beside a phone's badge
        for i, row in rows.iterrows():
            column = i % columns if not style.rtl() else columns - 1 - i % columns
            ax = fig.add_subplot(grid[i // columns, column])
            bare(ax)
            colour = style.FIGURE_CATEGORY_COLOURS.get(str(row["category"]), style.TEXT)
            ax.add_patch(rect((0, 0), 1, 1, style.PANEL, gid=f"tile-{row['figure_id']}"))
            ax.add_patch(rect((style.x(0, 0.018), 0), 0.018, 1, colour))
            # Amiri's words run wider than measured: the Arabic tiles wrap a little sooner.
            text_w = width_in(ax) * (0.8 if style.rtl() else 0.89)
            number = ax.annotate(format_value(row), (style.x(0.07), 1),
                                 xytext=(0, -number_pt * 1.3), ha=style.ha("left"),
                                 xycoords="axes fraction", textcoords="offset points",
                                 va="baseline", fontsize=number_pt, fontweight="bold",
                                 color=colour)
            number_w = number.get_window_extent(renderer).width / fig.dpi
            badge_w = (_badge(ax, row["verdict"]) if row["verdict"] in style.VERDICT_COLOURS
                       else 0.0)
            unit = style.wrap(fig, row["unit"], text_w - number_w - badge_w - 0.08,
                              style.LABEL_PT, weight="bold")
            bold = {"fontweight": "bold", "color": style.TEXT}
            offset = number_pt * 1.3
            if "\n" in unit:  # too long to stand beside the number: put it below
                offset = stack(ax, [(style.wrap(fig, row["unit"], text_w, style.LABEL_PT,
                                                 weight="bold"), style.LABEL_PT, bold)],
                                x=0.07, offset=offset + 3)  # clear of the number's descent
            else:
                shift = (number_w * 72 + 5) * (-1 if style.rtl() else 1)
                ax.annotate(unit, (style.x(0.07), 1), xytext=(shift, -offset),
                            xycoords="axes fraction", textcoords="offset points",
                            ha=style.ha("left"), va="baseline", fontsize=style.LABEL_PT, **bold)
            italic = row["value_kind"] != "exact"
            stack(ax, [
                (style.wrap(fig, row["label"], text_w, style.SMALL_PT), style.SMALL_PT,
                 {"color": style.TEXT}),
                ("", 3, {}),
                (style.wrap(fig, kind_line(row), text_w, style.SMALL_PT,
                            style="italic" if italic else "normal"), style.SMALL_PT,
                 {"color": style.MUTED, "fontstyle": "italic" if italic else "normal"}),
                (style.wrap(fig, date_text(row), text_w, style.SMALL_PT), style.SMALL_PT,
                 {"color": style.MUTED}),
            ], x=0.07, offset=offset + 4, descent=0 if "\n" in unit else style.text_height(
                fig, format_value(row), number_pt, bold)[1])
    alt = gettext("{n} headline figures from the article, each shown as a number in its own "
                  "unit rather than on a shared axis: {figures}.").format(
        n=len(rows), figures=gettext("; ").join(tile_words(r) for _, r in rows.iterrows()))
    table = rows[["figure_id", "label", "value", "amount_text", "unit", "value_kind",
                  "attributed_to", "date", "date_precision", "verdict"]].copy()
    caption = gettext("Headline figures stated in the article; estimates are marked and "
                      "attributed, and no two units share a scale. Each tile's badge is the "
                      "figure's verdict against the public record, as of the article's "
                      "publication.")
    caption += more_note(MAX_TILES, more, in_appendix=True)
    tooltips = {f"tile-{r['figure_id']}": [tile_words(r)] for _, r in rows.iterrows()}
    return Chart(fig, figure_info(data, "key-figures", title, caption, alt), table, tooltips)


def tile_words(row) -> str:
    """What a tile shows, as a sentence: 'Jihadists prevented from leaving: 8,000 jihadists
    (estimate, Interior Ministry, ...), verdict: confirmed'."""
    words = figure_words(row)
    if row["verdict"] in style.VERDICT_COLOURS:
        words += gettext(", verdict: {verdict}").format(verdict=verdict_words(row["verdict"]))
    return words


def _badge(ax, verdict: str) -> float:
    """The verdict's word in white on its colour, in the tile's top corner on the reader's end
    side; returns its width in inches (the number's line keeps clear of it)."""
    badge = ax.annotate(verdict_words(verdict).upper(), (style.x(0.965), 0.955),
                        xycoords="axes fraction", ha=style.ha("right"), va="top",
                        fontsize=style.SMALL_PT, fontweight="bold", color="white",
                        bbox={"boxstyle": "round", "pad": 0.3, "edgecolor": "none",
                              "facecolor": style.VERDICT_COLOURS[verdict]})
    renderer = ax.figure.canvas.get_renderer()
    return badge.get_window_extent(renderer).width / ax.figure.dpi + 0.12
