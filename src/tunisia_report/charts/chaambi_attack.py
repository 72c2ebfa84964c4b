"""The Mount Chaambi attack: killed, injured and their derived total, bars from zero."""

from __future__ import annotations

import pandas as pd

from tunisia_report.charts import style
from tunisia_report.charts.base import (
    Chart,
    bare,
    figure_info,
    figure_rows,
    short_label,
    stack,
    thousands,
    width_in,
)
from tunisia_report.dataset.schema import AUTHOR_VOICE
from tunisia_report.exceptions import DataError
from tunisia_report.text.dates import event_date, format_date
from tunisia_report.text.formatting import format_number, original, source_line
from tunisia_report.text.i18n import gettext, original_quote


def chaambi_attack(data, *, killed_id: str = "chaambi-soldiers-killed",
                   injured_id: str = "chaambi-soldiers-injured",
                   context_id: str = "chaambi-deadliest-since") -> Chart:
    """Killed, injured and their derived total, from zero, with the article's context and date."""
    killed, injured, context = figure_rows(data, [killed_id, injured_id, context_id]).to_dict(
        "records")
    if original(killed, "unit") != original(injured, "unit"):
        raise DataError(f"cannot add {killed['unit']} and {injured['unit']}")
    unit = killed["unit"]
    events = data.events.set_index("event_id")
    if killed["event_id"] not in events.index:
        raise DataError(f"no event {killed['event_id']!r} in events.csv")
    event = events.loc[killed["event_id"]]
    table = pd.DataFrame({
        "figure_id": pd.array([killed_id, injured_id, None], dtype="string"),
        "label": [short_label(killed["label"]), short_label(injured["label"]),
                  gettext("Total (derived)")],
        "value": pd.array([killed["value"], injured["value"],
                           killed["value"] + injured["value"]], dtype="Int64"),
        "unit": unit,
        "derived": [False, False, True],
    })
    if event["date_precision"] == "before":
        when = gettext("Date not given; on or before {date}.").format(
            date=format_date(event["end_date"], "day"))
    else:
        when = gettext("Date: {date}.").format(date=event_date(event))
    title = gettext("{event}: casualties").format(event=event["title"])
    colour = style.FIGURE_CATEGORY_COLOURS["casualties"]
    with style.context():
        fig = style.new_figure(style.HEIGHT_SMALL_IN)
        bottom, top = style.frame(fig, title, source_line(data))
        ax = fig.add_axes((style.x(0.2, 0.4), bottom + 0.16, 0.4, top - bottom - 0.2))
        y = list(range(len(table)))[::-1]
        values = [int(v) for v in table["value"]]
        bars = ax.barh(y, values, height=0.62, color=[colour, colour, "white"],
                       edgecolor=[colour, colour, style.MUTED], linewidth=1.0)
        bars[1].set_alpha(0.55)
        bars[2].set_hatch("////")
        for yi, v in zip(y, values, strict=True):
            ax.text(v + max(values) * 0.02, yi, format_number(v), va="center", ha=style.ha("left"),
                    fontsize=style.LABEL_PT, fontweight="bold", color=style.TEXT)
        ax.set_yticks(y, table["label"], fontsize=style.LABEL_PT)
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0, max(values) * 1.15)
        style.mirror(ax)
        if style.rtl():  # labels at the right, where the bars start
            ax.yaxis.tick_right()
            ax.spines["left"].set_visible(False)
            ax.spines["right"].set_visible(True)
        ax.set_xlabel(unit, fontsize=style.SMALL_PT, color=style.MUTED, loc=style.ha("right"))
        ax.xaxis.set_major_formatter(thousands())
        note = fig.add_axes((style.x(0.66, 0.33), bottom + 0.06, 0.33, top - bottom - 0.1))
        bare(note)
        width = width_in(note)
        who = gettext("the article") if original(context, "attributed_to") == AUTHOR_VOICE else \
            context["attributed_to"]
        quoted = original_quote(context["quote"])
        stack(note, [
            (style.wrap(fig, quoted, width, style.LABEL_PT, style="italic"),
             style.LABEL_PT, {"color": style.TEXT, "fontstyle": "italic"}),
            (gettext("— {who}").format(who=who), style.SMALL_PT, {"color": style.MUTED}),
            ("", 6, {}),
            (style.wrap(fig, when, width, style.SMALL_PT), style.SMALL_PT, {"color": style.TEXT}),
            ("", 3, {}),
            (style.wrap(fig, gettext("Total: killed plus injured, added here; the article "
                                     "states no total."), width, style.SMALL_PT), style.SMALL_PT,
             {"color": style.MUTED}),
        ])
    alt = gettext("Bar chart, {event}: {killed} {unit} killed and {injured} injured, {total} in "
                  "total (derived by adding the two). The article calls it {quote}. {when}").format(
        event=event["title"], killed=format_number(killed["value"]), unit=unit,
        injured=format_number(injured["value"]), total=format_number(table["value"].iloc[2]),
        quote=quoted, when=when)
    caption = gettext("Casualties of the Mount Chaambi attack as the article reports them; the "
                      "total is derived, and the article gives no date.")
    return Chart(fig, figure_info(data, "chaambi-attack", title, caption, alt), table)
