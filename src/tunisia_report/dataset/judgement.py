"""The judgement behind each verdict (`dataset.verdicts` has the scale and the claims table;
`dataset.reasons` says it in words): which reports count and as which channel, and the rules
that turn a claim's channels into (part, verdict, rule, facts).

Channels. A report counts only if its source is not a mirror, a blog or a wiki (sources
`kind`); a newspaper's article read on a copy site counts as the newspaper's (its
`copy_host` is only where it was read). Counted reports with the same `originator` and the same
newsroom are one channel, the newsroom being the report's `via` (the outlet whose interview or
report it relays: one interview relayed twice is one statement) or else the source's
`newsroom` (the wire for wire copy). Every count below is of channels, never of rows.

Statement dates. A report's `stated_date` (at `stated_precision`) is when it was given. A
statement is *later* than another only when its earliest possible day follows the other's
latest possible day; an undated statement is never later or earlier than any other.

Figures: the amount (reports whose `part` is empty)
  unverifiable  no channel gives an amount (`copies-only`, `unread` when counted sources report
                on it without giving it, `no-channel`).
  accurate      the article gives words: channels give words or a number (`words`,
                `number-for-words`; the number is named).
  (a decade)    the article names a decade ("since the 1950s"): every year in it is the
                article's; a channel giving a later year contradicts the superlative:
                nearly-right within ten years of the decade's end, else inaccurate
                (`later-year`).
  inaccurate    no channel gives the article's number (`other-number`).
  outdated      an originator that gave the article's number first gave another one surely
                after it, on or before publication (`newer-figure`).
  revised       the same, but only after publication (`later-count`).
  accurate      otherwise (`channels`); where the same originator gave other numbers no
                later than the article's (a toll that varied the same day) the reason says so.
  who           (tested when the article names whose figure it is) the claim's `who` must be
                the originator of a supporting channel, else nearly-right (`other-originator`).
  said          (a relayed superlative or quotation) judged as the amount, on the reports
                whose `part` is `said`: that it was said, by whom and when.

Events (what is tested comes from `tests`)
  unverifiable  no channel reports it (`copies-only`, `no-channel`).
  occurrence    inaccurate when more than half of the channels that date it put it after the
                publication (`after-publication`), else accurate (`occurrence`).
  place         of the channels that name a place, more put it away from the article's place
                than at, inside or around it: nearly-right when all of those are `near` it
                (Hammamet for Tunis; `place-near`), else inaccurate (`place`).
  date          more than half of the channels that date it put it outside the article's
                dates: nearly-right when each lies within NEAR of them (`date-near`), else
                inaccurate (`date`); otherwise accurate (`date`, or `date-sharper` when a
                channel dates it more precisely, which the reason gives).

Ties never convict: half the channels against is not "more than half". A channel's date is its
most precise report's; a channel is at the article's place if any of its reports puts it there.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from tunisia_report.dataset.schema import ARTICLE

NOT_INDEPENDENT = ("mirror", "blog", "wiki")  # source kinds that never count
KIND_RANK = {"official-statement": 0, "official-report": 0, "news-agency": 1}
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "before": 3}
AT_PLACE = ("same", "inside", "around")  # place relations that agree with the article
NEAR_UNIT = {"day": 1, "month": 31, "year": 31}  # NEAR: the larger of this and a quarter
NEAR_SHARE = 4                                   # of the article's period, in days
DECADE = re.compile(r"\b(\d{3})0s\b")  # "the 1950s"


def given(value) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value)) \
        and value != ""


def publication(data) -> pd.Timestamp:
    """The article's date of publication, from the sources table."""
    return data.sources.set_index("source_id").loc[ARTICLE, "date_published"]


