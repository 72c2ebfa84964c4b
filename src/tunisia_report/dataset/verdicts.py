"""How the article holds up against the public record: a verdict per claim, computed from the
`reports` table by the rules below, with a reason phrased from the same data, never typed.

A claim is one of the article's figures, or one of its events other than its own publication;
`claims.csv` (data) says what it asserts, which of its parts are tested (`tests`: amount, who,
said, date, place, occurrence) and why any other part is not (`not_tested`). Its reports are
the rows of `reports` about it.

The scale. A claim is judged at the precision the article chose: a sharper day or number in
the record is said in the reason, never held against it.
  accurate       right at the article's own precision.
  nearly-right   wrong at its own precision, but close: a date just outside the article's
                 period, a place next to the one it names. The reason names the gap.
  outdated       right when first stated, but the same originator had given another figure
                 on or before the article's publication (any figure, an event's toll included).
  revised        right at publication; the same originator changed it afterwards. Shown with
                 its verdict at publication (accurate), which it never lowers.
  inaccurate     the record contradicts it.
  unverifiable   nothing in the record settles it; the reason says why (no report; only
                 copies, mirrors, blogs or wikis; or the pages that would settle it do not
                 give it in the part that could be read).
Each tested part gets its own verdict; the claim's is the worst of them, in the order above
from the end (inaccurate, outdated, nearly-right, unverifiable, revised, accurate).

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

import csv
import io
import re
from collections import Counter

import pandas as pd

from tunisia_report.dataset.schema import ARTICLE
from tunisia_report.text.dates import format_date, format_span
from tunisia_report.text.formatting import format_number, publisher, word_list
from tunisia_report.text.i18n import N_, active, edition, gettext, ngettext

VERDICTS = ("accurate", "nearly-right", "outdated", "revised", "inaccurate", "unverifiable")
SEVERITY = ("inaccurate", "outdated", "nearly-right", "unverifiable", "revised", "accurate")
AT_PUBLICATION = {"revised": "accurate"}  # the verdict as of publication, where it differs
PARTS = ("amount", "who", "said", "date", "place", "occurrence")
CONCLUSIONS = {  # one line per verdict
    "accurate": N_("Right at the precision the article gives it."),
    "nearly-right": N_("Wrong at the precision the article gives it, but close."),
    "outdated": N_("Right when it was first stated, but the same source had given another "
                   "figure before the article appeared."),
    "revised": N_("Right when the article appeared; the same source changed it later."),
    "inaccurate": N_("The record contradicts what it asserts."),
    "unverifiable": N_("Nothing in the record settles it."),
}
NOT_INDEPENDENT = ("mirror", "blog", "wiki")  # source kinds that never count
KIND_RANK = {"official-statement": 0, "official-report": 0, "news-agency": 1}
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "before": 3}
AT_PLACE = ("same", "inside", "around")  # place relations that agree with the article
NEAR_UNIT = {"day": 1, "month": 31, "year": 31}  # NEAR: the larger of this and a quarter
NEAR_SHARE = 4                                   # of the article's period, in days
DECADE = re.compile(r"\b(\d{3})0s\b")  # "the 1950s"
CLAIM_TABLES = ("figures", "events", "reports", "sources", "claims")
CSV_COLUMNS = ("claim_id", "quote", "asserts", "tests", "not_tested", "verdict",
               "verdict_at_publication", "revision", "reason", "note", "n_channels",
               "source_urls")


def _given(value) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value)) \
        and value != ""


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
    carried = [v if _given(v) else n for v, n in zip(reports["via"], reports["newsroom"],
                                                     strict=True)]
    reports["channel"] = list(zip(reports["originator"].astype(str),
                                  [str(c) for c in carried], strict=True))
    reports["stated"] = [span(d, p) for d, p in zip(reports["stated_date"],
                                                    reports["stated_precision"], strict=True)]
    return reports


def claims(data) -> pd.DataFrame:
    """One row per claim: claim_id, kind, label, quote, asserts, tests, not_tested, note,
    verdict, verdict_at_publication, revision, parts (part -> verdict), rule, conclusion,
    reason, n_channels, source_ids (best first), and the record's numbers (`values`) or dates
    (`record_dates`) with the numbers of reports, publishers and newsrooms.

    Kept on the dataset while its tables are the same objects and the language the same: the
    report asks for it once per chart and passage."""
    key = (*(id(data[name]) if name in data else None for name in CLAIM_TABLES), active())
    kept = data.__dict__.get("_claims")
    if kept is None or kept[0] != key:
        kept = data.__dict__["_claims"] = (key, _claims(data))
    return kept[1].copy()


def _assertions(data) -> dict[str, dict]:
    """claim_id -> its claims row (absent in an older dataset: {})."""
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
        claim = said.get(figure["figure_id"], {})
        tests = parts(claim.get("tests", "amount"))
        judged = _in_order(judge_figure(figure, mine, published, tests, claim.get("who")), tests)
        rows.append(_row(figure["figure_id"], "figure", figure["label"], figure, claim,
                         judged, mine, {"values": value_counts(mine[mine["counts"]
                                                                    & _plain(mine)]),
                                        "record_dates": []}))
    events = data.events[data.events["category"] != "publication"]
    for event in events.to_dict("records"):
        mine = reports[reports["event_id"] == event["event_id"]]
        claim = said.get(event["event_id"], {})
        default = "occurrence" if event["date_precision"] == "before" else "date"
        tests = parts(claim.get("tests", default))
        judged = _in_order(judge_event(event, mine, published, tests), tests)
        rows.append(_row(event["event_id"], "event", event["title"], event, claim, judged,
                         mine, {"values": [],
                                "record_dates": record_dates(mine[mine["counts"]])}))
    return pd.DataFrame(rows)


def _in_order(judged: list, tests: tuple) -> list:
    """The judged parts in the order the claim lists its tests."""
    return sorted(judged, key=lambda j: tests.index(j[0]) if j[0] in tests else len(tests))


def _text(value) -> str:
    return str(value) if _given(value) else ""


def _row(claim_id, kind, label, row, claim, judged: list, mine, extra) -> dict:
    """One claim's row from its judged parts [(part, verdict, rule, facts)], in the order the
    claim lists them: the verdict is the worst part's, the reason says every part in turn."""
    reasons = [reason(v, r, f) for _, v, r, f in judged]
    part, verdict, rule, facts = min(judged, key=lambda j: SEVERITY.index(j[1]))
    counted = mine[mine["counts"]]
    support = list(dict.fromkeys(c for j in judged for c in j[3]["support"]))
    revision = reason(verdict, rule, facts) if verdict == "revised" else ""
    return {"claim_id": claim_id, "kind": kind, "label": label, "quote": row["quote"],
            "asserts": _text(claim.get("asserts")) or label,
            "tests": "+".join(p for p, *_ in judged), "not_tested": _text(claim.get(
                "not_tested")), "note": _text(claim.get("note")),
            "verdict": verdict, "verdict_at_publication": AT_PUBLICATION.get(verdict, verdict),
            "revision": revision, "parts": {p: v for p, v, *_ in judged}, "rule": rule,
            "conclusion": gettext(CONCLUSIONS[verdict]), "reason": " ".join(reasons),
            "n_channels": len(support),
            "source_ids": best_sources(mine, facts["support"] or support, facts.get("newer"),
                                       facts.get("best")),
            **extra, "n_reports": len(mine),
            "n_publishers": mine["producer"].map(publisher).nunique(),
            "n_newsrooms": counted["newsroom"].nunique()}


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


