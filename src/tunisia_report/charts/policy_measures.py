"""The policy measures by kind and partner, on a planned-to-in-place track."""

from __future__ import annotations

import pandas as pd

from tunisia_report.charts import style
from tunisia_report.charts.base import Chart, bare, figure_info, first_rows, more_note
from tunisia_report.exceptions import DataError
from tunisia_report.text.formatting import code_words, source_line, stage_words
from tunisia_report.text.i18n import gettext

MAX_MEASURES = 10  # rows that fit the chart's height with their names wrapped on two lines


def policy_measures(data) -> Chart:
    """Each measure by kind and partner country, with how far it had got (planned to in place)."""
    if data.measures.empty:
        raise DataError("no policy measures in measures.csv")
    places = data.places.set_index("place_id")["name"]
    stages = list(data.measures["stage"].cat.categories)
    table = data.measures.copy()
    table["partner"] = pd.array([places.get(p, p) if pd.notna(p) else None
                                 for p in table["partner_place_id"]], dtype="string")
    table["stage_rank"] = table["stage"].cat.codes.astype(int)
    table = table.assign(kind_rank=table["kind"].cat.codes).sort_values(
        ["kind_rank", "stage_rank", "measure_id"]).reset_index(drop=True)
    table, more = first_rows(table[["measure_id", "name", "kind", "partner", "stage",
                                    "stage_rank"]], MAX_MEASURES)
    title = gettext("The security agenda: measures, partners and how far they had got")
    colour = style.PALETTE["blue"]
    with style.context():
        fig = style.new_figure(style.HEIGHT_MEDIUM_IN * (1.45 if style.narrow() else 1))
        bottom, top = style.frame(fig, title, source_line(data))
        width = fig.get_figwidth() * 0.976
        ax = fig.add_axes((0.012, bottom + 0.01, 0.976, top - bottom - 0.02))
        bare(ax)
        n = len(table)
        # x in inches, from the right in a right-to-left edition: a table, whose columns (the
        # stage track among them) read from the right (style.py: the rule for every chart)
        ax.set_xlim((width, 0) if style.rtl() else (0, width))
        ax.set_ylim(n - 0.45, -1.6)
        # On a phone (`style.narrow`) the kind and partner go under the measure's name.
        x_kind, x_partner, x_stage = (2.35, 3.45, 4.4) if not style.narrow() else (0, 0, 2.05)
        step = (width - 0.3 - x_stage) / (len(stages) - 1)
        stage_x = [x_stage + step * i for i in range(len(stages))]
        head = {"color": style.TEXT, "fontweight": "bold", "fontsize": style.SMALL_PT,
                "va": "bottom"}
        columns = ((0, gettext("Measure")), (x_kind, gettext("Kind")),
                   (x_partner, gettext("Partner")))
        for x, text in columns[:1] if style.narrow() else columns:
            ax.text(x, -0.62, text, ha=style.ha("left"), **head)
        ax.text((stage_x[0] + stage_x[-1]) / 2, -1.35, gettext("Stage reached"), ha="center",
                **head)
        for x, s in zip(stage_x, stages, strict=True):
            ax.text(x, -0.62, style.wrap(fig, stage_words(s), step - 0.08, style.SMALL_PT),
                    ha="center", linespacing=1.1,
                    **{**head, "fontweight": "normal", "color": style.MUTED})
        ax.plot([0, width], [-0.5, -0.5], color=style.TEXT, linewidth=0.6)
        cell = {"va": "center", "fontsize": style.SMALL_PT, "color": style.TEXT,
                "linespacing": 1.1, "ha": style.ha("left")}
        for i, row in table.iterrows():
            kind = code_words(row["kind"])
            kind = kind[:1].upper() + kind[1:]
            has_partner = pd.notna(row["partner"])
            partner = row["partner"] if has_partner else gettext("none stated")
            if style.narrow():
                ax.text(0, i, style.wrap(fig, row["name"], x_stage - 0.15, style.SMALL_PT)
                        + "\n" + style.wrap(fig, f"{kind} · {partner}", x_stage - 0.15,
                                             style.SMALL_PT), **cell)
            else:
                ax.text(0, i, style.wrap(fig, row["name"], x_kind - 0.15, style.SMALL_PT),
                        **cell)
                ax.text(x_kind, i, style.wrap(fig, kind, x_partner - x_kind - 0.1,
                                              style.SMALL_PT), **cell)
                ax.text(x_partner, i, partner,
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
    alt = gettext("Table of the {n} policy measures the article describes, with kind, partner "
                  "country and stage (from {first} to {last}): {measures}.").format(
        n=n, first=stage_words(stages[0]), last=stage_words(stages[-1]),
        measures=gettext("; ").join(measure_words(r) for _, r in table.iterrows()))
    caption = gettext("Policy measures the article describes, by kind and partner country, and "
                      "how far each had got by publication.") + more_note(MAX_MEASURES, more)
    tooltips = {f"stage-{r['measure_id']}": [measure_words(r)] for _, r in table.iterrows()}
    return Chart(fig, figure_info(data, "policy-measures", title, caption, alt), table, tooltips)


def measure_words(row) -> str:
    """'Border surveillance with Algeria (security, partner Algeria, under way)'."""
    return gettext("{name} ({kind}, {partner}, {stage})").format(
        name=row["name"], kind=code_words(row["kind"]), stage=stage_words(row["stage"]),
        partner=gettext("partner {name}").format(name=row["partner"])
        if pd.notna(row["partner"]) else gettext("no partner"))
