"""What happened next: the article's five theses tested against the record after it, by the
rules below, from the tables `attacks`, `tolls`, `departures`, `outcomes`, `assistance` and
`theses`. Verdicts and the numbers behind them only; the words are `report.aftermath`'s.

Tolls. Sources disagree; for each attack and category the toll counted is the one stated last
by an independent source (not an aggregator, mirror or wiki; one of those only when no other
counts that category), the larger on a tie. Deaths "not militants" are security forces and
civilians.

The rules (`VERDICTS`: borne-out, partly, not-borne-out, untestable):
  far-from-over     borne out if attacks after the article killed people other than militants in
                    at least two calendar years; partly in one; not borne out in none.
  moved-to-borders  after the article, the share of deaths (not militants) in attacks near the
                    Algerian or Libyan border: borne out from one half, partly from one fifth,
                    else not borne out.
  gains             not borne out if fewer than half of the article's measures are recorded as
                    taking effect; borne out if they are, the count of people stopped from
                    leaving rose after the article and no attack after it killed more (not
                    militants) than the deadliest before; otherwise partly.
  aqim-libya        not borne out if no attack after the article is linked to Libya; borne out
                    if most of those that are were claimed by or blamed on al-Qaeda in the
                    Islamic Maghreb; otherwise partly (the threat from Libya came, under another
                    flag).
  western-support   untestable: a recommendation; what support came is reported.

Independence: a fact's channels are its sources' distinct (originator, newsroom) pairs, leaving
out aggregators, mirrors and wikis (`fact_channels`).
"""

from __future__ import annotations

import pandas as pd

from tunisia_report.dataset.schema import ARTICLE

VERDICTS = ("borne-out", "partly", "not-borne-out", "untestable")
COPIES = ("mirror", "wiki", "blog")  # source kinds that are never an independent channel
HARMED = ("security-forces", "civilians")  # deaths other than the attackers'
BORDER_SHARE = (0.5, 0.2)  # moved-to-borders: borne out from, partly from
IMPLEMENTED = ("in-force", "continued", "superseded")


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


def _by_rule(data, rule: str) -> dict:
    after = attack_deaths(data)
    before, after = after[~after["after"]], after[after["after"]]
    harmed_after = after[after["harmed"] > 0]
    if rule == "far-from-over":
        years = sorted({d.year for d in harmed_after["start_date"]})
        verdict = ("borne-out" if len(years) >= 2 else "partly" if years else "not-borne-out")
        return {"verdict": verdict, "n_attacks": len(after), "harmed": int(after["harmed"].sum()),
                "years": years, "last": harmed_after["start_date"].max()}
    if rule == "moved-to-borders":
        border = after[after["setting"] == "border-area"]
        total = int(after["harmed"].sum())
        share = int(border["harmed"].sum()) / total if total else 0.0
        verdict = ("borne-out" if share >= BORDER_SHARE[0] else "partly"
                   if share >= BORDER_SHARE[1] else "not-borne-out")
        cities = after[after["setting"] == "city"]
        deadliest = after.loc[after["harmed"].idxmax()] if len(after) else None
        return {"verdict": verdict, "share": share, "n_border": len(border),
                "n_city": len(cities), "border_harmed": int(border["harmed"].sum()),
                "city_harmed": int(cities["harmed"].sum()), "deadliest": deadliest}
    if rule == "gains":
        measures = data.measures["measure_id"].tolist()
        fates = data.outcomes.dropna(subset=["measure_id"]).sort_values("date")
        last = fates.groupby("measure_id", observed=True).tail(1).set_index("measure_id")["fate"]
        done = [m for m in measures if str(last.get(m)) in IMPLEMENTED]
        unknown = [m for m in measures if m not in last.index]
        stopped = data.departures[(data.departures["series"] == "stopped-from-leaving")
                                  & (data.departures["cumulative"] == "yes")]
        article = stopped[stopped["source_id"] == ARTICLE]
        later = stopped[stopped["source_id"] != ARTICLE]
        rose = len(article) and len(later) and later["value"].max() > article["value"].max()
        worst_before = int(before["harmed"].max()) if len(before) else 0
        worst_after = after.loc[after["harmed"].idxmax()] if len(after) else None
        deadlier = worst_after is not None and worst_after["harmed"] > worst_before
        if len(done) * 2 < len(measures):
            verdict = "not-borne-out"
        elif rose and not deadlier:
            verdict = "borne-out"
        else:
            verdict = "partly"
        return {"verdict": verdict, "done": done, "unknown": unknown, "n_measures": len(measures),
                "stopped_article": article["value"].max() if len(article) else None,
                "stopped_max": later.loc[later["value"].idxmax()] if len(later) else None,
                "worst_before": worst_before, "worst_after": worst_after}
    if rule == "aqim-libya":
        linked = after[after["libya_link"] == "yes"]
        aqim = linked[(linked["claimed_by"] == "aqim") | (linked["blamed_on"] == "aqim")]
        state = linked[(linked["claimed_by"] == "islamic-state")
                       | (linked["blamed_on"] == "islamic-state")]
        verdict = ("not-borne-out" if linked.empty else "borne-out"
                   if len(aqim) * 2 > len(linked) else "partly")
        return {"verdict": verdict, "n_linked": len(linked), "n_aqim": len(aqim),
                "n_state": len(state), "harmed": int(linked["harmed"].sum())}
    if rule == "western-support":
        items = data.assistance[data.assistance["date"] > publication(data)]
        amounts = items.dropna(subset=["amount"]).groupby("currency", observed=True)["amount"].sum()
        followed = data.outcomes["measure_id"].eq("libya-containment-strategy").any()
        return {"verdict": "untestable", "n_items": len(items),
                "donors": list(dict.fromkeys(items.sort_values("date")["donor_iso3"])),
                "donor_names": dict(zip(items["donor_iso3"], items["donor"], strict=True)),
                "amounts": {str(k): float(v) for k, v in amounts.items()},
                "first": items["date"].min(), "last": items["date"].max(),
                "meeting_followed": bool(followed)}
    raise ValueError(f"unknown rule {rule!r}")


def thesis_results(data) -> list[dict]:
    """Each thesis (in order) with its verdict and the numbers its reason is written from."""
    theses = data.theses.sort_values("number")
    return [{"thesis_id": t.thesis_id, "number": int(t.number), "claim": t.claim,
             "quote": t.quote, "rule": str(t.rule), **_by_rule(data, str(t.rule))}
            for t in theses.itertuples()]


def deaths_by_year(data) -> pd.DataFrame:
    """Counted deaths per calendar year and category, attacks known to the day or month."""
    table = attack_deaths(data)
    table = table[table["date_precision"] != "year"]
    table = table.assign(year=table["start_date"].dt.year)
    return table.groupby("year")[["security-forces", "civilians", "militants"]].sum()
