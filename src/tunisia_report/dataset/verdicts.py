"""How the article holds up against the public record: a verdict per claim, computed from the
`reports` table by the rules below, never typed.

A claim is one of the article's figures, or one of its events other than its own publication.
Its reports are the rows of `reports` about it. The rules, in the order they are tried:

Figures
  not-found     no report gives an amount (a number, or the amount in words).
  superseded    a report published after the article gives another number: a later count.
  more-precise  the article gives the amount in words and the record a number; or the article
                gives a decade ("the 1950s") and every number in the record is a year within it.
  confirmed     the article's number is the one the record gives most often (ties included);
                or the article gives it in words and the record does too.
  differs       the record most often gives another number.

Events
  not-found     no report.
  differs       more of the reports that name a place put it outside the article's place than
                at or within it (reason `place`); or more than half of the dated reports date it
                outside the article's dates (reason `date`).
  more-precise  the dates the record gives within the article's are more precise than the
                article's own (a day where the article gives a month, a year or no date).
  confirmed     otherwise: the record reports it at the article's dates and place.

Independence: reports whose sources share a `newsroom` (a wire and the papers that ran its
copy) count once.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from tunisia_report.dataset.schema import ARTICLE

VERDICTS = ("confirmed", "more-precise", "superseded", "differs", "not-found")
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "before": 3}
DECADE = re.compile(r"\b(\d{3})0s\b")  # "the 1950s"
NUMBER_KINDS = ("exact", "estimate", "lower_bound")


def _given(value) -> bool:
    return value is not None and not pd.isna(value)


def publication(data) -> pd.Timestamp:
    """The article's date of publication, from the sources table."""
    return data.sources.set_index("source_id").loc[ARTICLE, "date_published"]


def reports_with_sources(data) -> pd.DataFrame:
    """Every report with its source's publisher, newsroom and date (`published`, `published_
    precision`), and its claim id (`claim_id`: the figure or event it is about)."""
    columns = ["source_id", "producer", "newsroom", "title", "url", "date_published",
               "published_precision", "kind"]
    sources = data.sources[columns].rename(columns={"date_published": "published",
                                                    "kind": "source_kind"})
    reports = data.reports.merge(sources, on="source_id", how="left")
    reports["claim_id"] = reports["figure_id"].fillna(reports["event_id"])
    return reports


CLAIM_TABLES = ("figures", "events", "reports", "sources")


def claims(data) -> pd.DataFrame:
    """One row per claim: its kind, label, verdict and reason, the record's values or dates, and
    how many reports, publishers and newsrooms stand behind it.

    Kept on the dataset while its tables are the same objects: the report asks for it once per
    chart and passage, about 0.2 s each time (measured with cProfile of the timeline)."""
    key = tuple(id(data[name]) for name in CLAIM_TABLES)
    kept = data.__dict__.get("_claims")
    if kept is None or kept[0] != key:
        kept = data.__dict__["_claims"] = (key, _claims(data))
    return kept[1].copy()


def _claims(data) -> pd.DataFrame:
    reports = reports_with_sources(data)
    published = publication(data)
    rows = []
    for figure in data.figures.to_dict("records"):
        mine = reports[reports["figure_id"] == figure["figure_id"]]
        verdict, reason = figure_verdict(figure, mine, published)
        rows.append({"claim_id": figure["figure_id"], "kind": "figure", "label": figure["label"],
                     "verdict": verdict, "reason": reason, "values": value_counts(mine),
                     "record_dates": [], **support(mine)})
    events = data.events[data.events["category"] != "publication"]
    for event in events.to_dict("records"):
        mine = reports[reports["event_id"] == event["event_id"]]
        verdict, reason = event_verdict(event, mine)
        rows.append({"claim_id": event["event_id"], "kind": "event", "label": event["title"],
                     "verdict": verdict, "reason": reason, "values": [],
                     "record_dates": record_dates(mine), **support(mine)})
    return pd.DataFrame(rows)


def support(reports: pd.DataFrame) -> dict:
    """How many reports, publishers and independent newsrooms, and which sources (in order)."""
    ordered = reports.sort_values(["published", "source_id"], na_position="last")
    return {"n_reports": len(reports), "n_publishers": reports["producer"].nunique(),
            "n_newsrooms": reports["newsroom"].nunique(),
            "source_ids": list(dict.fromkeys(ordered["source_id"]))}


def value_counts(reports: pd.DataFrame) -> list[tuple[int, int]]:
    """(number, reports giving it), most often given first, then smaller numbers first."""
    counts = Counter(int(v) for v in reports["value"].dropna())
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def figure_verdict(figure: dict, reports: pd.DataFrame, published) -> tuple[str, str]:
    """The verdict on one figure and the rule that gave it (see the module docstring)."""
    numbers = reports[reports["value"].notna()]
    words = reports[reports["value_kind"] == "qualitative"]
    if numbers.empty and words.empty:
        return "not-found", "no-amount"
    if not _given(figure["value"]):
        return ("more-precise", "number") if len(numbers) else ("confirmed", "words")
    value = int(figure["value"])
    later = numbers[(numbers["published"] > published) & (numbers["value"] != value)]
    if len(later):
        return "superseded", "later-count"
    if numbers.empty:
        return "confirmed", "words"
    # The dataset's own words and unit (an edition keeps them as *_original beside its own).
    decade = DECADE.search(str(figure.get("amount_text_original", figure["amount_text"])))
    if figure.get("unit_original", figure["unit"]) == "year" and decade:
        low = int(decade.group(1)) * 10
        if numbers["value"].between(low, low + 9).all() and (numbers["value"] != value).any():
            return "more-precise", "year-in-decade"
    counts = value_counts(numbers)
    top = counts[0][1]
    if any(v == value and n == top for v, n in counts):
        return "confirmed", "most-often"
    return "differs", "other-number"


def within(report, event: dict) -> bool:
    """Whether the report's dates lie within the article's dates for the event."""
    start = report["start_date"] if _given(report["start_date"]) else report["end_date"]
    if report["end_date"] > event["end_date"]:
        return False
    return not _given(event["start_date"]) or start >= event["start_date"]


def event_verdict(event: dict, reports: pd.DataFrame) -> tuple[str, str]:
    """The verdict on one event and the rule that gave it (see the module docstring)."""
    if reports.empty:
        return "not-found", "no-report"
    places = reports["place_relation"].value_counts()
    if places.get("outside", 0) > places.get("same", 0) + places.get("inside", 0):
        return "differs", "place"
    dated = reports[reports["end_date"].notna()]
    if dated.empty:
        return "confirmed", "undated"
    inside = dated[[within(r, event) for r in dated.to_dict("records")]]
    if len(dated) - len(inside) > len(dated) / 2:
        return "differs", "date"
    best = min(PRECISION_RANK[p] for p in inside["date_precision"]) if len(inside) else None
    if best is not None and best < PRECISION_RANK[event["date_precision"]]:
        return "more-precise", "date"
    return "confirmed", "date"


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