def span(date, precision) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last possible day of a date at its precision; None when undated."""
    if not given(date) or not given(precision):
        return None
    date = pd.Timestamp(date)
    last = {"day": date, "month": date + pd.offsets.MonthEnd(0),
            "year": date + pd.offsets.YearEnd(0)}[str(precision)]
    return date, last


def is_later(first, second) -> bool:
    """Whether statement span `first` surely follows span `second` (both known)."""
    return first is not None and second is not None and first[0] > second[1]


def parts(tests) -> tuple[str, ...]:
    """The tested parts of a claim: 'amount+who' -> ('amount', 'who')."""
    return tuple(p for p in str(tests).split("+") if p)


def reports_with_sources(data) -> pd.DataFrame:
    """Every report with its source's publisher, newsroom, kind and date (`published`,
    `published_precision`, `source_kind`), its claim id (`claim_id`), whether it counts
    (`counts`: not a mirror, blog or wiki) and its `channel` (originator, newsroom or via)."""
    columns = ["source_id", "producer", "newsroom", "title", "url", "date_published",
               "published_precision", "kind"]
    sources = data.sources[columns].rename(columns={"date_published": "published",
                                                    "kind": "source_kind"})
    reports = data.reports.merge(sources, on="source_id", how="left")
    for column in ("part", "via"):
        if column not in reports:
            reports[column] = None
    reports["claim_id"] = reports["figure_id"].fillna(reports["event_id"])
    reports["counts"] = ~reports["source_kind"].isin(NOT_INDEPENDENT)
    carried = [v if given(v) else n for v, n in zip(reports["via"], reports["newsroom"],
                                                     strict=True)]
    reports["channel"] = list(zip(reports["originator"].astype(str),
                                  [str(c) for c in carried], strict=True))
    reports["stated"] = [span(d, p) for d, p in zip(reports["stated_date"],
                                                    reports["stated_precision"], strict=True)]
    return reports



def channels(reports: pd.DataFrame) -> list[tuple[str, str]]:
    """The distinct channels of the counted reports, in their first order."""
    return list(dict.fromkeys(reports.loc[reports["counts"], "channel"]))


def best_sources(reports: pd.DataFrame, support: list, newer: dict | None = None,
                 best: pd.DataFrame | None = None) -> list[str]:
    """Source ids, best first: reports giving the article's number (`best`), then those from
    the supporting channels, before the others; official statements and agencies before the
    rest, then by statement date; the newer figure that makes a claim outdated or revised
    second; mirrors, blogs and wikis last."""
    lead = set(best["source_id"]) if best is not None else set()
    def key(r):
        stated = r["stated"][0] if r["stated"] is not None else pd.Timestamp.max
        return (not r["counts"], bool(lead) and r["source_id"] not in lead,
                r["channel"] not in support,
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


def plain(reports: pd.DataFrame) -> pd.Series:
    """The reports about the claim's own amount (no `part`), as a mask."""
    return ~reports["part"].map(given).astype(bool)


# --- figures --------------------------------------------------------------------------------


def judge_figure(figure: dict, reports: pd.DataFrame, published, tests=("amount",),
                 who=None) -> list[tuple[str, str, str, dict]]:
    """[(part, verdict, rule, facts)] for one figure's tested parts; see the module docstring.
    `facts` holds what the reason says: `support` (the channels behind the verdict) and the
    numbers and dates."""
    judged = []
    if "amount" in tests or not tests:
        verdict, rule, facts = judge_amount(figure, reports[plain(reports)], published)
        judged.append(("amount", verdict, rule, facts))
        if "who" in tests and verdict not in ("unverifiable", "inaccurate") and given(who):
            originators = {c[0] for c in facts["support"]}
            if who in originators:
                judged.append(("who", "accurate", "who", {"support": facts["support"],
                                                          "who": who}))
            else:
                judged.append(("who", "nearly-right", "other-originator",
                               {"support": facts["support"], "who": who,
                                "originators": sorted(originators)}))
    if "said" in tests:
        verdict, rule, facts = judge_amount(figure, reports[reports["part"] == "said"],
                                            published)
        judged.append(("said", verdict, rule, {**facts, "said": True}))
    return judged


