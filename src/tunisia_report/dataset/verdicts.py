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

The rules that judge each part are `dataset.judgement`'s (its docstring states them); the
reason each verdict gives, in the edition's words, is `dataset.reasons`'s. Here: the scale and
the claims table, one row per claim, and `claims.csv`.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from tunisia_report.dataset.judgement import (
    NOT_INDEPENDENT as NOT_INDEPENDENT,  # re-exported: the readers of verdicts import it here
)
from tunisia_report.dataset.judgement import (
    best_sources,
    given,
    judge_event,
    judge_figure,
    parts,
    plain,
    publication,
    record_dates,
    reports_with_sources,
    value_counts,
)
from tunisia_report.dataset.reasons import CONCLUSIONS, reason
from tunisia_report.text.formatting import publisher
from tunisia_report.text.i18n import active, gettext

VERDICTS = ("accurate", "nearly-right", "outdated", "revised", "inaccurate", "unverifiable")
SEVERITY = ("inaccurate", "outdated", "nearly-right", "unverifiable", "revised", "accurate")
AT_PUBLICATION = {"revised": "accurate"}  # the verdict as of publication, where it differs
PARTS = ("amount", "who", "said", "date", "place", "occurrence")
CSV_COLUMNS = ("claim_id", "quote", "asserts", "tests", "not_tested", "verdict",
               "verdict_at_publication", "revision", "reason", "note", "n_channels",
               "source_urls")



def claims(data) -> pd.DataFrame:
    """One row per claim: claim_id, kind, label, quote, asserts, tests, not_tested, note,
    verdict, verdict_at_publication, revision, parts (part -> verdict), rule, conclusion,
    reason, n_channels, source_ids (best first), and the record's numbers (`values`) or dates
    (`record_dates`) with the numbers of reports, publishers and newsrooms.

    Kept on the dataset while its tables are the same objects and the language the same
    (`Dataset.kept`): the report asks for it once per chart and passage."""
    return data.kept(_claims, active()).copy()


def _assertions(data) -> dict[str, dict]:
    """claim_id -> its claims row (absent in an older dataset: {})."""
    if "claims" not in data:
        return {}
    return {r["claim_id"]: r for r in data.claims.to_dict("records")}


def _claims(data, lang: str) -> pd.DataFrame:
    """`claims`, in the edition `lang` (active: its words are in the reasons)."""
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
                                                                    & plain(mine)]),
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
    return str(value) if given(value) else ""


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
        links = [str(urls[s]) for s in claim["source_ids"] if given(urls.get(s))]
        writer.writerow([claim["claim_id"], claim["quote"], claim["asserts"], claim["tests"],
                         claim["not_tested"], claim["verdict"],
                         claim["verdict_at_publication"], claim["revision"], claim["reason"],
                         claim["note"], claim["n_channels"], " ".join(links)])
    return out.getvalue()
