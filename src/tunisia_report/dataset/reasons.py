"""A verdict in words: the line that concludes each verdict (`CONCLUSIONS`) and the reason
for a judged part, phrased in the active edition from the facts the judgement kept
(`dataset.judgement`), every number and date from the data, never typed.
"""

from __future__ import annotations

import pandas as pd

from tunisia_report.dataset.judgement import given, record_dates
from tunisia_report.text.dates import format_date, format_span
from tunisia_report.text.formatting import format_number, publisher, word_list
from tunisia_report.text.i18n import N_, edition, gettext, ngettext

CONCLUSIONS = {  # one line per verdict
    "accurate": N_("Right at the precision the article gives it."),
    "nearly-right": N_("Wrong at the precision the article gives it, but close."),
    "outdated": N_("Right when it was first stated, but the same source had given another "
                   "figure before the article appeared."),
    "revised": N_("Right when the article appeared; the same source changed it later."),
    "inaccurate": N_("The record contradicts what it asserts."),
    "unverifiable": N_("Nothing in the record settles it."),
}


def _on(s) -> str:
    """A statement's date at its precision: 'on 24 February 2014', 'in June 2014', 'in 2013'."""
    first, last = s
    if first == last:
        return gettext("on {date}").format(date=format_date(first, "day"))
    precision = "month" if (first.year, first.month) == (last.year, last.month) else "year"
    return gettext("in {date}").format(date=format_date(first, precision))


def _source(producer) -> str:
    """A publisher's name for a reason; in a right-to-left edition isolated (U+2068 … U+2069)
    so that a Latin name and its parentheses keep their order inside Arabic text."""
    return _isolated(publisher(producer))


def _isolated(name: str) -> str:
    return f"\u2068{name}\u2069" if edition().direction == "rtl" else name


def _channels(n: int) -> str:
    return ngettext("{n} independent channel", "{n} independent channels", n).format(
        n=format_number(n))


def _numbers(values, unit) -> str:
    return word_list(format_number(v, unit) for v, _ in values)


def _amount(row, unit) -> str:
    """A report's number, 'at least 8,700' for a lower bound."""
    number = format_number(row["value"], unit)
    if row.get("value_kind") == "lower_bound":
        return gettext("at least {number}").format(number=number)
    return number


def _when(rows: list[dict]) -> str:
    """The dates the given reports give most often, one per actor (see `record_dates`)."""
    found = record_dates(pd.DataFrame(rows)) if rows else []
    return word_list(format_span(f["start"], f["end"], f["precision"]) for f in found)


def reason(verdict: str, rule: str, facts: dict) -> str:
    """One or two sentences saying why, every number and date from the data."""
    n = len(facts["support"])
    if verdict == "unverifiable":
        if rule == "copies-only":
            return ngettext("Only a copy, mirror, blog or wiki gives it ({n} report), and none "
                            "of these counts as an independent source.",
                            "Only copies, mirrors, blogs or wikis give it ({n} reports), and "
                            "none of these counts as an independent source.",
                            facts["copies"]).format(n=format_number(facts["copies"]))
        if rule == "unread":
            silent = facts["silent"]
            names = word_list(dict.fromkeys(_source(p) for p in silent["producer"]))
            return ngettext("{n} source in the record covers the occasion ({sources}), but "
                            "not in the part of its page that could be read: it could not be "
                            "checked.", "{n} sources in the record cover the occasion "
                            "({sources}), but not in the parts of their pages that could be "
                            "read: it could not be checked.", silent["source_id"].nunique()
                            ).format(n=format_number(silent["source_id"].nunique()),
                                     sources=names)
        return gettext("No source in the record gives it, so it could not be checked.")
    if "event" in facts:
        return _event_reason(verdict, rule, facts, n)
    if rule == "who":
        return gettext("The figure is the one its source gave, as the article says.")
    if rule == "other-originator":
        return gettext("The number is right, but the record has it from another source than "
                       "the one the article names.")
    unit = facts["unit"]
    if rule == "words":
        return ngettext("{n} independent channel describes it in words too, without a number.",
                        "{n} independent channels describe it in words too; none gives a "
                        "number.", n).format(n=format_number(n))
    if rule == "number-for-words":
        return gettext("The article gives words, which hold; the record gives a number: "
                       "{numbers}, from {channels}.").format(
            numbers=_numbers(facts["values"], unit), channels=_channels(n))
    if rule == "later-year":
        return ngettext("It does not hold as worded: {n} independent channel gives a deadlier "
                        "case after the decade the article names, in {numbers}.",
                        "It does not hold as worded: {n} independent channels give a deadlier "
                        "case after the decade the article names, in {numbers}.", n).format(
            n=format_number(n), numbers=_numbers(facts["values"], unit))
    if rule == "other-number":
        return gettext("No independent channel gives {value}; the record gives {numbers}, from "
                       "{channels}.").format(value=format_number(facts["value"], unit),
                                             numbers=_numbers(facts["values"], unit) or "–",
                                             channels=_channels(n))
    value = format_number(facts["value"], unit)
    if rule in ("later-count", "newer-figure"):
        newer = facts["newer"]
        template = (gettext("{value} was given {said}; the same originator gave {newer} {when} "
                            "({source}), after the article appeared.") if rule == "later-count"
                    else gettext("{value} was given {said}; the same originator gave {newer} "
                                 "{when} ({source}), before the article appeared."))
        return template.format(value=value, said=_on(facts["said"]),
                               newer=_amount(newer, unit), when=_on(newer["stated"]),
                               source=_source(newer["producer"]))
    best = facts["best"].sort_values("stated_date", na_position="last").iloc[0]
    if facts["first"] is not None:
        best = next(r for r in facts["best"].to_dict("records") if r["stated"] == facts["first"])
    if facts.get("said"):
        text = (ngettext("{n} independent channel relays it as said {date} ({source}).",
                         "{n} independent channels relay it as said, first {date} ({source}).",
                         n) if facts["first"] is not None else
                ngettext("{n} independent channel relays it as said ({source}), undated.",
                         "{n} independent channels relay it as said ({source}); none dates "
                         "it.", n))
    else:
        text = (ngettext("{n} independent channel gives {value}, first stated {date} "
                         "({source}).", "{n} independent channels give {value}, first stated "
                         "{date} ({source}).", n)
                if facts["first"] is not None else
                ngettext("{n} independent channel gives {value} ({source}), without dating the "
                         "statement.", "{n} independent channels give {value} ({source}); none "
                         "dates the statement.", n))
    text = text.format(n=format_number(n), value=value, source=_source(best["producer"]),
                       date=_on(facts["first"]) if facts["first"] is not None else "")
    spread = facts.get("spread") or []
    others = [(v, c) for v, c in facts["values"] if v != facts["value"] and v not in spread]
    if spread:
        text += " " + gettext("The same originator gave other counts no later than that, so "
                              "the counts varied: {numbers}.").format(
            numbers=word_list(format_number(v, unit) for v in spread))
    if others and not facts.get("said"):
        text += " " + gettext("Other counts in the record: {numbers}.").format(
            numbers=_numbers(others, unit))
    return text


