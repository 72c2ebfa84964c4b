"""What happened next: the article's five theses assessed against the record after it, from
the tables `attacks`, `tolls`, `departures`, `outcomes`, `assistance` and `theses`. The numbers
only; the words are `report.aftermath`'s.

Tolls. Sources disagree; for each attack and category the toll counted is the one stated last
by an independent source (not a mirror, blog or wiki; one of those only when no other
counts that category), the larger on a tie. Deaths "not militants" (victims) are security forces
and civilians.

Verdicts. Each thesis's verdict and one-line reason are an analyst's judgement, recorded in
`theses.csv` with the measures it rests on (`MEASURES`, by id). Each measure is computed here
from the data and says which way it points: `supports` the thesis, goes `against` it, or is
`context`. A verdict must agree with its measures (`consistent`): borne out needs more measures
for than against; not borne out, more against than for; partly, some each way; cannot be tested,
none either way. A record that no longer agrees with a recorded verdict stops the report
(`thesis_results` raises), so the verdict is looked at again rather than silently kept.

Independence: a fact's channels are its sources' distinct (originator, newsroom) pairs, leaving
out mirrors, blogs and wikis (`fact_channels`).
"""

from __future__ import annotations

import copy

import pandas as pd

from tunisia_report.dataset.schema import ARTICLE
from tunisia_report.exceptions import DataError
from tunisia_report.record import CENSUS_END as CENSUS_END  # re-exported: the report reads it here

VERDICTS = ("borne-out", "partly", "not-borne-out", "untestable")
POINTS = ("supports", "against", "context")
COPIES = ("mirror", "wiki", "blog")  # source kinds that are never an independent channel
HARMED = ("security-forces", "civilians")  # deaths other than the attackers'
SETTINGS = ("city", "town", "remote", "border-remote")
REMOTE = ("remote", "border-remote")
IMPLEMENTED = ("in-force", "continued", "superseded")
AQIM = ("aqim", "okba-ibn-nafaa")  # al-Qaeda in the Islamic Maghreb and its Tunisian brigade
STATE = ("islamic-state", "jund-al-khilafa")  # the Islamic State and its Tunisian branch
LATE_YEARS = 5  # a victim this many years after the article: the struggle was far from over
def publication(data) -> pd.Timestamp:
    return data.sources.set_index("source_id").loc[ARTICLE, "date_published"]


def counted_tolls(data) -> pd.DataFrame:
    """One toll per attack and category (see the module's rule), with the source's kind."""
    kinds = data.sources.set_index("source_id")["kind"].astype(str)
    tolls = data.tolls.copy()
    tolls["copy"] = tolls["source_id"].map(kinds).isin(COPIES)
    tolls["stated"] = tolls["stated_date"].fillna(pd.Timestamp("1900-01-01"))  # undated: oldest
    tolls = tolls.sort_values(["attack_id", "category", "copy", "stated", "value"],
                              ascending=[True, True, True, False, False])
    chosen = tolls.groupby(["attack_id", "category"], observed=True).head(1)
    return chosen.drop(columns=["stated"]).reset_index(drop=True)


def attack_deaths(data) -> pd.DataFrame:
    """Each attack with its counted deaths by category (columns security-forces, civilians,
    militants), `harmed` (not militants), `total`, `after` (started after the article), and the
    range of every toll stated (`low`, `high` of the totals of harmed, from all sources)."""
    return data.kept(_attack_deaths).copy()


def _attack_deaths(data) -> pd.DataFrame:
    chosen = counted_tolls(data)
    wide = chosen.pivot_table(index="attack_id", columns="category", values="value",
                              aggfunc="sum", observed=False).reindex(columns=[
                                  "security-forces", "civilians", "militants"]).fillna(0)
    attacks = data.attacks.set_index("attack_id")
    table = attacks.join(wide.astype(int), how="left").fillna(
        {c: 0 for c in wide.columns}).reset_index()
    for column in ("security-forces", "civilians", "militants"):
        table[column] = table[column].astype(int)
    table["harmed"] = table["security-forces"] + table["civilians"]
    table["total"] = table["harmed"] + table["militants"]
    table["after"] = table["start_date"] > publication(data)
    harmed = data.tolls[data.tolls["category"].isin(HARMED)]
    spread = harmed.groupby(["attack_id", "category"], observed=True)["value"].agg(["min", "max"])
    spread = spread.groupby("attack_id").sum()
    table["low"] = table["attack_id"].map(spread["min"]).fillna(0).astype(int)
    table["high"] = table["attack_id"].map(spread["max"]).fillna(0).astype(int)
    return table.sort_values("start_date").reset_index(drop=True)


