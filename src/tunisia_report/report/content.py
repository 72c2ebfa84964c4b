"""Every sentence of the report, in one place: section titles, the summary, the findings under
the charts, the method, the appendix, and the dataset notebook's prose.

Templates are plain prose filled from the dataset by `tunisia_report.text.narrative.fill`: every
number in them is a placeholder, never typed (a test checks the whole module). Each template is
an English message marked for translation (`gettext`, `ngettext` for one that depends on a
count): `make messages` extracts them into `locale/messages.pot` and the editions' catalogues.
The dataset notebook's prose (the last section) is the project's documentation, in English.
"""

from __future__ import annotations

import pandas as pd

from tunisia_report.dataset.catalogue import hidden_columns
from tunisia_report.dataset.schema import ARTICLE, resources
from tunisia_report.report.sections import SECTIONS  # noqa: F401  (re-exported)
from tunisia_report.text import escape
from tunisia_report.text.dates import format_date, format_month
from tunisia_report.text.formatting import (
    code_words,
    format_number,
    format_value,
    original,
    quoted_list,
    source_short,
    stage_words,
)
from tunisia_report.text.i18n import SOURCE_LANG, active, gettext, ngettext, quote
from tunisia_report.text.narrative import Text, fill, join_texts, lookup

# --- summary and method ----------------------------------------------------------------------


def summary_text(data):
    """The summary of findings, a short paragraph each, every number from the dataset."""
    n_measures = len(data.measures)
    items = [
        gettext("The attack in the Mount Chaambi region killed {fig:chaambi-soldiers-killed} "
                "soldiers and injured {fig:chaambi-soldiers-injured}, the army's deadliest "
                "incident since {fig:chaambi-deadliest-since:words}; the article gives it no "
                "date beyond \"recent\"."),
        gettext("It came after visible gains. By {fig:departures-prevented:attribution}, "
                "{fig:departures-prevented} jihadists were prevented from leaving for Syria and "
                "{fig:networks-dismantled} recruitment networks dismantled; in "
                "{fig:suspects-killed-feb-2014:date} government forces killed "
                "{fig:suspects-killed-feb-2014} suspected terrorists."),
        gettext("Those gains followed a year of political violence: "
                "{fig:opposition-figures-assassinated:words} "
                "prominent opposition figures were assassinated in "
                "{fig:opposition-figures-assassinated:date}, and a technocratic government put "
                "security first."),
        ngettext("The article describes {n_measures} policy measure, from a counter-terrorism "
                 "centre to border cooperation with {place:algeria:name} and "
                 "{place:libya:name}, and argues it will not hold without American and European "
                 "support.",
                 "The article describes {n_measures} policy measures, from a counter-terrorism "
                 "centre to border cooperation with {place:algeria:name} and "
                 "{place:libya:name}, and argues they will not hold without American and "
                 "European support.", n_measures),
        gettext("How to read this report. Every figure the article states carries a footnote "
                "that quotes the article's own words; counts of events and measures are this "
                "report's, computed from the dataset. Estimates are labelled as estimates, with "
                "who made them. Dates are never more precise than the article gives them: an "
                "event known only to the month is drawn as the whole month, and events the "
                "article does not date are shown as happening on or before its publication. "
                "The section \"Data and method\" says what the article leaves out."),
    ]
    return join_texts(*(fill(t, data, n_measures=n_measures) for t in items))


def method_text(data):
    """The 'Data and method' section, with counts computed from the dataset."""
    kinds = data.figures["value_kind"].value_counts()
    counts = {"n_tables": len(data), "n_figures": len(data.figures),
              "n_events": len(data.events), "n_places": len(data.places),
              "n_actors": len(data.actors), "n_measures": len(data.measures),
              "n_estimates": int(kinds.get("estimate", 0)),
              "n_qualitative": int(kinds.get("qualitative", 0))}
    paragraphs = [
        gettext("Every figure and dated event in this report comes from one source, "
                "{source:bechri-2014:author}'s article of {source:bechri-2014:date}, curated by "
                "hand into a Frictionless Data Package of {n_tables} tables: {n_figures} "
                "figures, {n_events} events, {n_places} places, {n_actors} actors and "
                "{n_measures} measures. Each row quotes the article verbatim, and every quote is "
                "checked against the article's text, whose sha256 is recorded, before anything "
                "is drawn or written."),
        ngettext("Estimates. {n_estimates} of the figures is an estimate the article attributes "
                 "to the Interior Ministry; it is labelled as such in every chart and footnote. "
                 "The rest are stated by the author without a source of their own.",
                 "Estimates. {n_estimates} of the figures are estimates the article attributes "
                 "to the Interior Ministry; they are labelled as such in every chart and "
                 "footnote. The rest are stated by the author without a source of their own.",
                 counts["n_estimates"]),
        gettext("What the article does not say. It gives no date for the Mount Chaambi attack "
                "(only \"recent\"), no numbers for {n_qualitative} of the results it reports "
                "(drawn here as words, never as bars), and no breakdown of the Interior "
                "Ministry's figures by year or region. Dates are drawn no more precisely than "
                "the article gives them: a month as a month, a year as a year. The total of "
                "killed and injured at Mount Chaambi is a sum this report computes, labelled as "
                "derived."),
    ]
    if active() != SOURCE_LANG:
        paragraphs.append(gettext(
            "About this edition. The report is written from the same dataset in English, French "
            "and Arabic. The article is in English: its words are quoted as written, marked as "
            "the original, and any translation beside them is this report's."))
    return join_texts(*(fill(t, data, **counts) for t in paragraphs))