def judge_amount(figure: dict, reports: pd.DataFrame, published) -> tuple[str, str, dict]:
    """(verdict, rule, facts) for a figure's amount, from the given reports."""
    counted = reports[reports["counts"]]
    amounts = counted[counted["value"].notna() | (counted["value_kind"] == "qualitative")]
    numbers = amounts[amounts["value"].notna()]
    facts = {"support": [], "unit": figure.get("unit_original", figure["unit"]),
             "copies": int((~reports["counts"] & (reports["value"].notna()
                                                  | (reports["value_kind"] == "qualitative")))
                           .sum())}
    if amounts.empty:
        if facts["copies"]:
            return "unverifiable", "copies-only", facts
        if len(counted):
            return "unverifiable", "unread", {**facts, "silent": counted}
        return "unverifiable", "no-channel", facts
    if not given(figure["value"]):
        if len(numbers):
            return "accurate", "number-for-words", {**facts, "support": channels(numbers),
                                                    "values": value_counts(numbers)}
        return "accurate", "words", {**facts, "support": channels(amounts)}
    value = int(figure["value"])
    facts["value"] = value
    decade = DECADE.search(str(figure.get("amount_text_original", figure["amount_text"])))
    if facts["unit"] == "year" and decade:
        low = int(decade.group(1)) * 10
        later = numbers[numbers["value"] > low + 9]
        if len(later):
            off = int(later["value"].min()) - (low + 9)
            return ("nearly-right" if off <= 10 else "inaccurate"), "later-year", {
                **facts, "support": channels(later), "values": value_counts(later)}
        inside = numbers[numbers["value"].between(low, low + 9)]
        numbers = pd.concat([inside.assign(value=value), numbers.drop(inside.index)])
        if numbers.empty:
            return "accurate", "words", {**facts, "support": channels(amounts)}
    matching = numbers[numbers["value"] == value]
    if matching.empty:
        others = numbers if len(numbers) else amounts
        return "inaccurate", "other-number", {**facts, "support": channels(others),
                                              "values": value_counts(numbers)}
    # Per originator, the first statement of our number (the one that surely ends first),
    # and of every other number it gave: a number is a change when its first statement
    # surely follows ours; otherwise it is a count given alongside ours (a spread).
    def first_statements(rows) -> dict:
        """originator -> (row, span) of its first statement; of equal statements, the one on
        the page published first (the nearest to the statement)."""
        def key(r):
            published = r["published"] if given(r["published"]) else pd.Timestamp.max
            return (r["stated"][1], r["stated"][0], pd.Timestamp(published))
        first: dict = {}
        for r in rows.to_dict("records"):
            known = first.get(r["originator"])
            if r["stated"] is not None and (known is None or key(r) < key(known[0])):
                first[r["originator"]] = (r, r["stated"])
        return first
    ours = {o: s for o, (_, s) in first_statements(matching).items()}
    changes, spread = [], []
    for _, rows in numbers[numbers["value"] != value].groupby("value"):
        for originator, (row, said) in first_statements(rows).items():
            if originator not in ours:
                continue
            (changes if is_later(said, ours[originator]) else spread).append(
                (ours[originator], row))
    dated = [r["stated"] for r in matching.to_dict("records") if r["stated"] is not None]
    facts.update(support=channels(matching), values=value_counts(numbers),
                 first=min(dated, key=lambda s: (s[1], s[0]), default=None), best=matching,
                 spread=sorted({int(r["value"]) for _, r in spread} | ({value} if spread
                                                                         else set())))
    before = [(s, r) for s, r in changes if r["stated"][1] <= published]
    if before:
        said, row = max(before, key=lambda c: (c[1]["stated"][0], c[0]))
        return "outdated", "newer-figure", {**facts, "newer": row, "said": said}
    if changes:
        said, row = min(changes, key=lambda c: (c[1]["stated"][0], c[0]))
        return "revised", "later-count", {**facts, "newer": row, "said": said}
    return "accurate", "channels", facts


# --- events ---------------------------------------------------------------------------------


def within(report, event: dict) -> bool:
    """Whether the report's dates lie within the article's dates for the event."""
    start = report["start_date"] if given(report["start_date"]) else report["end_date"]
    if report["end_date"] > event["end_date"]:
        return False
    return not given(event["start_date"]) or start >= event["start_date"]


def _channel_dates(reports: pd.DataFrame) -> list[dict]:
    """One dated report per channel: its most precise, then earliest."""
    dated = reports[reports["counts"] & reports["end_date"].notna()].to_dict("records")
    best: dict = {}
    for r in sorted(dated, key=lambda r: (PRECISION_RANK[r["date_precision"]], r["end_date"])):
        best.setdefault(r["channel"], r)
    return list(best.values())