def fact_channels(data) -> pd.DataFrame:
    """Every fact of the record after the article (an attack, a toll value, an estimate, an
    outcome, an assistance item) with its number of sources and of independent channels."""
    sources = data.sources.set_index("source_id")
    rows = []

    def add(table, fact_id, statements):
        independent = {(str(o), str(sources.loc[s, "newsroom"])) for s, o in statements
                       if str(sources.loc[s, "kind"]) not in COPIES}
        rows.append({"table": table, "fact_id": fact_id, "n_sources": len(statements),
                     "n_channels": len(independent)})

    extra = data.corroborations
    for table, key in (("attacks", "attack_id"), ("departures", "departure_id"),
                       ("outcomes", "outcome_id"), ("assistance", "assistance_id")):
        for row in data[table].itertuples():
            fact_id = getattr(row, key)
            more = extra[(extra["resource"] == table) & (extra["row_id"] == fact_id)]
            add(table, fact_id, [(row.source_id, row.originator)]
                + list(zip(more["source_id"], more["originator"], strict=True)))
    for (attack, category, value), group in data.tolls.groupby(
            ["attack_id", "category", "value"], observed=True):
        add("tolls", f"{attack}/{category}/{value}",
            list(zip(group["source_id"], group["originator"], strict=True)))
    return pd.DataFrame(rows)


def _share(part, whole) -> float:
    return part / whole if whole else 0.0


def _group(row, groups) -> bool:
    return row["claimed_by"] in groups or row["blamed_on"] in groups


def _after(data) -> pd.DataFrame:
    deaths = attack_deaths(data)
    return deaths[deaths["after"]]


def m_institutions(data):
    measures = data.measures["measure_id"].tolist()
    fates = data.outcomes.dropna(subset=["measure_id"]).sort_values("date")
    last = fates.groupby("measure_id", observed=True).tail(1).set_index("measure_id")["fate"]
    done = [m for m in measures if str(last.get(m)) in IMPLEMENTED]
    return ("supports" if 2 * len(done) >= len(measures) else "against",
            {"done": done, "n_measures": len(measures),
             "unknown": [m for m in measures if m not in last.index]})


def _stopped(data) -> pd.DataFrame:
    rows = data.departures[(data.departures["series"] == "stopped-from-leaving")
                           & (data.departures["cumulative"] == "yes")]
    return rows.dropna(subset=["stated_date"]).sort_values("stated_date")


def m_stopped(data):
    rows = _stopped(data)
    zones = rows[rows["destination"] == "conflict-zones"]
    syria = rows[rows["destination"] == "syria"]
    if len(zones) < 2:
        return "context", {"first": None, "last": None, "syria": syria.iloc[0] if len(syria)
                           else None}
    first, last = zones.iloc[0], zones.iloc[-1]
    return ("supports" if last["value"] > first["value"] else "against",
            {"first": first, "last": last, "syria": syria.iloc[0] if len(syria) else None})


def m_left(data):
    """The estimates of those who left by the originator who gave most of them over time."""
    rows = data.departures[(data.departures["series"] == "left-to-fight")
                           & (data.departures["cumulative"] == "yes")].dropna(
        subset=["stated_date"]).sort_values("stated_date")
    counts = rows["originator"].value_counts()
    latest = rows.iloc[-1] if len(rows) else None
    if counts.empty or counts.iloc[0] < 2:
        return "context", {"first": None, "last": None, "latest": latest}
    own = rows[rows["originator"] == counts.index[0]]
    first, last = own.iloc[0], own.iloc[-1]
    top = lambda r: r["value_high"] if pd.notna(r["value_high"]) else r["value"]  # noqa: E731
    return ("against" if top(last) > top(first) else "supports",
            {"first": first, "last": last, "latest": latest})


