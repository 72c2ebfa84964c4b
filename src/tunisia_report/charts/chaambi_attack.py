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
from tunisia_report.text.formatting import format_number, source_line


def chaambi_attack(data, *, killed_id: str = "chaambi-soldiers-killed",
                   injured_id: str = "chaambi-soldiers-injured",
                   context_id: str = "chaambi-deadliest-since") -> Chart:
    """Killed, injured and their derived total, from zero, with the article's context and date."""
    killed, injured, context = figure_rows(data, [killed_id, injured_id, context_id]).to_dict(
        "records")
    if killed["unit"] != injured["unit"]:
        raise DataError(f"cannot add {killed['unit']} and {injured['unit']}")
    unit = killed["unit"]
    event = data.events.set_index("event_id").loc[killed["event_id"]]
    table = pd.DataFrame({
        "figure_id": pd.array([killed_id, injured_id, None], dtype="string"),
        "label": [short_label(killed["label"]), short_label(injured["label"]),
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
        ax.xaxis.set_major_formatter(thousands())
        note = fig.add_axes((0.66, bottom + 0.06, 0.33, top - bottom - 0.1))
        bare(note)
        width = width_in(note)
        who = "the article" if context["attributed_to"] == AUTHOR_VOICE else \
            context["attributed_to"]
        stack(note, [
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
    return Chart(fig, figure_info(data, "chaambi-attack", title, caption, alt), table)
