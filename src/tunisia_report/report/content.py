"""The report's computed prose: the values its written prose reads (`VALUES`, for ``ref``), and
the sentences that are computed rather than written: counts' sentences, the timeline and
measures findings, and the appendix.

The written prose (summary, findings under the charts, method) is in notebooks/report.ipynb's
Markdown cells. Templates here are plain prose filled from the dataset by
`tunisia_report.text.narrative.fill`: every number in them is a placeholder, never typed (a test
checks the whole module). Each template is an English message marked for translation
(`gettext`, `ngettext` for one that depends on a count): `make messages` extracts them into
`locale/messages.pot` and the editions' catalogues, beside the notebook's paragraphs. What a
template here says depends on the data (a plural, a list, a verdict), so it is computed; the
summary's bottom line, corrections, theses and policy line are `report.summary`'s, the
section "How the article holds up" is `report.corroboration`'s, the dataset notebook's prose
`report.dataset_page`'s.
"""

from __future__ import annotations

import pandas as pd

from tunisia_report.dataset.schema import ARTICLE
from tunisia_report.exceptions import DataError
from tunisia_report.report import corroboration
from tunisia_report.report.corroboration import (  # noqa: F401  (the first two re-exported)
    corroboration_sources,
    corroboration_text,
    verdict_counts,
)
from tunisia_report.report.sections import SECTIONS  # noqa: F401  (re-exported)
from tunisia_report.report.summary import (  # noqa: F401  (re-exported for the notebooks)
    summary_bottom_line,
    summary_corrections,
    summary_policy,
    summary_theses,
)
from tunisia_report.text import escape
from tunisia_report.text.dates import format_date, format_day, format_month
from tunisia_report.text.formatting import (
    code_words,
    format_number,
    format_value,
    original,
    quoted_list,
    source_short,
    stage_count,
    stage_words,
    word_list,
)
from tunisia_report.text.i18n import SOURCE_LANG, active, gettext, isolate, ngettext, quote
from tunisia_report.text.narrative import Text, fill, lookup

# --- the values the written prose reads, and the computed sentences of summary and method ----
# The written prose is in notebooks/report.ipynb's Markdown cells; it reads the dataset through
# `ref(...)` (`report.inline`): a row's field, or one of these computed values by name.


def _count(table: str):
    return lambda data: len(data[table])


def _value_kind(kind: str):
    return lambda data: int((data.figures["value_kind"] == kind).sum())


def casualties_total(data) -> str:
    """Killed and injured at Mount Chaambi, a sum the article does not state."""
    killed, injured = (lookup(data, "fig", f) for f in
                       ("chaambi-soldiers-killed", "chaambi-soldiers-injured"))
    return format_number(killed["value"] + injured["value"])


def measures_phrase(data) -> str:
    """'10 policy measures' (plural forms per language)."""
    n = len(data.measures)
    return ngettext("{n} policy measure", "{n} policy measures", n).format(n=format_number(n))


def _counter_terrorism(data):
    return data.figures[data.figures["category"] == "counter-terrorism"]


def without_number_phrase(data) -> str:
    """'3 come without a number': the counter-terrorism results stated only in words."""
    n = int(_counter_terrorism(data)["value"].isna().sum())
    return ngettext("{n} comes without a number", "{n} come without a number", n).format(
        n=format_number(n))


def _after(name: str):
    """One count of "What happened next"'s opening paragraph (`aftermath.intro_values`)."""
    from tunisia_report.report.aftermath import intro_values

    return lambda data: intro_values(data)[name]


def search_log(data) -> pd.DataFrame:
    """The queries the public record was searched with (`searches`); a DataError without
    them, which leaves the paragraph that needs them out."""
    log = data.get("searches")
    if log is None or not len(log):
        raise DataError("the dataset has no search log (searches.csv)")
    return log


def search_languages(data) -> str:
    """'English, French and Arabic': the languages of the queries, in the schema's order."""
    langs = search_log(data)["lang"]
    return word_list(code_words(c) for c in langs.cat.categories if (langs == c).any())


def search_scope(data) -> str:
    """'all 20 of the article's claims', or '18 of the article's 20 claims'."""
    searched, n = search_log(data)["claim_id"].nunique(), len(data.claims)
    if searched == n:
        return gettext("all {n} of the article's claims").format(n=format_number(n))
    return gettext("{searched} of the article's {n} claims").format(
        searched=format_number(searched), n=format_number(n))


def searched_on(data) -> str:
    """The day the queries were last run."""
    return format_day(search_log(data)["date_searched"].max())


