"""How the article holds up against the public record: a verdict per claim, computed from the
`reports` table by the rules below, with a reason phrased from the same data, never typed.

A claim is one of the article's figures, or one of its events other than its own publication;
`claims.csv` (data) says what it asserts and what of it is tested (`tests`). Its reports are
the rows of `reports` about it.

Channels. A report counts only if its source is not an aggregator, a mirror or a wiki (sources
`kind`). Counted reports with the same `originator` and the same source `newsroom` are one
channel: a wire's copy run by several papers, or a ministry's figure relayed twice by one
newsroom, counts once. Every count below is of channels, never of rows.

Statement dates. A report's `stated_date` (at `stated_precision`) is when the figure was
given. A statement is *later* than another only when its earliest possible day follows the
other's latest possible day; an undated statement is never later or earlier than any other.

Figures (tried in this order)
  unverifiable  no channel gives an amount (`copies-only` when only aggregators, mirrors or
                wikis do, `no-channel` when nothing does).
  imprecise     the article gives words and a channel gives a number (`number-for-words`); or
                the article names a decade ("the 1950s") and every number given is one year
                within it (`year-in-decade`).
  accurate      the article gives words and channels give words too (`words`).
  inaccurate    no channel gives the article's number (`other-number`).
  revised       the figure is the toll of one event (it has an `event_id`) and an originator
                that gave the article's number later gave another (`later-count`).
  outdated      the figure is a running total and an originator that gave the article's number
                gave another after it, on or before the article's publication
                (`newer-figure`).
  accurate      otherwise: at least one channel gives the article's number (`channels`).

Events (what is tested comes from `tests`: occurrence, date, place or date-place)
  unverifiable  no channel reports it (`copies-only`, `no-channel`).
  inaccurate    (place tested) more channels that name a place put it outside the article's
                place than at or within it (`place`); (date tested) more than half of the
                channels that date it put it outside the article's dates, some by a twelfth of
                their span or more (`date`); (occurrence) more than half date it after the
                article's publication (`after-publication`).
  imprecise     (date tested) more than half put it outside the article's dates, but each by
                less than a twelfth of their span (a month for a year: "late last year" for 29
                January) (`date-near`); or a channel dating it within the article's dates does
                so more precisely than the article (a day where it gives a month) (`date`).
  accurate      otherwise (`date`, `place` or `occurrence`).

Ties never convict: half the channels against is not "more than half". A channel's date is its
most precise report's; a channel is at the article's place if any of its reports puts it there.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pandas as pd

from tunisia_report.dataset.schema import ARTICLE
from tunisia_report.text.dates import format_date, format_span
from tunisia_report.text.formatting import format_number, publisher, word_list
from tunisia_report.text.i18n import N_, active, edition, gettext, ngettext

VERDICTS = ("accurate", "outdated", "revised", "imprecise", "inaccurate", "unverifiable")
NEAR_SHARE = 12  # dates outside the article's by under a twelfth of its period are "just outside"
CONCLUSIONS = {  # one line per verdict
    "accurate": N_("The record supports it as stated."),
    "outdated": N_("Right when it was first stated, but a newer figure from the same source "
                   "was public when the article appeared."),
    "revised": N_("Right as the first official count; a later count differs."),
    "imprecise": N_("Right, but the record states it more precisely."),
    "inaccurate": N_("The record contradicts what it asserts."),
    "unverifiable": N_("No independent source in the record confirms or contradicts it."),
}
NOT_INDEPENDENT = ("aggregator", "mirror", "wiki")  # source kinds that never count
KIND_RANK = {"primary-statement": 0, "government-statement": 0, "news-agency": 1}
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "before": 3}
DECADE = re.compile(r"\b(\d{3})0s\b")  # "the 1950s"
CLAIM_TABLES = ("figures", "events", "reports", "sources", "claims")
CSV_COLUMNS = ("claim_id", "quote", "asserts", "verdict", "reason", "n_channels", "source_urls")


def _given(value) -> bool:
    return value is not None and not pd.isna(value)


def publication(data) -> pd.Timestamp:
    """The article's date of publication, from the sources table."""
    return data.sources.set_index("source_id").loc[ARTICLE, "date_published"]


