"""The 'What happened next' section: each of the article's theses with its verdict, its reason
and the measures it rests on (`dataset.aftermath` computes them), the census's yearly counts
beside published totals, and the section's introduction.

Every sentence is a gettext message filled with numbers, dates and names from the dataset.
"""

from __future__ import annotations

import re

import pandas as pd

from tunisia_report.dataset import aftermath
from tunisia_report.text import escape, i18n
from tunisia_report.text.dates import format_date, format_month
from tunisia_report.text.formatting import (
    country_words,
    format_money,
    format_number,
    format_percent,
    publisher,
    word_list,
)
from tunisia_report.text.i18n import N_, gettext, ngettext, original_quote
from tunisia_report.text.narrative import Text

VERDICT_WORDS = {"borne-out": N_("Borne out"), "partly": N_("Partly borne out"),
                 "not-borne-out": N_("Not borne out"), "untestable": N_("Cannot be tested")}
POINT_WORDS = {"supports": N_("For"), "against": N_("Against"), "context": N_("Context")}
KIND_WORDS = {"plan": N_("plans"), "pledge": N_("pledges"), "delivery": N_("deliveries"),
              "designation": N_("designations")}


def point_words(m: dict) -> str:
    """'For', 'Against' or 'Context': which way a measure points."""
    way = m["points"]
    return gettext(POINT_WORDS[way])


def _when(row) -> str:
    return format_date(row["stated_date"], str(row["stated_precision"]))


def _estimate(row) -> str:
    value = format_number(row["value"])
    if pd.notna(row.get("value_high")):
        value += f"–{format_number(row['value_high'])}"
    return value


def _percent(share: float) -> str:
    return format_percent(round(share, 2))


def attack_words(row) -> str:
    """'Sousse, 26 June 2015'."""
    return gettext("{place}, {date}").format(place=row["place"], date=format_date(
        row["start_date"], str(row["date_precision"])))


def _amounts(amounts: dict) -> str:
    return word_list(format_money(v, c) for c, v in sorted(amounts.items()))


