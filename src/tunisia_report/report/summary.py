"""Page 1's computed summary: the bottom line in words, the claims the record corrects, each
thesis's verdict, and the policy line. Plain prose filled from the dataset, every number a
placeholder (as in `report.content`, which re-exports these for the notebooks)."""

from __future__ import annotations

import pandas as pd

from tunisia_report.dataset import aftermath as record
from tunisia_report.dataset.verdicts import claims
from tunisia_report.report.aftermath import VERDICT_WORDS as THESIS_VERDICTS
from tunisia_report.report.aftermath import attack_words
from tunisia_report.report.corroboration import verdict_counts
from tunisia_report.text import escape
from tunisia_report.text.formatting import (
    country_words,
    format_number,
    format_value,
    quoted_list,
    verdict_words,
    word_list,
)
from tunisia_report.text.i18n import gettext, ngettext, quote
from tunisia_report.text.narrative import Text, fill

CORRECTIONS = ("inaccurate", "outdated", "nearly-right")  # the verdicts that correct it


def summary_corrections(data) -> Text | None:
    """Where the record corrects the article: each inaccurate, outdated or nearly right claim (in
    that order) with its verdict and reason (None when the record corrects nothing)."""
    table = claims(data)
    rows = [r for verdict in CORRECTIONS
            for r in table[table["verdict"] == verdict].to_dict("records")]
    if not rows:
        return None
    lead = ngettext("Where the record corrects the article ({n} claim):",
                    "Where the record corrects the article ({n} claims):", len(rows)).format(
        n=format_number(len(rows)))
    items = [(verdict_words(r["verdict"]), gettext("{claim}. {reason}").format(
        claim=r["label"], reason=r["reason"])) for r in rows]
    return _verdict_list(lead, items)


def _article_value(data, row) -> str:
    """A claim's label in quotation marks, with the article's number for a figure whose number
    the record corrects: '“Soldiers killed in the Mount Chaambi attack” (14)'."""
    label = quote(row["label"])
    if row["kind"] == "figure" and row["verdict"] in ("outdated", "inaccurate"):
        figure = data.figures[data.figures["figure_id"] == row["claim_id"]]
        if len(figure) and pd.notna(figure.iloc[0]["value"]):
            return f"{label} ({format_value(figure.iloc[0])})"
    return label


def _correction_phrase(verdict: str, claims_named: str, n: int) -> str:
    """How the bottom line names the claims of one correcting verdict."""
    if verdict == "inaccurate":
        return ngettext("{claims} is inaccurate", "{claims} are inaccurate", n).format(
            claims=claims_named)
    if verdict == "outdated":
        return ngettext("{claims} had already been overtaken by a later figure when it "
                        "appeared (outdated)", "{claims} had already been overtaken by later "
                        "figures when it appeared (outdated)", n).format(claims=claims_named)
    return ngettext("{claims} is nearly right", "{claims} are nearly right", n).format(
        claims=claims_named)


def _thesis_phrase(verdict: str, theses_named: str, n: int) -> str:
    """How the bottom line gives the verdict on the theses of one verdict, named short."""
    if verdict == "borne-out":
        text = ngettext("{theses} is borne out", "{theses} are borne out", n)
    elif verdict == "partly":
        text = ngettext("{theses} is partly borne out", "{theses} are partly borne out", n)
    elif verdict == "not-borne-out":
        text = ngettext("{theses} is not borne out", "{theses} are not borne out", n)
    else:
        text = ngettext("{theses} cannot be tested", "{theses} cannot be tested", n)
    return text.format(theses=theses_named)


def _claim_text(text: str) -> str:
    return str(text).strip().rstrip(".")


def summary_bottom_line(data) -> Text | None:
    """Page 1's bottom line, in words: what in the article holds, where the record corrects it
    (each claim named), and what the decade after showed for each thesis (each by its short
    name, with its verdict). None without reports."""
    if not len(data.reports):
        return None
    counts = verdict_counts(data)
    table = claims(data)
    if counts["n_inaccurate"]:
        holds = ngettext(
            "Checked against {n_reports} reports by {n_publishers} other "
            "publishers, {n_accurate} of the article's {n_claims} claims are accurate as written.",
            "Checked against {n_reports} reports by {n_publishers} other "
            "publishers, {n_accurate} of the article's {n_claims} claims are accurate as written.",
            counts["n_accurate"])
    else:
        holds = ngettext(
            "The article's facts hold up: checked against {n_reports} reports by "
            "{n_publishers} other publishers, none of its {n_claims} claims is contradicted, "
            "{n_accurate} is accurate as written and {n_unverifiable} cannot be verified.",
            "The article's facts hold up: checked against {n_reports} reports by "
            "{n_publishers} other publishers, none of its {n_claims} claims is contradicted, "
            "{n_accurate} are accurate as written and {n_unverifiable} cannot be verified.",
            counts["n_accurate"])
    sentences = [fill(holds, data, **counts)]
    groups = []
    for verdict in CORRECTIONS:
        rows = table[table["verdict"] == verdict].to_dict("records")
        if rows:
            groups.append(_correction_phrase(
                verdict, word_list(_article_value(data, r) for r in rows), len(rows)))
    if groups:
        sentences.append(fill(gettext("Where it needs correcting: {groups}."), data,
                              groups=gettext("; ").join(groups)))
    theses = data.get("theses")
    if theses is not None and len(theses):
        results = record.thesis_results(data)
        short = dict(zip(theses["thesis_id"], theses["short"], strict=True))
        named = []
        for verdict in THESIS_VERDICTS:
            names = [short[r["thesis_id"]] for r in results if r["verdict"] == verdict]
            if names:
                named.append(_thesis_phrase(verdict, quoted_list(names), len(names)))
        sentences.append(fill(ngettext(
            "Tested against the decade after it, to the end of {end}, its one thesis about "
            "what lay ahead fares as follows: {groups}.",
            "Tested against the decade after it, to the end of {end}, its {n} theses about "
            "what lay ahead fare as follows: {groups}.", len(results)), data,
            end=str(record.CENSUS_END), n=len(results), groups=gettext("; ").join(named)))
    return _led(gettext("Bottom line."), sentences)


