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
from tunisia_report.dataset.verdicts import VERDICT_WORDS, claims, reports_with_sources
from tunisia_report.exceptions import DataError
from tunisia_report.report.sections import SECTIONS  # noqa: F401  (re-exported)
from tunisia_report.text import escape
from tunisia_report.text.dates import event_date, format_date, format_month, format_span
from tunisia_report.text.formatting import (
    code_words,
    format_number,
    format_value,
    original,
    publisher,
    quoted_list,
    source_short,
    stage_words,
    word_list,
)
from tunisia_report.text.i18n import N_, SOURCE_LANG, active, gettext, ngettext, quote
from tunisia_report.text.narrative import Text, fill, join_texts, lookup, source_citations

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
    reading = items.pop()  # how to read the report comes last
    texts = [fill(t, data, n_measures=n_measures) for t in items]
    if len(data.reports):  # the brief's one sentence on the record (the summary is in the brief)
        texts.append(fill(gettext(
            "Checked against {n_reports} reports by {n_publishers} other publishers and judged "
            "as of its publication, the article's {n_claims} claims come out as follows: "
            "accurate, {n_accurate}; right with a qualification (out of date, later revised or "
            "imprecise), {n_qualified}; inaccurate, {n_inaccurate}; unverifiable, "
            "{n_unverifiable}."),
            data, **verdict_counts(data)))
    if len(data.get("theses", ())):  # the brief's one sentence on what came after
        from tunisia_report.report.aftermath import summary_sentence

        texts.append(fill(summary_sentence(data).replace("{", "{{").replace("}", "}}"), data))
    return join_texts(*texts, fill(reading, data, n_measures=n_measures))


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
    partnered = measures.dropna(subset=["partner_place_id"])
    names = {r.place_id: r.name for r in data.places.itertuples()}
    missing = sorted(set(partnered["partner_place_id"]) - set(names))
    if missing:
        raise DataError(f"no place {missing[0]!r} in places.csv")
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
    lines += ["", "Sources stored with the package (their text or data is in `data/`):", ""]
    stored = data.sources[data.sources["path"].notna()]
    entries = source_citations(data).entry
    for row in stored.itertuples():
        lines.append(f"- {escape.code(row.source_id)}: {entries[row.source_id].markdown} "
                     f"(file {escape.code(row.path)}, sha256 {escape.code(row.sha256[:12] + '…')})")
    online = data.sources[data.sources["path"].isna()]
    if len(online):
        kinds = online["kind"].value_counts()
        listed = ", ".join(f"{n} {str(k).replace('-', ' ')}" for k, n in kinds.items() if n)
        lines += ["", f"The public record: {len(online)} further sources ({listed}), read online "
                  f"and not stored; each row of `sources` gives its publisher, the newsroom that "
                  f"wrote it, its dates published and accessed and its URL. `reports` holds "
                  f"{len(data.reports)} statements they make about the article's figures and "
                  f"events, in the project's own words, each naming its source."]
    return "\n".join(lines)


def record_after_markdown(data) -> str:
    """Where the record after the article comes from and how it is counted (the dataset
    notebook's documentation of `attacks`, `tolls`, `departures`, `outcomes`, `assistance`,
    `theses` and `corroborations`)."""
    if "theses" not in data:
        return ""
    from tunisia_report.dataset import aftermath

    channels = aftermath.fact_channels(data)
    used = set()
    for name in ("attacks", "tolls", "departures", "outcomes", "assistance", "corroborations"):
        used |= set(data[name]["source_id"].dropna())
    kinds = data.sources[data.sources["source_id"].isin(used)]["kind"].astype(str).value_counts()
    listed = ", ".join(f"{n} {k.replace('-', ' ')}" for k, n in kinds.items() if n)
    two = int((channels["n_channels"] >= 2).sum())
    return (
        f"**The record after the article.** {len(data.theses)} theses quote the article "
        f"verbatim, each with the rule that tests it (`tunisia_report.dataset.aftermath` "
        f"documents the rules). The facts that test them come from {len(used)} sources ({listed}), "
        f"read online and recorded in the project's own words: {len(data.attacks)} attacks with "
        f"{len(data.tolls)} tolls as each source counts them, {len(data.departures)} estimates of "
        f"departures, {len(data.outcomes)} dated outcomes and {len(data.assistance)} items of "
        f"assistance; `corroborations` adds {len(data.corroborations)} further sources to them. "
        f"Every fact row carries the date it was stated (`stated_date` at `stated_precision`) "
        f"and who first gave it (`originator`), distinct from the date its page was published. "
        f"Independence is counted in channels, an originator through a newsroom; aggregators, "
        f"mirrors and wikis count for none. Of {len(channels)} facts, {two} rest on two or more "
        f"independent channels. Coordinates of the attacks' places each name their source."
    )