def span(date, precision) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last possible day of a date at its precision; None when undated."""
    if not _given(date) or not _given(precision):
        return None
    date = pd.Timestamp(date)
    last = {"day": date, "month": date + pd.offsets.MonthEnd(0),
            "year": date + pd.offsets.YearEnd(0)}[str(precision)]
    return date, last


def is_later(first, second) -> bool:
    """Whether statement span `first` surely follows span `second` (both known)."""
    return first is not None and second is not None and first[0] > second[1]


def reports_with_sources(data) -> pd.DataFrame:
    """Every report with its source's publisher, newsroom, kind and date (`published`,
    `published_precision`, `source_kind`), its claim id (`claim_id`), whether it counts
    (`counts`: not an aggregator, mirror or wiki) and its `channel` (originator, newsroom)."""
    columns = ["source_id", "producer", "newsroom", "title", "url", "date_published",
               "published_precision", "kind"]
    sources = data.sources[columns].rename(columns={"date_published": "published",
                                                    "kind": "source_kind"})
    reports = data.reports.merge(sources, on="source_id", how="left")
    reports["claim_id"] = reports["figure_id"].fillna(reports["event_id"])
    reports["counts"] = ~reports["source_kind"].isin(NOT_INDEPENDENT)
    reports["channel"] = list(zip(reports["originator"].astype(str),
                                  reports["newsroom"].astype(str), strict=True))
    reports["stated"] = [span(d, p) for d, p in zip(reports["stated_date"],
                                                    reports["stated_precision"], strict=True)]
    return reports


def claims(data) -> pd.DataFrame:
    """One row per claim: claim_id, kind, label, quote, asserts, tests, verdict, rule,
    conclusion, reason, n_channels, source_ids (best first), and the record's numbers
    (`values`) or dates (`record_dates`) with the numbers of reports, publishers and newsrooms.

    Kept on the dataset while its tables are the same objects and the language the same: the
    report asks for it once per chart and passage."""
    key = (*(id(data[name]) if name in data else None for name in CLAIM_TABLES), active())
    kept = data.__dict__.get("_claims")
    if kept is None or kept[0] != key:
        kept = data.__dict__["_claims"] = (key, _claims(data))
    return kept[1].copy()


def _assertions(data) -> dict[str, dict]:
    """claim_id -> {tests, asserts} from the claims table (absent in an older dataset)."""
    if "claims" not in data:
        return {}
    return {r["claim_id"]: r for r in data.claims.to_dict("records")}


def _claims(data) -> pd.DataFrame:
    reports = reports_with_sources(data)
    published = publication(data)
    said = _assertions(data)
    rows = []
    for figure in data.figures.to_dict("records"):
        mine = reports[reports["figure_id"] == figure["figure_id"]]
        tests = said.get(figure["figure_id"], {}).get("tests", "amount")
        verdict, rule, facts = judge_figure(figure, mine, published)
        rows.append(_row(figure["figure_id"], "figure", figure["label"], figure, said, tests,
                         verdict, rule, facts, mine,
                         {"values": value_counts(mine[mine["counts"]]), "record_dates": []}))
    events = data.events[data.events["category"] != "publication"]
    for event in events.to_dict("records"):
        mine = reports[reports["event_id"] == event["event_id"]]
        default = "occurrence" if event["date_precision"] == "before" else "date"
        tests = said.get(event["event_id"], {}).get("tests", default)
        verdict, rule, facts = judge_event(event, mine, published, tests)
        rows.append(_row(event["event_id"], "event", event["title"], event, said, tests,
                         verdict, rule, facts, mine,
                         {"values": [], "record_dates": record_dates(mine[mine["counts"]])}))
    return pd.DataFrame(rows)


def _row(claim_id, kind, label, row, said, tests, verdict, rule, facts, mine, extra) -> dict:
    counted = mine[mine["counts"]]
    return {"claim_id": claim_id, "kind": kind, "label": label, "quote": row["quote"],
            "asserts": said.get(claim_id, {}).get("asserts", label), "tests": tests,
            "verdict": verdict, "rule": rule, "conclusion": gettext(CONCLUSIONS[verdict]),
            "reason": reason(verdict, rule, facts), "n_channels": len(facts["support"]),
            "source_ids": best_sources(mine, facts["support"], facts.get("newer")), **extra,
            "n_reports": len(mine), "n_publishers": mine["producer"].map(publisher).nunique(),
            "n_newsrooms": counted["newsroom"].nunique()}


def channels(reports: pd.DataFrame) -> list[tuple[str, str]]:
    """The distinct channels of the counted reports, in their first order."""
    return list(dict.fromkeys(reports.loc[reports["counts"], "channel"]))


def best_sources(reports: pd.DataFrame, support: list, newer: dict | None = None) -> list[str]:
    """Source ids, best first: reports from the supporting channels before the others, primary
    statements and agencies before the rest, then by statement date; the newer figure that
    makes a claim outdated or revised second; copies, mirrors and wikis last."""
    def key(r):
        stated = r["stated"][0] if r["stated"] is not None else pd.Timestamp.max
        return (not r["counts"], r["channel"] not in support,
                KIND_RANK.get(r["source_kind"], 2), stated, r["source_id"])
    ordered = list(dict.fromkeys(r["source_id"]
                                 for r in sorted(reports.to_dict("records"), key=key)))
    if newer is not None and len(ordered) > 1:
        ordered.remove(newer["source_id"])
        ordered.insert(1, newer["source_id"])
    return ordered


def value_counts(reports: pd.DataFrame) -> list[tuple[int, int]]:
    """(number, channels giving it), most often given first, then smaller numbers first."""
    numbers = reports[reports["value"].notna()]
    counts = Counter(int(v) for v, _ in dict.fromkeys(zip(numbers["value"], numbers["channel"],
                                                          strict=True)))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# --- figures --------------------------------------------------------------------------------


def judge_figure(figure: dict, reports: pd.DataFrame, published) -> tuple[str, str, dict]:
    """(verdict, rule, facts) for one figure; see the module docstring. `facts` holds what the
    reason says: `support` (the channels behind the verdict) and the numbers and dates."""
    counted = reports[reports["counts"]]
    amounts = counted[counted["value"].notna() | (counted["value_kind"] == "qualitative")]
    numbers = amounts[amounts["value"].notna()]
    facts = {"support": [], "unit": figure.get("unit_original", figure["unit"]),
             "copies": int((~reports["counts"] & (reports["value"].notna()
                                                  | (reports["value_kind"] == "qualitative")))
                           .sum())}
    if amounts.empty:
        return "unverifiable", ("copies-only" if facts["copies"] else "no-channel"), facts
    if not _given(figure["value"]):
        if len(numbers):
            return "imprecise", "number-for-words", {**facts, "support": channels(numbers),
                                                     "values": value_counts(numbers)}
        return "accurate", "words", {**facts, "support": channels(amounts)}
    value = int(figure["value"])
    facts["value"] = value
    decade = DECADE.search(str(figure.get("amount_text_original", figure["amount_text"])))
    if facts["unit"] == "year" and decade and len(numbers):
        low = int(decade.group(1)) * 10
        if numbers["value"].between(low, low + 9).all() and (numbers["value"] != value).any():
            return "imprecise", "year-in-decade", {**facts, "support": channels(numbers),
                                                   "values": value_counts(numbers)}
    matching = numbers[numbers["value"] == value]
    if matching.empty:
        others = numbers if len(numbers) else amounts
        return "inaccurate", "other-number", {**facts, "support": channels(others),
                                              "values": value_counts(numbers)}
    matched = matching.to_dict("records")
    # Per originator, its statement of our number that surely ends first: another number is
    # surely later than one of its statements exactly when it is surely later than this one.
    earliest: dict[str, tuple] = {}
    for r in matched:
        known = earliest.get(r["originator"])
        if r["stated"] is not None and (known is None or (r["stated"][1], r["stated"][0])
                                        < (known[1], known[0])):
            earliest[r["originator"]] = r["stated"]
    changes = [(earliest[r["originator"]], r)  # (said, row): another number, said after ours
               for r in numbers[numbers["value"] != value].to_dict("records")
               if is_later(r["stated"], earliest.get(r["originator"]))]
    dated = [r["stated"] for r in matched if r["stated"] is not None]
    facts.update(support=channels(matching), values=value_counts(numbers),
                 first=min(dated, key=lambda s: (s[1], s[0]), default=None), best=matching)
    if changes and _given(figure.get("event_id")):
        said, row = min(changes, key=lambda c: (c[1]["stated"][0], c[0]))
        return "revised", "later-count", {**facts, "newer": row, "said": said}
    newer = [(s, r) for s, r in changes if r["stated"][1] <= published]
    if newer and not _given(figure.get("event_id")):
        said, row = max(newer, key=lambda c: (c[1]["stated"][0], c[0]))
        return "outdated", "newer-figure", {**facts, "newer": row, "said": said}
    return "accurate", "channels", facts


# --- events ---------------------------------------------------------------------------------


def within(report, event: dict) -> bool:
    """Whether the report's dates lie within the article's dates for the event."""
    start = report["start_date"] if _given(report["start_date"]) else report["end_date"]
    if report["end_date"] > event["end_date"]:
        return False
    return not _given(event["start_date"]) or start >= event["start_date"]


def _channel_dates(reports: pd.DataFrame) -> list[dict]:
    """One dated report per channel: its most precise, then earliest."""
    dated = reports[reports["counts"] & reports["end_date"].notna()].to_dict("records")
    best: dict = {}
    for r in sorted(dated, key=lambda r: (PRECISION_RANK[r["date_precision"]], r["end_date"])):
        best.setdefault(r["channel"], r)
    return list(best.values())


def judge_event(event: dict, reports: pd.DataFrame, published, tests: str
                ) -> tuple[str, str, dict]:
    """(verdict, rule, facts) for one event; see the module docstring."""
    counted = reports[reports["counts"]]
    facts = {"support": [], "copies": int((~reports["counts"]).sum()), "event": event}
    if counted.empty:
        return "unverifiable", ("copies-only" if facts["copies"] else "no-channel"), facts
    everyone = channels(counted)
    if "place" in tests:
        named = counted[counted["place_relation"].notna()]
        at = set(named.loc[named["place_relation"].isin(["same", "inside"]), "channel"])
        away = set(named["channel"]) - at
        if len(away) > len(at):
            return "inaccurate", "place", {**facts, "support": sorted(away), "of": len(at | away)}
    dated = _channel_dates(counted)
    if tests == "occurrence":
        after = [r for r in dated if r["end_date"] > published]
        if len(after) > len(dated) / 2:
            return "inaccurate", "after-publication", {**facts, "support":
                                                       [r["channel"] for r in after],
                                                       "of": len(dated)}
        return "accurate", "occurrence", {**facts, "support": everyone, "dated": dated}
    if "date" not in tests:
        return "accurate", "place", {**facts, "support": everyone}
    inside = [r for r in dated if within(r, event)]
    outside = [r for r in dated if not within(r, event)]
    if len(outside) > len(dated) / 2:
        off = [_days_off(r, event) for r in outside]
        facts.update(support=[r["channel"] for r in outside], of=len(dated), dated=outside)
        if max(off) <= _near(event):
            return "imprecise", "date-near", {**facts, "days": max(off)}
        return "inaccurate", "date", facts
    facts.update(support=[r["channel"] for r in inside] or everyone, of=len(dated),
                 dated=inside)
    best = min((PRECISION_RANK[r["date_precision"]] for r in inside), default=None)
    if best is not None and best < PRECISION_RANK[event["date_precision"]]:
        sharper = [r for r in inside if PRECISION_RANK[r["date_precision"]] == best]
        return "imprecise", "date", {**facts, "support": [r["channel"] for r in sharper],
                                     "dated": sharper}
    return "accurate", "date", facts


def _days_off(report, event: dict) -> int:
    """How many days the report's dates lie outside the event's (0 inside)."""
    start = report["start_date"] if _given(report["start_date"]) else report["end_date"]
    if _given(event["start_date"]) and report["end_date"] < event["start_date"]:
        return (event["start_date"] - report["end_date"]).days
    return max((start - event["end_date"]).days, 0)


def _near(event: dict) -> float:
    """Days outside the article's dates that still read as its period: a twelfth of it (a month
    for a year, two days for a month); none for an event known only to precede the article."""
    if not _given(event["start_date"]):
        return -1
    return ((event["end_date"] - event["start_date"]).days + 1) / NEAR_SHARE


def record_dates(reports: pd.DataFrame) -> list[dict]:
    """The date the record gives most often (ties: the earliest), once per actor when the dated
    reports name two or more (each assassination of 2013 has its own date).

    Each is {"actor_id", "start", "end", "precision", "n", "of"}: n of the `of` dated reports
    (of that actor) give it; start is None when they date only the end."""
    dated = reports[reports["end_date"].notna()]
    actors = dated["actor_id"].dropna().unique()
    groups = ([(a, dated[dated["actor_id"] == a]) for a in sorted(actors)] if len(actors) > 1
              else [(None, dated)])
    out = []
    for actor, part in groups:
        if part.empty:
            continue
        keys = Counter((r["start_date"] if _given(r["start_date"]) else None, r["end_date"],
                        r["date_precision"]) for r in part.to_dict("records"))
        (start, end, precision), n = min(keys.items(), key=lambda kv: (
            -kv[1], kv[0][0] if kv[0][0] is not None else kv[0][1], kv[0][1]))
        out.append({"actor_id": actor, "start": start, "end": end, "precision": precision,
                    "n": n, "of": len(part)})
    return out


# --- reasons --------------------------------------------------------------------------------


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
    name = publisher(producer)
    return f"\u2068{name}\u2069" if edition().direction == "rtl" else name


def _channels(n: int) -> str:
    return ngettext("{n} independent channel", "{n} independent channels", n).format(
        n=format_number(n))


def _numbers(values, unit) -> str:
    return word_list(format_number(v, unit) for v, _ in values)


def _when(rows: list[dict]) -> str:
    """The dates the given reports give most often, one per actor (see `record_dates`)."""
    found = record_dates(pd.DataFrame(rows)) if rows else []
    return word_list(format_span(f["start"], f["end"], f["precision"]) for f in found)


def reason(verdict: str, rule: str, facts: dict) -> str:
    """One or two sentences saying why, every number and date from the data."""
    n = len(facts["support"])
    if verdict == "unverifiable":
        if rule == "copies-only":
            return ngettext("Only a copy, mirror or wiki gives it ({n} report), and none of "
                            "these counts as an independent source.",
                            "Only copies, mirrors or wikis give it ({n} reports), and none of "
                            "these counts as an independent source.",
                            facts["copies"]).format(n=format_number(facts["copies"]))
        return gettext("No source in the record gives it, so it could not be checked.")
    if "event" in facts:
        return _event_reason(verdict, rule, facts, n)
    unit = facts["unit"]
    if rule == "words":
        return ngettext("{n} independent channel describes it in words too, without a number.",
                        "{n} independent channels describe it in words too; none gives a "
                        "number.", n).format(n=format_number(n))
    if rule == "number-for-words":
        return gettext("The article gives words where the record gives a number: {numbers}, "
                       "from {channels}.").format(numbers=_numbers(facts["values"], unit),
                                                  channels=_channels(n))
    if rule == "year-in-decade":
        return ngettext("The article names a decade; {n} independent channel gives the year, "
                        "{numbers}.", "The article names a decade; {n} independent channels "
                        "give the year, {numbers}.", n).format(
            n=format_number(n), numbers=_numbers(facts["values"], unit))
    if rule == "other-number":
        return gettext("No independent channel gives {value}; the record gives {numbers}, from "
                       "{channels}.").format(value=format_number(facts["value"], unit),
                                             numbers=_numbers(facts["values"], unit) or "–",
                                             channels=_channels(n))
    value = format_number(facts["value"], unit)
    if rule in ("later-count", "newer-figure"):
        newer = facts["newer"]
        template = (gettext("{value} was the count given {said}; the same originator later gave "
                            "{newer}, {when} ({source}).") if rule == "later-count" else
                    gettext("{value} was given {said}; the same originator gave {newer} {when} "
                            "({source}), before the article appeared."))
        return template.format(value=value, said=_on(facts["said"]),
                               newer=format_number(newer["value"], unit),
                               when=_on(newer["stated"]), source=_source(newer["producer"]))
    best = facts["best"].sort_values("stated_date", na_position="last").iloc[0]
    if facts["first"] is not None:
        best = next(r for r in facts["best"].to_dict("records") if r["stated"] == facts["first"])
    others = [(v, c) for v, c in facts["values"] if v != facts["value"]]
    text = (ngettext("{n} independent channel gives {value}, first stated {date} ({source}).",
                     "{n} independent channels give {value}, first stated {date} ({source}).", n)
            if facts["first"] is not None else
            ngettext("{n} independent channel gives {value} ({source}), without dating the "
                     "statement.", "{n} independent channels give {value} ({source}); none "
                     "dates the statement.", n)).format(
        n=format_number(n), value=value, source=_source(best["producer"]),
        date=_on(facts["first"]) if facts["first"] is not None else "")
    if others:
        text += " " + gettext("Other counts in the record: {numbers}.").format(
            numbers=_numbers(others, unit))
    return text


def _event_reason(verdict: str, rule: str, facts: dict, n: int) -> str:
    event = facts["event"]
    if rule == "place":
        if verdict == "inaccurate":
            return gettext("{k} of the {of} independent channels that name a place put it "
                           "elsewhere.").format(k=format_number(n), of=format_number(facts["of"]))
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
    article = format_span(event["start_date"], event["end_date"], event["date_precision"])
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
    if verdict == "imprecise":
        return ngettext("The article gives {article}; {n} independent channel dates it more "
                        "precisely: {when}.", "The article gives {article}; {n} independent "
                        "channels date it more precisely: {when}.", n).format(
            article=article, n=format_number(n), when=when)
    if not facts["of"]:
        return ngettext("{n} independent channel reports it, without a date.",
                        "{n} independent channels report it; none gives a date.", n).format(
            n=format_number(n))
    return gettext("{k} of the {of} independent channels that date it agree with "
                   "{article}.").format(k=format_number(n), of=format_number(facts["of"]),
                                        article=article)


# --- the judgement as data ------------------------------------------------------------------


def claims_csv(data) -> str:
    """The text of claims.csv: one row per claim with its id, the article's quote, what it
    asserts, the verdict, the reason, the independent channels counted and the URLs of its best
    sources (space-separated), in the active language. Deterministic: same data, same bytes."""
    urls = data.sources.set_index("source_id")["url"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for claim in claims(data).to_dict("records"):
        links = [str(urls[s]) for s in claim["source_ids"] if _given(urls.get(s))]
        writer.writerow([claim["claim_id"], claim["quote"], claim["asserts"], claim["verdict"],
                         claim["reason"], claim["n_channels"], " ".join(links)])
    return out.getvalue()