def _article_dates(event: dict) -> str:
    """The article's dates for an event: 'February 2014', or 'October – December 2013' for a
    run of months ("late last year")."""
    start, end, precision = event["start_date"], event["end_date"], event["date_precision"]
    if precision == "month" and given(start) and (start.year, start.month) != (end.year,
                                                                                end.month):
        return gettext("{start} – {end}").format(start=format_date(start, "month"),
                                                 end=format_date(end, "month"))
    return format_span(start, end, precision)


def _event_reason(verdict: str, rule: str, facts: dict, n: int) -> str:
    event = facts["event"]
    if rule in ("place", "place-near"):
        if rule == "place-near":
            return gettext("{k} of the {of} independent channels that name a place put it near "
                           "the article's place but not in it, most often in {place}.").format(
                k=format_number(n), of=format_number(facts["of"]),
                place=_isolated(str(facts["where"])))
        if verdict != "accurate":
            return gettext("{k} of the {of} independent channels that name a place put it "
                           "elsewhere, most often in {place}.").format(
                k=format_number(n), of=format_number(facts["of"]),
                place=_isolated(str(facts["where"])))
        return ngettext("{n} independent channel reports it at the article's place.",
                        "{n} independent channels report it at the article's place.", n).format(
            n=format_number(n))
    if rule == "after-publication":
        return gettext("{k} of the {of} independent channels that date it put it after the "
                       "article appeared.").format(k=format_number(n),
                                                   of=format_number(facts["of"]))
    if rule == "occurrence":
        when = _when(facts["dated"])
        if not when:
            return ngettext("{n} independent channel reports it before the article appeared.",
                            "{n} independent channels report it before the article appeared.",
                            n).format(n=format_number(n))
        return ngettext("{n} independent channel reports it before the article appeared; the "
                        "record dates it {when}.", "{n} independent channels report it before "
                        "the article appeared; the record dates it {when}.", n).format(
            n=format_number(n), when=when)
    article = _article_dates(event)
    when = _when(facts.get("dated", []))
    if verdict == "inaccurate":
        return gettext("{k} of the {of} independent channels that date it put it outside "
                       "{article}, most often {when}.").format(
            k=format_number(n), of=format_number(facts["of"]), article=article, when=when)
    if rule == "date-near":
        words = gettext("The article gives {article}; {k} of the {of} independent channels "
                        "that date it put it just outside, within {days} days, most often "
                        "{when}.")
        return words.format(article=article, k=format_number(n), of=format_number(facts["of"]),
                            days=format_number(facts["days"]), when=when)
    if not facts["of"]:
        return ngettext("{n} independent channel reports it, without a date.",
                        "{n} independent channels report it; none gives a date.", n).format(
            n=format_number(n))
    text = gettext("{k} of the {of} independent channels that date it agree with "
                   "{article}.").format(k=format_number(n), of=format_number(facts["of"]),
                                        article=article)
    if rule == "date-sharper":
        text += " " + gettext("The record is more precise: {when}.").format(
            when=_when(facts["sharper"]))
    return text