def measure_words(data, m: dict) -> str:
    """One measure in a sentence, from its computed values."""
    n, key = format_number, m["measure_id"]
    if key == "institutions-in-effect":
        names = data.measures.set_index("measure_id")["name"]
        text = gettext("{n_done} of the article's {n_measures} measures are recorded as taking "
                       "effect ({done}).").format(
            n_done=n(len(m["done"])), n_measures=n(m["n_measures"]),
            done=word_list(names[x] for x in m["done"]))
        if m["unknown"]:
            text += " " + ngettext("No later record was found for {n} measure: {names}.",
                                   "No later record was found for {n} measures: {names}.",
                                   len(m["unknown"])).format(
                n=n(len(m["unknown"])), names=word_list(names[x] for x in m["unknown"]))
        return text
    if key == "stopped-like-for-like":
        if m["first"] is None:
            return gettext("Fewer than two counts of people stopped from leaving for any "
                           "conflict zone are recorded.")
        text = gettext("Stopped from leaving for any conflict zone: {first} ({who_first}, "
                       "{date_first}), then {last} ({who_last}, {date_last}).").format(
            first=_estimate(m["first"]), who_first=m["first"]["originator"],
            date_first=_when(m["first"]), last=_estimate(m["last"]),
            who_last=m["last"]["originator"], date_last=_when(m["last"]))
        if m["syria"] is not None:
            text += " " + gettext("The article's figure counted Syria only: {value} "
                                  "({who}, {date}).").format(
                value=_estimate(m["syria"]), who=m["syria"]["originator"],
                date=_when(m["syria"]))
        return text
    if key == "left-estimates":
        latest = m["latest"]
        if m["first"] is None:
            return gettext("No originator gave two estimates of those who left.")
        return gettext("Estimates of those who left, by {who}: {first} ({date_first}), then "
                       "{last} ({date_last}). The latest estimate recorded: {latest} "
                       "({who_latest}, {date_latest}).").format(
            who=m["first"]["originator"], first=_estimate(m["first"]),
            date_first=_when(m["first"]), last=_estimate(m["last"]),
            date_last=_when(m["last"]), latest=_estimate(latest),
            who_latest=latest["originator"], date_latest=_when(latest))
    if key == "deadliest-before-after":
        if m["after"] is None:
            return gettext("No attack before and after the article to compare.")
        return gettext("The deadliest attack after the article ({after}) killed {n_after} "
                       "people other than its attackers; the deadliest before it in this record "
                       "({before}), {n_before}.").format(
            after=attack_words(m["after"]), n_after=n(m["after"]["harmed"]),
            before=attack_words(m["before"]), n_before=n(m["before"]["harmed"]))
    if key == "years-with-victims":
        total = m["last"] - m["first"] + 1
        return gettext("People other than attackers were killed in {n} of the {total} calendar "
                       "years from {first} to {last}: {years}.").format(
            n=n(len(m["years"])), total=n(total), first=str(m["first"]), last=str(m["last"]),
            years=word_list(str(y) for y in m["years"]))
    if key == "victims-after":
        return gettext("{n_attacks} attacks after the article killed {security} members of the "
                       "security forces and {civilians} civilians; {militants} militants "
                       "died.").format(
            n_attacks=n(m["n_attacks"]), security=n(m["security"]),
            civilians=n(m["civilians"]), militants=n(m["militants"]))
    if key == "last-victim":
        if m["last"] is None:
            return gettext("No attack after the article killed anyone but its attackers.")
        return gettext("The last attack that killed someone other than its attackers: "
                       "{attack}.").format(attack=attack_words(m["last"]))
    if key == "victims-trend":
        return gettext("People other than attackers killed from {first} to {before}: {early}; "
                       "from {cut} to {end}: {late}.").format(
            first=str(m["first"]), before=str(m["cut"] - 1), early=n(m["early"]),
            cut=str(m["cut"]), end=str(m["end"]), late=n(m["late"]))
    if key == "attacks-remote-share":
        return gettext("Where the insurgency lived: {part} of the {whole} attacks after the "
                       "article struck mountains, forest or desert ({share}).").format(
            part=n(m["part"]), whole=n(m["whole"]), share=_percent(m["share"]))
    if key == "victims-remote-share":
        return gettext("Where the deadliest attacks struck: {part} of the {whole} people other "
                       "than attackers killed died there ({share}).").format(
            part=n(m["part"]), whole=n(m["whole"]), share=_percent(m["share"]))
    if key == "deaths-remote-share":
        return gettext("Counting the attackers too: {part} of {whole} deaths "
                       "({share}).").format(part=n(m["part"]), whole=n(m["whole"]),
                                            share=_percent(m["share"]))
    if key == "deadliest-settings":
        return ngettext("The {n} deadliest attacks: {attacks}; {remote} of them in mountains, "
                        "forest or desert.",
                        "The {n} deadliest attacks: {attacks}; {remote} of them in mountains, "
                        "forest or desert.", m["n"]).format(
            n=n(m["n"]), remote=n(m["remote"]),
            attacks=gettext("; ").join(gettext("{attack} ({n} killed)").format(
                attack=attack_words(r), n=n(r["harmed"])) for _, r in m["top"].iterrows()))
    if key == "libya-linked":
        return gettext("A source links {n} of the {n_attacks} attacks after the article to "
                       "Libya; they killed {harmed} people other than the attackers.").format(
            n=n(m["n"]), n_attacks=n(m["n_attacks"]), harmed=n(m["harmed"]))
    if key == "libya-linked-groups":
        return gettext("Of those, the Islamic State claimed or was blamed for {state} and "
                       "al-Qaeda in the Islamic Maghreb or its Tunisian brigade for {aqim}: "
                       "{attacks}.").format(
            state=n(m["state"]), aqim=n(m["aqim"]),
            attacks=gettext("; ").join(attack_words(r) for _, r in m["places"].iterrows()))
    if key == "aqim-attacks":
        return gettext("Al-Qaeda's Tunisian brigade claimed or was blamed for {n} attacks after "
                       "the article, {remote} of them in mountains, forest or desert, killing "
                       "{harmed} people other than the attackers; a source links {linked} of "
                       "them to Libya.").format(n=n(m["n"]), remote=n(m["remote"]),
                                                harmed=n(m["harmed"]), linked=n(m["linked"]))
    if key == "support-by-kind":
        kinds = []
        for kind in KIND_WORDS:
            if kind in m["kinds"]:
                item = m["kinds"][kind]
                words = gettext("{kind}, {n}").format(kind=gettext(KIND_WORDS[kind]),
                                                      n=n(item["n"]))
                if item["amounts"]:
                    words += gettext(" ({amounts} stated)").format(
                        amounts=_amounts(item["amounts"]))
                kinds.append(words)
        return gettext("{n} items of Western support after the article, from {donors}: "
                       "{kinds}. Amounts of plans, pledges and deliveries are given apart, never "
                       "summed.").format(n=n(m["n"]),
                                         donors=word_list(map(country_words, m["donors"])),
                                         kinds=gettext("; ").join(kinds))
    if key == "neighbours-meetings":
        if not m["n"]:
            return gettext("No later meeting of Libya's neighbours is recorded.")
        return gettext("Libya's neighbours met again {n} times in this record; the first, "
                       "{first_date}: {first}; the last, {last_date}: {last}.").format(
            n=n(m["n"]), first=m["first"]["name"],
            first_date=format_date(m["first"]["date"], str(m["first"]["date_precision"])),
            last=m["last"]["name"],
            last_date=format_date(m["last"]["date"], str(m["last"]["date_precision"])))
    raise ValueError(f"unknown measure {key!r}")