def _plain(reports: pd.DataFrame) -> pd.Series:
    """The reports about the claim's own amount (no `part`), as a mask."""
    return ~reports["part"].map(_given).astype(bool)


# --- figures --------------------------------------------------------------------------------


def judge_figure(figure: dict, reports: pd.DataFrame, published, tests=("amount",),
                 who=None) -> list[tuple[str, str, str, dict]]:
    """[(part, verdict, rule, facts)] for one figure's tested parts; see the module docstring.
    `facts` holds what the reason says: `support` (the channels behind the verdict) and the
    numbers and dates."""
    judged = []
    if "amount" in tests or not tests:
        verdict, rule, facts = judge_amount(figure, reports[_plain(reports)], published)
        judged.append(("amount", verdict, rule, facts))
        if "who" in tests and verdict not in ("unverifiable", "inaccurate") and _given(who):
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
    if not _given(figure["value"]):
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
            published = r["published"] if _given(r["published"]) else pd.Timestamp.max
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
    start = report["start_date"] if _given(report["start_date"]) else report["end_date"]
    if _given(event["start_date"]) and report["end_date"] < event["start_date"]:
        return (event["start_date"] - report["end_date"]).days
    return max((start - event["end_date"]).days, 0)


def _near(event: dict) -> float:
    """Days outside the article's dates that still read as close to them: a quarter of its
    period, or a day for a day and a month for a month or a year, whichever is more; none
    for an event known only to precede the article."""
    if not _given(event["start_date"]):
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
    if precision == "month" and _given(start) and (start.year, start.month) != (end.year,
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


# --- the judgement as data ------------------------------------------------------------------


def claims_csv(data) -> str:
    """The text of claims.csv: one row per claim with its id, the article's quote, what it
    asserts, the parts tested and why others are not, the verdict and the verdict as of
    publication, any later revision, the reason, the record's note, the independent channels
    counted and the URLs of its best sources (space-separated), in the active language.
    Deterministic: same data, same bytes."""
    urls = data.sources.set_index("source_id")["url"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for claim in claims(data).to_dict("records"):
        links = [str(urls[s]) for s in claim["source_ids"] if _given(urls.get(s))]
        writer.writerow([claim["claim_id"], claim["quote"], claim["asserts"], claim["tests"],
                         claim["not_tested"], claim["verdict"],
                         claim["verdict_at_publication"], claim["revision"], claim["reason"],
                         claim["note"], claim["n_channels"], " ".join(links)])
    return out.getvalue()