# --- the findings under the charts, and the appendix --------------------------------------


def figures_appendix(data) -> Text:
    """Every figure: amount, unit, kind, date, attribution and the article's words, as a table."""
    heads = [gettext("Figure"), gettext("Amount"), gettext("Unit"), gettext("Kind"),
             gettext("Date"), gettext("Attributed to"), gettext("The article's words")]
    rows = []
    for row in data.figures.to_dict("records"):
        amount = format_value(row)
        if pd.notna(row["value"]):
            amount += f" ({quote(original(row, 'amount_text'))})"
        rows.append([row["label"], amount, row["unit"], code_words(row["value_kind"]),
                     format_date(row["date"], row["date_precision"]), row["attributed_to"],
                     quote(row["quote"])])
    md = ["| " + " | ".join(escape.markdown(h) for h in heads) + " |",
          "|" + "|".join("---" for _ in heads) + "|"]
    md += ["| " + " | ".join(escape.markdown(c) for c in r) + " |" for r in rows]
    cells = "".join("<tr>" + "".join(f"<td>{escape.html_text(c)}</td>" for c in r) + "</tr>"
                    for r in rows)
    html = ('<table class="figures-appendix"><thead><tr>'
            + "".join(f"<th>{escape.html_text(h)}</th>" for h in heads)
            + f"</tr></thead><tbody>{cells}</tbody></table>")
    plain = "\n".join(" | ".join(r) for r in [heads, *rows])
    caption = fill(gettext("Every figure the article states, as recorded in the dataset. "
                           "Source: {source:bechri-2014:title}, {source_short}."), data,
                   source_short=source_short(data, ARTICLE))
    return Text(caption.markdown + "\n\n" + "\n".join(md), caption.html + html,
                caption.plain + "\n\n" + plain)


def finding_casualties(data) -> Text:
    """The Mount Chaambi attack and the assassinations before it, in figures."""
    killed, injured = (lookup(data, "fig", f) for f in
                       ("chaambi-soldiers-killed", "chaambi-soldiers-injured"))
    total = format_number(killed["value"] + injured["value"])
    return fill(gettext(
        "The attack in the Mount Chaambi region left {fig:chaambi-soldiers-killed} "
        "{fig:chaambi-soldiers-killed:unit} dead and {fig:chaambi-soldiers-injured} injured, "
        "{total} casualties in all (a sum the article does not state itself): the deadliest "
        "incident for the Tunisian army since {fig:chaambi-deadliest-since:words}. The article "
        "gives no date for the attack; it happened {event:chaambi-attack:date}. In "
        "{event:assassinations-2013:date}, {fig:opposition-figures-assassinated:words} prominent "
        "opposition figures had been assassinated."),
        data, total=total)


def finding_counter_terrorism(data) -> Text:
    """The counter-terrorism results, numbers and words, with who reported them."""
    ct = data.figures[data.figures["category"] == "counter-terrorism"]
    words_only = int(ct["value"].isna().sum())
    first = gettext(
        "According to {fig:departures-prevented:attribution}, {fig:departures-prevented} "
        "{fig:departures-prevented:unit} have been prevented from leaving the country and "
        "{fig:networks-dismantled} {fig:networks-dismantled:unit} that recruit and transport "
        "young men to Syria dismantled. In "
        "{event:february-2014-operation:date} government forces killed "
        "{fig:suspects-killed-feb-2014} {fig:suspects-killed-feb-2014:unit}.")
    second = ngettext(
        "Of the {n} counter-terrorism results the article reports, {words_only} comes without a "
        "number: {fig:border-crossings-foiled:words} border crossing attempts foiled, "
        "{fig:weapons-seized:words} of weapons seized, and what "
        "{fig:arrests-kerry:attribution} called “{fig:arrests-kerry:words}” arrests.",
        "Of the {n} counter-terrorism results the article reports, {words_only} come without a "
        "number: {fig:border-crossings-foiled:words} border crossing attempts foiled, "
        "{fig:weapons-seized:words} of weapons seized, and what "
        "{fig:arrests-kerry:attribution} called “{fig:arrests-kerry:words}” arrests.",
        words_only)
    return fill(first + " " + second, data, words_only=words_only, n=len(ct))