def _sources(data, result: dict) -> list[str]:
    """The ids of the sources of the facts the thesis's measures name: the attacks they name
    (their main source and their counted tolls), the estimates, meetings and items of support.
    Counts over the whole census rest on the census itself, described in the section."""
    named, found = [], []
    for m in result["measures"]:
        for key in ("before", "after", "last"):
            row = m.get(key)
            if isinstance(row, pd.Series) and "attack_id" in row:
                named.append(row["attack_id"])
        for key in ("top", "places"):
            if isinstance(m.get(key), pd.DataFrame):
                named += list(m[key]["attack_id"])
        for key in ("first", "last", "latest", "syria"):
            row = m.get(key)
            if isinstance(row, pd.Series) and "source_id" in row and "attack_id" not in row:
                found.append(row["source_id"])
        if m["measure_id"] == "institutions-in-effect":
            found += list(data.outcomes[data.outcomes["measure_id"].isin(m["done"])
                                        & (data.outcomes["change"] != "met")]["source_id"])
        if m["measure_id"] == "support-by-kind":
            found += list(data.assistance["source_id"])
    attacks = data.attacks.set_index("attack_id")
    chosen = aftermath.counted_tolls(data)
    for attack in dict.fromkeys(named):
        found.append(attacks.loc[attack, "source_id"])
        found += list(chosen.loc[chosen["attack_id"] == attack, "source_id"])
        for key in ("claim_source_id", "blame_source_id", "libya_link_source_id"):
            if pd.notna(attacks.loc[attack, key]):
                found.append(attacks.loc[attack, key])
    return list(dict.fromkeys(found))


def _source_words(data, source_id: str) -> str:
    source = data.sources.set_index("source_id").loc[source_id]
    when = (format_date(source["date_published"], source["published_precision"])
            if pd.notna(source["date_published"]) else gettext("n.d."))
    return gettext("{publisher}, {date}").format(publisher=publisher(source["producer"]),
                                                 date=when)


def intro_values(data) -> dict:
    """The counts the section's opening paragraph (a Markdown cell of the report) reads, by
    name: what was tested against what, and how many facts rest on two or more independent
    channels (see `content.VALUES`).

    Kept on the dataset (`Dataset.kept`): the paragraph asks for eight of them, about 40 ms
    each time (measured)."""
    return dict(data.kept(_intro_values))


def _intro_values(data) -> dict:
    channels = aftermath.fact_channels(data)
    deaths = aftermath.attack_deaths(data)
    after = deaths[deaths["after"]]
    searches = data.get("census_searches")
    return {
        "after_end": str(aftermath.CENSUS_END),
        "census_searches": 0 if searches is None else len(searches),
        "after_theses": len(data.theses), "after_attacks": len(after),
        "after_estimates": len(data.departures), "after_outcomes": len(data.outcomes),
        "after_assistance": len(data.assistance), "after_facts": len(channels),
        "after_facts_two": int((channels["n_channels"] >= 2).sum()),
    }


def theses_text(data) -> Text:
    """A card per thesis: the claim, the article's words, the verdict and its reason, then the
    measures it rests on (each marked for, against or context), and the sources."""
    md, html, plain = [], [], []
    for result in aftermath.thesis_results(data):
        head = gettext("Thesis {number}: {claim}").format(number=result["number"],
                                                          claim=result["claim"])
        words = original_quote(result["quote"])
        if i18n.edition().direction == "rtl":  # the article's English, isolated to read in order
            words = f"\u2068{words}\u2069"
        verdict = gettext(VERDICT_WORDS[result["verdict"]])
        why = result["reason"]
        # TRANSLATORS: a label before what it introduces ('For:'; French 'Pour :').
        items = [(gettext("{label}:").format(label=point_words(m)), measure_words(data, m),
                  m["points"]) for m in result["measures"]]
        sources = gettext("; ").join(_source_words(data, s) for s in _sources(data, result))
        src = gettext("Sources: {sources}.").format(sources=sources.rstrip("."))
        # A heading (the PDF's outline, Word's navigation pane) in a `thesis` div, which
        # notebook.lua keeps together with the quote and the verdict.
        ident = re.sub(r"[^A-Za-z0-9_-]", "-", f"thesis-{result['thesis_id']}")
        md += ["::: {.thesis}", f"### {escape.markdown(head)} {{#{ident}}}", "",
               f"{escape.markdown(words)}", "",
               f"**{escape.markdown(verdict)}.** {escape.markdown(why)}", ""]
        md += [f"- *{escape.markdown(point)}* {escape.markdown(text)}"
               for point, text, _ in items]
        md += ["", f"*{escape.markdown(src)}*", ":::", ""]
        listed = "".join(f'<li class="measure measure-{kind}"><em>{escape.html_text(point)}'
                         f"</em> {escape.html_text(text)}</li>" for point, text, kind in items)
        html.append(f'<div class="thesis" id="thesis-{escape.html_text(result["thesis_id"])}">'
                    f"<p><strong>{escape.html_text(head)}</strong></p>"
                    f"<blockquote>{escape.html_text(words)}</blockquote>"
                    f'<p><strong class="verdict verdict-{result["verdict"]}">'
                    f"{escape.html_text(verdict)}.</strong> {escape.html_text(why)}</p>"
                    f"<ul>{listed}</ul>"
                    f'<p class="sources"><em>{escape.html_text(src)}</em></p></div>')
        plain += [head, words, f"{verdict}. {why}",
                  *(f"- {point} {text}" for point, text, _ in items), src, ""]
    return Text("\n".join(md).strip(), f'<div class="narrative">{"".join(html)}</div>',
                "\n".join(plain).strip())