def judge_event(event: dict, reports: pd.DataFrame, published, tests=("date",)
                ) -> list[tuple[str, str, str, dict]]:
    """[(part, verdict, rule, facts)] for one event's tested parts; see the module docstring."""
    if isinstance(tests, str):
        tests = parts(tests.replace("-", "+"))
    counted = reports[reports["counts"]]
    facts = {"support": [], "copies": int((~reports["counts"]).sum()), "event": event}
    if counted.empty:
        return [(tests[0] if tests else "occurrence", "unverifiable",
                 "copies-only" if facts["copies"] else "no-channel", facts)]
    everyone = channels(counted)
    dated = _channel_dates(counted)
    judged = []
    if "place" in tests:
        named = counted[counted["place_relation"].notna()]
        at = set(named.loc[named["place_relation"].isin(AT_PLACE), "channel"])
        near = set(named.loc[named["place_relation"] == "near", "channel"]) - at
        away = set(named["channel"]) - at
        place = {**facts, "of": len(at | away)}
        if len(away) > len(at):
            where = Counter(named.loc[named["channel"].isin(away), "place"]).most_common(1)
            place.update(support=sorted(away), where=where[0][0])
            judged.append(("place", "nearly-right" if away == near else "inaccurate",
                           "place-near" if away == near else "place", place))
        else:
            judged.append(("place", "accurate", "place", {**place, "support": sorted(at)
                                                          or everyone}))
    if "occurrence" in tests:
        after = [r for r in dated if r["end_date"] > published]
        if len(after) > len(dated) / 2:
            judged.append(("occurrence", "inaccurate", "after-publication",
                           {**facts, "support": [r["channel"] for r in after],
                            "of": len(dated)}))
        else:
            judged.append(("occurrence", "accurate", "occurrence",
                           {**facts, "support": everyone, "dated": dated}))
    if "date" in tests:
        judged.append(("date", *_judge_date(event, dated, everyone, facts)))
    return judged


def _judge_date(event: dict, dated: list, everyone: list, facts: dict) -> tuple[str, str, dict]:
    inside = [r for r in dated if within(r, event)]
    outside = [r for r in dated if not within(r, event)]
    if len(outside) > len(dated) / 2:
        off = [_days_off(r, event) for r in outside]
        facts = {**facts, "support": [r["channel"] for r in outside], "of": len(dated),
                 "dated": outside}
        if max(off) <= _near(event):
            return "nearly-right", "date-near", {**facts, "days": max(off)}
        return "inaccurate", "date", facts
    facts = {**facts, "support": [r["channel"] for r in inside] or everyone, "of": len(dated),
             "dated": inside}
    best = min((PRECISION_RANK[r["date_precision"]] for r in inside), default=None)
    if best is not None and best < PRECISION_RANK[event["date_precision"]]:
        sharper = [r for r in inside if PRECISION_RANK[r["date_precision"]] == best]
        return "accurate", "date-sharper", {**facts, "sharper": sharper}
    return "accurate", "date", facts


def _days_off(report, event: dict) -> int:
    """How many days the report's dates lie outside the event's (0 inside)."""
    start = report["start_date"] if given(report["start_date"]) else report["end_date"]
    if given(event["start_date"]) and report["end_date"] < event["start_date"]:
        return (event["start_date"] - report["end_date"]).days
    return max((start - event["end_date"]).days, 0)


def _near(event: dict) -> float:
    """Days outside the article's dates that still read as close to them: a quarter of its
    period, or a day for a day and a month for a month or a year, whichever is more; none
    for an event known only to precede the article."""
    if not given(event["start_date"]):
        return -1
    days = (event["end_date"] - event["start_date"]).days + 1
    return max(days / NEAR_SHARE, NEAR_UNIT.get(event["date_precision"], 0))


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
        keys = Counter((r["start_date"] if given(r["start_date"]) else None, r["end_date"],
                        r["date_precision"]) for r in part.to_dict("records"))
        (start, end, precision), n = min(keys.items(), key=lambda kv: (
            -kv[1], kv[0][0] if kv[0][0] is not None else kv[0][1], kv[0][1]))
        out.append({"actor_id": actor, "start": start, "end": end, "precision": precision,
                    "n": n, "of": len(part)})
    return out
