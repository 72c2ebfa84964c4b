"""TEMPORARY ADAPTER, to be deleted when the new verdicts land on `main`.

The verdict cards and the key-figures badges are written against the contract of the rewritten
`tunisia_report.dataset.verdicts`: `VERDICTS` and `claims(data)` with one row per claim and the
columns `CONTRACT_COLUMNS`. Until that module lands, `claims` here maps today's verdicts onto
those columns. At the merge: delete this file and import `VERDICTS` and `claims` from
`tunisia_report.dataset.verdicts` instead (the callers are `report/cards.py` and
`charts/key_figures.py`).
"""

from __future__ import annotations

import pandas as pd

from tunisia_report.dataset import verdicts as current
from tunisia_report.text.dates import event_date, format_span
from tunisia_report.text.formatting import format_number, format_value, original
from tunisia_report.text.i18n import N_, gettext
from tunisia_report.text.narrative import lookup

VERDICTS = ("accurate", "outdated", "revised", "imprecise", "inaccurate", "unverifiable")
CONTRACT_COLUMNS = ("claim_id", "kind", "label", "quote", "asserts", "verdict", "rule",
                    "conclusion", "reason", "n_channels", "source_ids")
# Today's verdicts on the new scale, and today's words for them as the one-line conclusion.
_VERDICT = {"confirmed": "accurate", "more-precise": "imprecise", "superseded": "revised",
            "differs": "inaccurate", "not-found": "unverifiable"}
_WORDS = {"confirmed": N_("confirmed"), "more-precise": N_("more precise elsewhere"),
          "superseded": N_("superseded by a later count"), "differs": N_("differs"),
          "not-found": N_("not found")}


RECORD = N_("The record")


def claims(data) -> pd.DataFrame:
    """TEMPORARY: today's `dataset.verdicts.claims` mapped to the new contract's columns."""
    rows = []
    for claim in current.claims(data).to_dict("records"):
        kind = "fig" if claim["kind"] == "figure" else "event"
        row = lookup(data, kind, claim["claim_id"])
        words = _WORDS[claim["verdict"]]
        conclusion = gettext(words)
        rows.append({
            "claim_id": claim["claim_id"], "kind": claim["kind"], "label": claim["label"],
            "quote": row["quote"], "asserts": _asserts(data, claim, row),
            "verdict": _VERDICT[claim["verdict"]], "rule": claim["reason"],
            "conclusion": conclusion[:1].upper() + conclusion[1:] + ".",
            "reason": f"{gettext(RECORD)}: {_record(data, claim)}",
            "n_channels": claim["n_newsrooms"], "source_ids": claim["source_ids"]})
    return pd.DataFrame(rows, columns=list(CONTRACT_COLUMNS))


def _asserts(data, claim, row) -> str:
    """What the article says: the amount, or the date and place."""
    if claim["kind"] == "figure":
        if original(row, "unit") == "year" or pd.isna(row["value"]):
            return gettext("“{words}”").format(words=row["amount_text"])
        return gettext("{amount} {unit}").format(amount=format_value(row), unit=row["unit"])
    where = lookup(data, "place", row["place_id"])["name"] if pd.notna(row["place_id"]) else ""
    return gettext(", ").join(x for x in (event_date(row), where) if x)


def _record(data, claim) -> str:
    """What the record says: numbers most often given first, or its dates and place."""
    if claim["kind"] == "figure":
        if not claim["values"]:
            return gettext("in words only") if claim["n_reports"] else "–"
        unit = original(lookup(data, "fig", claim["claim_id"]), "unit")
        (top, n), *others = claim["values"]
        text = gettext("{number} ({n} of {total})").format(
            number=format_number(top, unit), n=format_number(n),
            total=format_number(sum(c for _, c in claim["values"])))
        if others:
            text += gettext("; also {numbers}").format(
                numbers=gettext(", ").join(format_number(v, unit) for v, _ in others))
        return text
    names = data.actors.set_index("actor_id")["name"]
    dates = []
    for found in claim["record_dates"]:
        when = format_span(found["start"], found["end"], found["precision"])
        who = f" ({names[found['actor_id']]})" if found["actor_id"] else ""
        dates.append(gettext("{when}{who}, {n} of {total}").format(
            when=when, who=who, n=format_number(found["n"]), total=format_number(found["of"])))
    reports = data.reports[data.reports["event_id"] == claim["claim_id"]]
    outside = reports[reports["place_relation"] == "outside"]["place"]
    place = ([gettext("elsewhere: {place}").format(place=outside.value_counts().index[0])]
             if len(outside) else [])
    return gettext("; ").join(dates + place) or (gettext("no date") if claim["n_reports"]
                                                  else "–")