def _total_words(total) -> str:
    value = (format_number(int(total.value)) if pd.notna(total.value)
             else gettext("no count given"))
    # TRANSLATORS: the publisher after a dash, not in brackets: a measure and a publisher
    # often carry brackets of their own ('… (GTI 2016 edition): 35 — IEP (reported by …)').
    return gettext("{measure}: {value} — {publisher}").format(
        measure=total.measure, value=value, publisher=total.publisher)


def census_table(data) -> Text:
    """The census's attacks and deaths by year, then the totals others published: for each
    year, and over several years (`totals`)."""
    deaths = aftermath.attack_deaths(data)
    deaths = deaths[deaths["after"]].assign(year=lambda t: t["start_date"].dt.year)
    years = range(aftermath.publication(data).year, aftermath.CENSUS_END + 1)
    totals = data.get("totals")
    head = [gettext("Year"), gettext("Attacks"), gettext("Security forces killed"),
            gettext("Civilians killed"), gettext("Militants killed")]
    rows = []
    for year in years:
        here = deaths[deaths["year"] == year]
        rows.append([str(year), format_number(len(here)),
                     format_number(int(here["security-forces"].sum())),
                     format_number(int(here["civilians"].sum())),
                     format_number(int(here["militants"].sum()))])
    caption = gettext("The census by year, from the article's publication; below, what others "
                      "published. Each counts its own way: a rank or a count of incidents is "
                      "not a count of deaths, and a State Department report lists only the "
                      "incidents it calls significant.")
    md = [f"*{escape.markdown(caption)}*", "",
          "| " + " | ".join(escape.markdown(h) for h in head) + " |",
          "|" + "|".join([" --- "] + [" ---: "] * 4) + "|"]
    md += ["| " + " | ".join(escape.markdown(c) for c in row) + " |" for row in rows]
    cells = "".join(f"<th>{escape.html_text(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape.html_text(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    html = (f'<div class="narrative"><p><em>{escape.html_text(caption)}</em></p>'
            f'<table class="census"><thead><tr>{cells}</tr></thead><tbody>{body}</tbody>'
            "</table>")
    plain = [caption, "\t".join(head), *("\t".join(r) for r in rows)]
    if totals is not None and len(totals):
        ordered = totals.sort_values(["year", "first_year"], na_position="first")
        single = ordered[ordered["first_year"].isna()]
        spans = ordered.dropna(subset=["first_year"])
        groups = [(gettext("Published for one year:"),
                   [gettext("{year}: {total}").format(year=int(t.year), total=_total_words(t))
                    for t in single.itertuples()]),
                  (gettext("Totals over several years, which the census (from {start}) "
                           "covers only in part:").format(
                      start=format_month(aftermath.publication(data))),
                   [gettext("{first}–{last}, {total}").format(
                       first=int(t.first_year), last=int(t.year), total=_total_words(t))
                    for t in spans.sort_values(["first_year", "year"]).itertuples()])]
        for intro, items in groups:
            if not items:
                continue
            md += ["", escape.markdown(intro), "", *(f"- {escape.markdown(i)}" for i in items)]
            html += (f"<p>{escape.html_text(intro)}</p><ul>"
                     + "".join(f"<li>{escape.html_text(i)}</li>" for i in items) + "</ul>")
            plain += [intro, *items]
    return Text("\n".join(md), html + "</div>", "\n".join(plain))
