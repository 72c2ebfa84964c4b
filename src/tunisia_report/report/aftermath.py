"""The 'What happened next' section: each of the article's theses with its verdict and a reason
written from the record (`dataset.aftermath` computes them), and the section's introduction.

Every sentence is a gettext message filled with numbers, dates and names from the dataset.
"""

from __future__ import annotations

import pandas as pd

from tunisia_report.dataset import aftermath
from tunisia_report.text import escape, i18n
from tunisia_report.text.dates import format_date, format_day
from tunisia_report.text.formatting import format_number, publisher, word_list
from tunisia_report.text.i18n import N_, gettext, ngettext, original_quote
from tunisia_report.text.narrative import Text

VERDICT_WORDS = {"borne-out": N_("Borne out"), "partly": N_("Partly borne out"),
                 "not-borne-out": N_("Not borne out"), "untestable": N_("Cannot be tested")}


def _place(data, attack) -> str:
    """The attack's place in this edition's words."""
    return data.attacks.set_index("attack_id").loc[attack["attack_id"], "place"]


def _country(data, code: str, name: str) -> str:
    return data.country_name(code, name)


def reason(data, result: dict) -> str:
    """The reason for one thesis's verdict, from the numbers `aftermath.thesis_results` gives."""
    rule = result["rule"]
    n = format_number
    if rule == "far-from-over":
        return ngettext(
            "After the article, {n_attacks} attacks in this record killed {harmed} people "
            "other than the attackers, in {n_years} calendar year ({years}); the last on {last}.",
            "After the article, {n_attacks} attacks in this record killed {harmed} people "
            "other than the attackers, in {n_years} calendar years ({years}); the last on {last}.",
            len(result["years"])).format(
            n_attacks=n(result["n_attacks"]), harmed=n(result["harmed"]),
            n_years=n(len(result["years"])), years=word_list(str(y) for y in result["years"]),
            last=format_day(result["last"]) if pd.notna(result["last"]) else "–")
    if rule == "moved-to-borders":
        worst = result["deadliest"]
        return gettext(
            "Of the people other than attackers killed after the article, {border} died in "
            "{n_border} attacks near the Algerian or Libyan border and {city} in {n_city} in "
            "cities: {share} % near the borders. The deadliest attack struck {place} on {date}, "
            "killing {worst}.").format(
            border=n(result["border_harmed"]), n_border=n(result["n_border"]),
            city=n(result["city_harmed"]), n_city=n(result["n_city"]),
            share=n(round(100 * result["share"])), place=_place(data, worst),
            date=format_day(worst["start_date"]), worst=n(worst["harmed"]))
    if rule == "gains":
        names = data.measures.set_index("measure_id")["name"]
        top = result["stopped_max"]
        text = gettext(
            "{n_done} of the article's {n_measures} measures are recorded as taking effect "
            "({done}). The count of people stopped from leaving rose from the article's {first} "
            "to {most} ({who}). But the deadliest attack after the article, at {place}, killed "
            "{worst_after} people other than the attacker, against {worst_before} in the "
            "deadliest before it.").format(
            n_done=n(len(result["done"])), n_measures=n(result["n_measures"]),
            done=word_list(names[m] for m in result["done"]),
            first=n(result["stopped_article"]), most=n(top["value"]), who=top["originator"],
            place=_place(data, result["worst_after"]),
            worst_after=n(result["worst_after"]["harmed"]), worst_before=n(result["worst_before"]))
        if result["unknown"]:
            text += " " + ngettext("No later record was found for {n} measure: {names}.",
                                   "No later record was found for {n} measures: {names}.",
                                   len(result["unknown"])).format(
                n=n(len(result["unknown"])), names=word_list(names[m] for m in result["unknown"]))
        return text
    if rule == "aqim-libya":
        return gettext(
            "A source links {n_linked} attacks after the article to Libya; they killed {harmed} "
            "people other than the attackers. The Islamic State claimed or was blamed for "
            "{n_state} of them; al-Qaeda in the Islamic Maghreb was blamed for {n_aqim}.").format(
            n_linked=n(result["n_linked"]), harmed=n(result["harmed"]),
            n_state=n(result["n_state"]), n_aqim=n(result["n_aqim"]))
    if rule == "western-support":
        amounts = word_list(f"{n(value)} {currency}" for currency, value
                            in sorted(result["amounts"].items()))
        text = gettext(
            "A recommendation: the record cannot show what would have happened without it. "
            "What came: {n_items} items of support from {donors} between {first} and {last}, "
            "{amounts} of them in stated amounts.").format(
            n_items=n(result["n_items"]),
            donors=word_list(_country(data, c, result["donor_names"][c])
                             for c in result["donors"]),
            first=str(result["first"].year), last=str(result["last"].year),
            amounts=amounts or gettext("none"))
        if not result["meeting_followed"]:
            text += " " + gettext("No later record of the Libya neighbours' containment "
                                  "strategy was found.")
        return text
    raise ValueError(f"unknown rule {rule!r}")