def m_deadliest(data):
    deaths = attack_deaths(data)
    before, after = deaths[~deaths["after"]], deaths[deaths["after"]]
    if before.empty or after.empty:
        return "context", {"before": None, "after": None}
    worst_before = before.loc[before["harmed"].idxmax()]
    worst_after = after.loc[after["harmed"].idxmax()]
    return ("against" if worst_after["harmed"] > worst_before["harmed"] else "supports",
            {"before": worst_before, "after": worst_after})


def m_years(data):
    after = _after(data)
    years = sorted({d.year for d in after.loc[after["harmed"] > 0, "start_date"]})
    return ("supports" if len(years) >= 2 else "against",
            {"years": years, "first": publication(data).year, "last": CENSUS_END})


def m_victims(data):
    after = _after(data)
    return ("supports" if after["harmed"].sum() > 0 else "against",
            {"harmed": int(after["harmed"].sum()), "n_attacks": len(after),
             "security": int(after["security-forces"].sum()),
             "civilians": int(after["civilians"].sum()),
             "militants": int(after["militants"].sum())})


def m_last(data):
    after = _after(data)
    hit = after[after["harmed"] > 0]
    if hit.empty:
        return "against", {"last": None}
    last = hit.loc[hit["start_date"].idxmax()]
    late = last["start_date"].year >= publication(data).year + LATE_YEARS
    return ("supports" if late else "context"), {"last": last}


def m_trend(data):
    """Victims in the census's first half against its second."""
    after = _after(data)
    cut = publication(data).year + (CENSUS_END - publication(data).year + 1) // 2
    early = int(after.loc[after["start_date"].dt.year < cut, "harmed"].sum())
    late = int(after.loc[after["start_date"].dt.year >= cut, "harmed"].sum())
    return ("against" if 5 * late < early else "supports",
            {"early": early, "late": late, "cut": cut, "first": publication(data).year,
             "end": CENSUS_END})


def _remote_share(after, column):
    whole = len(after) if column is None else int(after[column].sum())
    remote = after[after["setting"].isin(REMOTE)]
    part = len(remote) if column is None else int(remote[column].sum())
    share = _share(part, whole)
    return ("supports" if share >= 0.5 else "against"), {"part": part, "whole": whole,
                                                           "share": share}


def m_attacks_remote(data):
    return _remote_share(_after(data), None)


def m_victims_remote(data):
    return _remote_share(_after(data), "harmed")


def m_deaths_remote(data):
    return _remote_share(_after(data), "total")


def m_deadliest_settings(data, n=5):
    after = _after(data)
    top = after.sort_values(["harmed", "start_date"], ascending=[False, True]).head(n)
    remote = int(top["setting"].isin(REMOTE).sum())
    return ("supports" if 2 * remote > len(top) else "against",
            {"top": top, "remote": remote, "n": len(top)})


def m_libya_linked(data):
    after = _after(data)
    linked = after[after["libya_link"] == "yes"]
    return ("supports" if len(linked) else "against",
            {"n": len(linked), "harmed": int(linked["harmed"].sum()), "n_attacks": len(after)})


def m_libya_groups(data):
    after = _after(data)
    linked = after[after["libya_link"] == "yes"]
    aqim = int(linked.apply(_group, axis=1, groups=AQIM).sum()) if len(linked) else 0
    state = int(linked.apply(_group, axis=1, groups=STATE).sum()) if len(linked) else 0
    points = "context" if linked.empty else ("supports" if 2 * aqim >= len(linked)
                                              else "against")
    return points, {"n": len(linked), "aqim": aqim, "state": state,
                    "places": linked.sort_values("start_date")}