def finding_timeline(data) -> Text:
    """How the article dates its events: how many, how precisely, and the busiest month."""
    events = data.events
    precision = events["date_precision"].value_counts()
    months = events[events["date_precision"] == "month"]
    busiest = months.groupby(months["start_date"].dt.to_period("M")).size()
    month = busiest.idxmax() if len(busiest) else None
    in_month = list(months[months["start_date"].dt.to_period("M") == month]["title"])
    first = ngettext(
        "The article dates {n} event: {day} to the day, {month_n} only to the month and "
        "{year} only to the year; {before} carry no date at all and are known only to precede "
        "publication ({event:article-published:date}).",
        "The article dates {n} events: {day} to the day, {month_n} only to the month and "
        "{year} only to the year; {before} carry no date at all and are known only to precede "
        "publication ({event:article-published:date}).", len(events))
    second = ngettext("{busiest_month} is the busiest month, with {busiest_n} event: "
                      "{busiest_titles}.",
                      "{busiest_month} is the busiest month, with {busiest_n} events: "
                      "{busiest_titles}.", len(in_month))
    return fill(
        first + " " + second,
        data, n=len(events), day=int(precision.get("day", 0)),
        month_n=int(precision.get("month", 0)), year=int(precision.get("year", 0)),
        before=int(precision.get("before", 0)),
        busiest_month=format_month(month.to_timestamp()) if month is not None else "None",
        busiest_n=len(in_month), busiest_titles=quoted_list(in_month))


def finding_measures(data) -> Text:
    """How far the policy measures had got, and which involve a partner country."""
    measures = data.measures
    stages = measures["stage"].value_counts()
    names = data.places.set_index("place_id")["name"]
    partnered = measures.dropna(subset=["partner_place_id"])
    with_partner = quoted_list(
        gettext("{name} ({partner}, {stage})").format(
            name=r.name, partner=names[r.partner_place_id], stage=stage_words(r.stage))
        for r in partnered.itertuples())
    counts = gettext(", ").join(
        gettext("{count} {stage}").format(count=format_number(stages[s]), stage=stage_words(s))
        for s in measures["stage"].cat.categories[::-1] if stages.get(s, 0))
    first = ngettext("The article describes {n} policy measure: {counts}.",
                     "The article describes {n} policy measures: {counts}.", len(measures))
    second = ngettext("{n_partner} involves a partner country: {with_partner}.",
                      "{n_partner} involve a partner country: {with_partner}.", len(partnered))
    return fill(first + " " + second, data, n=len(measures), counts=counts,
                n_partner=len(partnered), with_partner=with_partner)


# --- the dataset notebook --------------------------------------------------------------------


def package_markdown(data) -> str:
    """A paragraph on the package: title, licence and the sources with their citations."""
    d = data.descriptor
    lines = [f"**{escape.markdown(d['title'])}**", "", escape.markdown(d["description"]), ""]
    licence = ", ".join(lic.get("title", lic["name"]) for lic in d.get("licenses", []))
    lines.append(f"Licence of the curated tables: {escape.markdown(licence)}.")
    lines += ["", "Sources:", ""]
    for row in data.sources.itertuples():
        lines.append(f"- `{row.source_id}`: {escape.markdown(row.citation)} "
                     f"(file `{row.path}`, sha256 `{row.sha256[:12]}…`)")
    return "\n".join(lines)


def resource_markdown(data, name: str) -> str:
    """Heading, description, row count and field units of one resource."""
    resource = next(r for r in resources(data.descriptor) if r.name == name)
    meta = next(r for r in data.descriptor["resources"] if r["name"] == name)
    frame = data[name]
    lines = [f"### `{name}`: {len(frame)} rows", "", escape.markdown(meta["description"]), ""]
    for field in resource.fields:
        lines.append(f"- `{field['name']}` ({field.get('type', 'string')}): "
                     f"{escape.markdown(field.get('description', ''))}")
    return "\n".join(lines)



def finding_markdown(data) -> str:
    """A one-paragraph finding on what the dataset holds, computed from it."""
    figures, events = data.figures, data.events
    kinds = figures["value_kind"].value_counts()
    dated = events.dropna(subset=["start_date"]).sort_values("start_date")
    first, last = dated.iloc[0], events.sort_values("end_date").iloc[-1]
    span = (f"{format_date(first.start_date, first.date_precision)} and "
            f"{format_date(last.end_date, last.date_precision)}")
    undated = int((events["date_precision"] == "before").sum())
    return (
        f"The article states {len(figures)} figures: {kinds.get('exact', 0)} given as facts, "
        f"{kinds.get('estimate', 0)} as estimates and {kinds.get('qualitative', 0)} only in "
        f"words. It dates {len(events)} events between {span}; "
        f"{undated} of them carry no date of their own and are known only to precede the "
        f"article. It names {len(data.actors)} actors, {len(data.places)} places and "
        f"{len(data.measures)} policy measures. Every row's quote was found verbatim in the "
        f"article and every source file matches its recorded sha256."
    )


def view_note(data, name: str) -> str:
    """Which columns the view leaves out, and where to find them."""
    hidden = hidden_columns(data, name)
    if not hidden:
        return ""
    return (f"Shown: {len(data[name].columns) - len(hidden)} of {len(data[name].columns)} "
            f"columns; `data/{name}.csv` also has " + ", ".join(f"`{c}`" for c in hidden) + ".")