def _sources(data, result: dict) -> list[str]:
    """The ids of the sources the thesis's facts rest on."""
    rule = result["rule"]
    deaths = aftermath.attack_deaths(data)
    after = set(deaths.loc[deaths["after"], "attack_id"])
    if rule in ("far-from-over", "moved-to-borders"):
        chosen = aftermath.counted_tolls(data)
        return list(dict.fromkeys(chosen.loc[chosen["attack_id"].isin(after), "source_id"]))
    if rule == "aqim-libya":
        linked = data.attacks[data.attacks["attack_id"].isin(after)
                              & (data.attacks["libya_link"] == "yes")]
        return list(dict.fromkeys([*linked["libya_link_source_id"].dropna(),
                                   *linked["claim_source_id"].dropna()]))
    if rule == "gains":
        outcomes = data.outcomes.dropna(subset=["measure_id"])
        stopped = data.departures[data.departures["series"] == "stopped-from-leaving"]
        return list(dict.fromkeys([*outcomes["source_id"], *stopped["source_id"]]))
    return list(dict.fromkeys(data.assistance["source_id"]))


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

    Kept on the dataset while its tables are the same objects: the paragraph asks for eight of
    them, about 40 ms each time (measured)."""
    key = tuple(id(frame) for frame in data.values())
    kept = data.__dict__.get("_intro_values")
    if kept is None or kept[0] != key:
        kept = data.__dict__["_intro_values"] = (key, _intro_values(data))
    return dict(kept[1])


def _intro_values(data) -> dict:
    channels = aftermath.fact_channels(data)
    deaths = aftermath.attack_deaths(data)
    after = deaths[deaths["after"]]
    return {
        "after_end": str(after["start_date"].max().year) if len(after) else "–",
        "after_theses": len(data.theses), "after_attacks": len(after),
        "after_estimates": len(data.departures), "after_outcomes": len(data.outcomes),
        "after_assistance": len(data.assistance), "after_facts": len(channels),
        "after_facts_two": int((channels["n_channels"] >= 2).sum()),
    }


def theses_text(data) -> Text:
    """A card per thesis: the claim, the article's words, the verdict, the reason, sources."""
    md, html, plain = [], [], []
    for result in aftermath.thesis_results(data):
        head = gettext("Thesis {number}: {claim}").format(number=result["number"],
                                                          claim=result["claim"])
        words = original_quote(result["quote"])
        if i18n.edition().direction == "rtl":  # the article's English, isolated to read in order
            words = f"\u2068{words}\u2069"
        verdict = gettext(VERDICT_WORDS[result["verdict"]])
        why = reason(data, result)
        sources = gettext("; ").join(_source_words(data, s) for s in _sources(data, result))
        src = gettext("Sources: {sources}.").format(sources=sources.rstrip("."))
        md += [f"**{escape.markdown(head)}**", "",
               f"{escape.markdown(words)}", "",
               f"**{escape.markdown(verdict)}.** {escape.markdown(why)}", "",
               f"*{escape.markdown(src)}*", ""]
        html.append(f'<div class="thesis" id="thesis-{escape.html_text(result["thesis_id"])}">'
                    f"<p><strong>{escape.html_text(head)}</strong></p>"
                    f"<blockquote>{escape.html_text(words)}</blockquote>"
                    f'<p><strong class="verdict verdict-{result["verdict"]}">'
                    f"{escape.html_text(verdict)}.</strong> {escape.html_text(why)}</p>"
                    f'<p class="sources"><em>{escape.html_text(src)}</em></p></div>')
        plain += [head, words, f"{verdict}. {why}", src, ""]
    return Text("\n".join(md).strip(), f'<div class="narrative">{"".join(html)}</div>',
                "\n".join(plain).strip())


def verdict_counts(data) -> dict[str, int]:
    """How many theses have each verdict."""
    results = aftermath.thesis_results(data)
    return {v: sum(r["verdict"] == v for r in results) for v in aftermath.VERDICTS}


def summary_sentence(data) -> str:
    """The summary's (and the brief's) one sentence on what came after."""
    counts = verdict_counts(data)
    return gettext(
        "Tested against the record to the end of {end}, the article's {n} theses fare as "
        "follows: borne out, {borne}; partly borne out, {partly}; not borne out, {not_borne}; "
        "cannot be tested, {untestable}.").format(
                           end=str(data.attacks["end_date"].max().year),
                           n=format_number(sum(counts.values())),
                           borne=format_number(counts["borne-out"]),
                           partly=format_number(counts["partly"]),
                           not_borne=format_number(counts["not-borne-out"]),
                           untestable=format_number(counts["untestable"]))