def resource_markdown(data, name: str) -> str:
    """Heading, description, row count and field units of one resource."""
    resource = next(r for r in resources(data.descriptor) if r.name == name)
    meta = next(r for r in data.descriptor["resources"] if r["name"] == name)
    frame = data[name]
    lines = [f"### {escape.code(name)}: {len(frame)} rows", "",
             escape.markdown(meta.get("description", "")), ""]
    for field in resource.fields:
        kind = escape.markdown(field.get("type", "string"))
        lines.append(f"- {escape.code(field['name'])} ({kind}): "
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


# --- how the article holds up -----------------------------------------------------------------

SOURCES_HEAD = N_("Sources of the record, numbered as in the table: publisher, title (where the "
                  "stored copy shows it), date published, URL and date accessed.")

CORROBORATION = N_(
    "The article makes {n_claims} claims that the public record can test: {n_figures} figures "
    "and {n_events} events. They are set against {n_reports} reports by {n_publishers} "
    "publishers, which come down to {n_channels} independent channels: one originator through "
    "one newsroom counts once, and copies, mirrors and wikis count for nothing. Judged as of the "
    "article's publication: accurate, {n_accurate}; accurate but out of date, {n_outdated}; "
    "first count, later revised, {n_revised}; imprecise, {n_imprecise}; inaccurate, "
    "{n_inaccurate}; unverifiable, {n_unverifiable}. Claims resting on two or more independent "
    "channels: {n_two}. Inaccurate: {inaccurate}. Unverifiable: {unverifiable}. Every report "
    "is kept where sources disagree; each verdict says why."
)


def verdict_counts(data) -> dict:
    """How many claims have each verdict, and the size of the record behind them."""
    table = claims(data)
    verdicts = table["verdict"].value_counts()
    reports = reports_with_sources(data)
    counts = {f"n_{v}": int(verdicts.get(v, 0)) for v in VERDICT_WORDS}
    return {**counts, "n_claims": len(table), "n_reports": len(reports),
            "n_qualified": counts["n_outdated"] + counts["n_revised"] + counts["n_imprecise"],
            "n_publishers": reports["producer"].map(publisher).nunique(),
            "n_channels": len(set(reports.loc[reports["counts"], "channel"])),
            "n_figures": int((table["kind"] == "figure").sum()),
            "n_events": int((table["kind"] == "event").sum()),
            "n_two": int(((table["n_channels"] >= 2)
                          & (table["verdict"] != "inaccurate")).sum())}


def _article_claim(data, claim) -> str:
    """What the article says: the amount, or the date and place."""
    if claim["kind"] == "figure":
        row = lookup(data, "fig", claim["claim_id"])
        words = gettext("“{words}”").format(words=row["amount_text"])
        if original(row, "unit") == "year":
            return words
        if pd.isna(row["value"]):
            return f"{words} ({row['unit']})"
        return gettext("{amount} {unit}").format(amount=format_value(row), unit=row["unit"])
    row = lookup(data, "event", claim["claim_id"])
    where = lookup(data, "place", row["place_id"])["name"] if pd.notna(row["place_id"]) else ""
    return ", ".join(x for x in (event_date(row), where) if x)


def _record_claim(data, claim) -> str:
    """What the record says: numbers most often given first, or its dates and place."""
    if claim["kind"] == "figure":
        if not claim["values"]:
            return gettext("in words only") if claim["n_reports"] else "–"
        unit = original(lookup(data, "fig", claim["claim_id"]), "unit")
        (top, n), *others = claim["values"]
        text = gettext("{number} ({n} of {total})").format(
            number=format_number(top, unit), n=format_number(n),
            total=format_number(sum(c for _, c in claim["values"])))
        if others:
            text += gettext("; also {numbers}").format(
                numbers=gettext(", ").join(format_number(v, unit) for v, _ in others))
        return text
    names = data.actors.set_index("actor_id")["name"]
    dates = []
    for found in claim["record_dates"]:
        when = format_span(found["start"], found["end"], found["precision"])
        who = f" ({names[found['actor_id']]})" if found["actor_id"] else ""
        dates.append(gettext("{when}{who}, {n} of {total}").format(
            when=when, who=who, n=format_number(found["n"]), total=format_number(found["of"])))
    reports = data.reports[data.reports["event_id"] == claim["claim_id"]]
    outside = reports[reports["place_relation"] == "outside"]["place"]
    place = ([gettext("elsewhere: {place}").format(place=outside.value_counts().index[0])]
             if len(outside) else [])
    return gettext("; ").join(dates + place) or (gettext("no date") if claim["n_reports"]
                                                  else "–")


def _source_order(table) -> list[str]:
    """The record's sources in order of first citation in the claims table (their numbers)."""
    order: list[str] = []
    for source_ids in table["source_ids"]:
        order += [s for s in source_ids if s not in order]
    return order


def corroboration_sources(data) -> Text:
    """The numbered list of the record's sources that the claims table cites."""
    entries = source_citations(data).entry  # citeproc's, in the report's CSL style
    notes = [entries[s] for s in _source_order(claims(data))]
    head = gettext(SOURCES_HEAD)
    md = [escape.markdown(head), ""]
    md += [f"{n}. [{note.markdown}]{{#source-{n}}}" for n, note in enumerate(notes, 1)]
    html = (f"<p>{escape.html_text(head)}</p>" + '<ol class="sources">'
            + "".join(f'<li id="source-{n}">{note.html}</li>'
                      for n, note in enumerate(notes, 1)) + "</ol>")
    plain = "\n".join([head, *(f"{n}. {note.plain}" for n, note in enumerate(notes, 1))])
    return Text("\n".join(md), f'<div class="narrative">{html}</div>', plain)


def corroboration_text(data) -> Text:
    """The paragraph, then the table of every claim with the article's and the record's
    values, the verdict and the sources, numbered as in `corroboration_sources`."""
    table = claims(data)
    counts = verdict_counts(data)
    paragraph = fill(gettext(CORROBORATION), data, **counts,
                     inaccurate=_listing(table.loc[table["verdict"] == "inaccurate", "label"]),
                     unverifiable=_listing(table.loc[table["verdict"] == "unverifiable",
                                                     "label"]))
    heads = [gettext("Claim"), gettext("The article"), gettext("The record"), gettext("Verdict"),
             gettext("Sources")]
    order = _source_order(table)
    rows = []
    for claim in table.to_dict("records"):
        refs = [order.index(source_id) + 1 for source_id in claim["source_ids"]]
        support = (ngettext("{n} independent channel", "{n} independent channels",
                            claim["n_channels"]).format(n=claim["n_channels"])
                   if claim["n_reports"] else gettext("none found"))
        word = VERDICT_WORDS[claim["verdict"]]
        verdict = gettext("{verdict}. {reason}").format(verdict=gettext(word),
                                                        reason=claim["reason"])
        cells = [claim["label"], _article_claim(data, claim), _record_claim(data, claim),
                 verdict, support]
        rows.append((cells, refs))
    # The sources are numbered endnotes: Typst cannot tag footnotes inside table cells.
    md = ["| " + " | ".join(escape.markdown(h) for h in heads) + " |",
          "|" + "|".join("---" for _ in heads) + "|"]
    md += ["| " + " | ".join(escape.markdown(c) for c in cells[:-1])
           + f" | {escape.markdown(cells[-1])}{_refs(refs, 'markdown')} |"
           for cells, refs in rows]
    body = "".join("<tr>" + "".join(f"<td>{escape.html_text(c)}</td>" for c in cells[:-1])
                   + f"<td>{escape.html_text(cells[-1])}{_refs(refs, 'html')}</td></tr>"
                   for cells, refs in rows)
    html = ('<table class="corroboration"><thead><tr>'
            + "".join(f"<th>{escape.html_text(h)}</th>" for h in heads)
            + f"</tr></thead><tbody>{body}</tbody></table>")
    plain = "\n".join(" | ".join([*c[:-1], c[-1] + _refs(r)]) for c, r in [(heads, []), *rows])
    return Text(paragraph.markdown + "\n\n" + "\n".join(md), paragraph.html + html,
                paragraph.plain + "\n\n" + plain)


def _refs(numbers: list[int], form: str = "plain") -> str:
    """': sources 1–3, 7' for the numbers of the sources list; '' for none. In Markdown and
    HTML (`form`) each number links to its entry (``#source-N``, see `corroboration_sources`)."""
    def number(n: int) -> str:
        if form == "markdown":
            return f"[{n}](#source-{n})"
        if form == "html":
            return f'<a href="#source-{n}">{n}</a>'
        return str(n)

    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{number(r[0])}–{number(r[-1])}" if len(r) > 1 else number(r[0]) for r in runs]
    if not parts:
        return ""
    words = {"markdown": escape.markdown, "html": escape.html_text}.get(form, str)
    head, tail = gettext(": sources {numbers}").split("{numbers}")
    return words(head) + words(gettext(", ")).join(parts) + words(tail)


def _listing(items) -> str:
    """'a, b and c' (no quotation marks), or 'none'."""
    return word_list(items) or gettext("none")