def record_sources(data) -> pd.DataFrame:
    """The sources the reports cite; a DataError without reports, which leaves out the passages
    that tell how the record was gathered."""
    if not len(data.reports):
        raise DataError("the dataset has no reports (reports.csv)")
    return data.sources[data.sources["source_id"].isin(data.reports["source_id"])]


def n_reports(data) -> int:
    """How many statements of the public record are recorded (a DataError without any)."""
    record_sources(data)
    return len(data.reports)


def last_checked(data, record: pd.DataFrame):
    """When the record was last checked: the later of its sources' last access and the last
    run of the search log."""
    days = [record["date_accessed"].max()]
    if len(data.get("searches", ())):
        days.append(data.searches["date_searched"].max())
    return max(d for d in days if pd.notna(d))


CORRECTIONS_FILE = "CORRECTIONS.md"  # the repository's list of corrections, with their dates


VALUES = {
    "total": casualties_total,
    "measures": measures_phrase,
    "n_results": lambda data: len(_counter_terrorism(data)),
    "without_number": without_number_phrase,
    "n_tables": len,
    "n_figures": _count("figures"), "n_events": _count("events"), "n_places": _count("places"),
    "n_actors": _count("actors"), "n_measures": _count("measures"),
    "n_qualitative": _value_kind("qualitative"),
    **{name: _after(name) for name in (
        "after_end", "after_theses", "after_attacks", "after_estimates", "after_outcomes",
        "census_searches",
        "after_assistance", "after_facts", "after_facts_two")},
    "n_searches": lambda data: len(search_log(data)),
    "search_scope": search_scope,
    "search_tables": lambda data: search_log(data)["resource"].dropna().nunique(),
    "search_languages": search_languages,
    "searched_on": searched_on,
    "search_results": lambda data: int(search_log(data)["results"].sum()),
    "search_in_record": lambda data: int(search_log(data)["in_record"].sum()),
    "n_record_sources": lambda data: len(record_sources(data)),
    "n_reports": n_reports,
    "last_checked": lambda data: format_day(last_checked(data, record_sources(data))),
    "corrections_file": lambda data: isolate(CORRECTIONS_FILE),
    **corroboration.VALUES,
}


def method_estimates(data) -> Text:
    """How many figures are estimates, and whose."""
    n = _value_kind("estimate")(data)
    return fill(ngettext(
        "Estimates. {n_estimates} of the figures is an estimate the article attributes "
        "to the Interior Ministry; it is labelled as such in every chart and footnote. "
        "The rest are stated by the author without a source of their own.",
        "Estimates. {n_estimates} of the figures are estimates the article attributes "
        "to the Interior Ministry; they are labelled as such in every chart and "
        "footnote. The rest are stated by the author without a source of their own.", n),
        data, n_estimates=n)


def edition_note(data) -> Text | None:
    """What a translated edition says about its quotes (None in English)."""
    if active() == SOURCE_LANG:
        return None
    return fill(gettext(
        "About this edition. The report is written from the same dataset in English, French "
        "and Arabic. The article is in English: its words are quoted as written, marked as "
        "the original, and any translation beside them is this report's."), data)


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
    values = {"n": len(events), "day": int(precision.get("day", 0)),
              "month_n": int(precision.get("month", 0)), "year": int(precision.get("year", 0)),
              "before": int(precision.get("before", 0))}
    if month is None:  # no event dated only to the month: no busiest month to name
        return fill(first, data, **values)
    second = ngettext("{busiest_month} is the busiest month, with {busiest_n} event: "
                      "{busiest_titles}.",
                      "{busiest_month} is the busiest month, with {busiest_n} events: "
                      "{busiest_titles}.", len(in_month))
    return fill(first + " " + second, data, **values,
                busiest_month=format_month(month.to_timestamp()),
                busiest_n=len(in_month), busiest_titles=quoted_list(in_month))


def finding_measures(data) -> Text:
    """How far the policy measures had got, and which involve a partner country."""
    measures = data.measures
    if measures.empty:  # never "0 policy measures: ."
        return fill(gettext("The article describes no policy measures."), data)
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
        stage_count(s, stages[s])
        for s in measures["stage"].cat.categories[::-1] if stages.get(s, 0))
    first = ngettext("The article describes {n} policy measure: {counts}.",
                     "The article describes {n} policy measures: {counts}.", len(measures))
    second = ngettext("{n_partner} involves a partner country: {with_partner}.",
                      "{n_partner} involve a partner country: {with_partner}.", len(partnered))
    if partnered.empty:
        second = gettext("None involves a partner country.")
    return fill(first + " " + second, data, n=len(measures), counts=counts,
                n_partner=len(partnered), with_partner=with_partner)