def m_aqim_attacks(data):
    after = _after(data)
    aqim = after[after.apply(_group, axis=1, groups=AQIM)] if len(after) else after
    return "context", {"n": len(aqim), "harmed": int(aqim["harmed"].sum()),
                       "linked": int((aqim["libya_link"] == "yes").sum()),
                       "remote": int(aqim["setting"].isin(REMOTE).sum())}


def m_support(data):
    items = data.assistance[data.assistance["date"] > publication(data)]
    kinds = {}
    for kind, group in items.groupby("kind", observed=True):
        amounts = group.dropna(subset=["amount"]).groupby("currency", observed=True)["amount"]
        kinds[str(kind)] = {"n": len(group), "amounts": {str(c): float(v) for c, v
                                                          in amounts.sum().items()}}
    return "context", {"kinds": kinds, "n": len(items),
                       "donors": list(dict.fromkeys(items.sort_values("date")["donor"]))}


def m_meetings(data):
    met = data.outcomes[(data.outcomes["change"] == "met")
                        & (data.outcomes["date"] > publication(data))].sort_values("date")
    return "context", {"n": len(met), "first": met.iloc[0] if len(met) else None,
                       "last": met.iloc[-1] if len(met) else None}


MEASURES = {
    "institutions-in-effect": m_institutions, "stopped-like-for-like": m_stopped,
    "left-estimates": m_left, "deadliest-before-after": m_deadliest,
    "years-with-victims": m_years, "victims-after": m_victims, "last-victim": m_last,
    "victims-trend": m_trend, "attacks-remote-share": m_attacks_remote,
    "victims-remote-share": m_victims_remote, "deaths-remote-share": m_deaths_remote,
    "deadliest-settings": m_deadliest_settings, "libya-linked": m_libya_linked,
    "libya-linked-groups": m_libya_groups, "aqim-attacks": m_aqim_attacks,
    "support-by-kind": m_support, "neighbours-meetings": m_meetings,
}


def measure(data, measure_id: str) -> dict:
    """One measure: its id, which way it points and its values."""
    if measure_id not in MEASURES:
        raise DataError(f"theses.csv: measures: unknown measure {measure_id!r} (expected one "
                        f"of {', '.join(MEASURES)})")
    points, values = MEASURES[measure_id](data)
    return {"measure_id": measure_id, "points": points, **values}


def consistent(verdict: str, points: list[str]) -> bool:
    """Whether a verdict agrees with its measures' directions (see the module's rule)."""
    yes, no = points.count("supports"), points.count("against")
    return {"borne-out": yes >= 1 and yes > no, "not-borne-out": no >= 1 and no > yes,
            "partly": yes >= 1 and no >= 1, "untestable": yes == no == 0}[verdict]


def thesis_results(data, check: bool = True) -> list[dict]:
    """Each thesis (in order) with its recorded verdict and reason and its measures, computed.
    A verdict its measures do not bear raises DataError (unless check is False). Kept on the
    dataset (`Dataset.kept`): page 1 and the decade's section ask for it four times."""
    return copy.deepcopy(data.kept(_thesis_results, check))


def _thesis_results(data, check: bool) -> list[dict]:
    results = []
    for t in data.theses.sort_values("number").itertuples():
        computed = [measure(data, m) for m in str(t.measures).split()]
        points = [m["points"] for m in computed]
        if check and not consistent(str(t.verdict), points):
            which = ", ".join(f"{m['measure_id']} {m['points']}" for m in computed)
            raise DataError(f"theses.csv: {t.thesis_id}: the verdict {t.verdict!r} does not "
                            f"agree with its measures ({which}): look at the verdict again")
        results.append({"thesis_id": t.thesis_id, "number": int(t.number), "claim": t.claim,
                        "quote": t.quote, "verdict": str(t.verdict), "reason": t.reason,
                        "measures": computed})
    return results


def deaths_by_year(data) -> pd.DataFrame:
    """Counted deaths per calendar year and category, attacks known to the day or month."""
    table = attack_deaths(data)
    table = table[table["date_precision"] != "year"]
    table = table.assign(year=table["start_date"].dt.year)
    return table.groupby("year")[["security-forces", "civilians", "militants"]].sum()