def _led(lead: str, sentences: list[Text]) -> Text:
    """One paragraph of `sentences` (texts without notes), led by `lead` in bold."""
    html = " ".join(t.html.removeprefix('<div class="narrative"><p>').removesuffix("</p></div>")
                    for t in sentences)
    return Text(f"**{escape.markdown(lead)}** " + " ".join(t.markdown for t in sentences),
                f'<div class="narrative"><p><strong>{escape.html_text(lead)}</strong> {html}'
                "</p></div>", f"{lead} " + " ".join(t.plain for t in sentences))


def summary_theses(data) -> Text | None:
    """What the decade after showed for each thesis: its verdict in words, the thesis and the
    one-line reason recorded with the verdict (None without theses)."""
    if not len(data.get("theses", ())):
        return None

    results = record.thesis_results(data)
    lead = gettext("What the decade after showed, thesis by thesis:")
    items = [(gettext(THESIS_VERDICTS[r["verdict"]]),
              gettext("{claim}. {reason}").format(claim=_claim_text(r["claim"]),
                                                 reason=r["reason"])) for r in results]
    return _verdict_list(lead, items)


def summary_policy(data) -> Text | None:
    """The policy line, from the theses' measures: how long the threat the article warned of
    lasted, and what came of the remedy it asked for (a thesis the record cannot test) - so a
    policy that builds on the article rests on its warning, not on a tested remedy. None when
    the record holds neither."""
    if not len(data.get("theses", ())):
        return None

    results = record.thesis_results(data)
    measures = {m["measure_id"]: m for r in results for m in r["measures"]}
    sentences = []
    years, last = measures.get("years-with-victims"), measures.get("last-victim")
    if years and years["points"] == "supports" and last and last["last"] is not None:
        sentences.append(fill(gettext(
            "The threat the article warned of lasted: attacks killed people other than their "
            "attackers in {n} of the {total} calendar years from {first} to {last}; the last: "
            "{attack}."), data, n=format_number(len(years["years"])),
            total=format_number(years["last"] - years["first"] + 1), first=str(years["first"]),
            last=str(years["last"]), attack=attack_words(last["last"])))
    remedy = next((r for r in results if r["verdict"] == "untestable"), None)
    support = measures.get("support-by-kind")
    if remedy is not None and support and support["n"]:
        short = data.theses.set_index("thesis_id").loc[remedy["thesis_id"], "short"]
        sentences.append(fill(ngettext(
            "The remedy it asked for, {remedy}, came as {n} item of support after it ({donors}), "
            "but the record cannot show what it changed: a policy that builds on the article "
            "rests on its warning, not on a tested remedy.",
            "The remedy it asked for, {remedy}, came as {n} items of support after it "
            "({donors}), but the record cannot show what they changed: a policy that builds on "
            "the article rests on its warning, not on a tested remedy.", support["n"]), data,
            remedy=quote(short), n=format_number(support["n"]),
            donors=word_list(map(country_words, support["donors"]))))
    return _led(gettext("For policy."), sentences) if sentences else None


def _verdict_list(lead: str, items: list[tuple[str, str]]) -> Text:
    """A lead line, then one item per verdict, its word in bold: read at a glance."""
    md, h = escape.markdown, escape.html_text
    markdown = md(lead) + "\n\n" + "\n".join(f"- **{md(v)}** — {md(t)}" for v, t in items)
    html = (f'<div class="narrative"><p>{h(lead)}</p><ul>'
            + "".join(f"<li><strong>{h(v)}</strong> — {h(t)}</li>" for v, t in items)
            + "</ul></div>")
    plain = "\n".join([lead, *(f"- {v} — {t}" for v, t in items)])
    return Text(markdown, html, plain)
