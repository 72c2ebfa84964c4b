"""The dataset notebook's prose (notebooks/00_dataset.ipynb): the package, its sources and the
record after the article, each table's fields, and a finding on what the dataset holds, all
computed from the dataset. The project's documentation, in English (not translated): each
passage lists or counts what the package holds, so it is written here rather than in the
notebook's Markdown.
"""

from __future__ import annotations

from tunisia_report.dataset.catalogue import hidden_columns
from tunisia_report.dataset.schema import resources
from tunisia_report.text import escape
from tunisia_report.text.dates import format_date
from tunisia_report.text.narrative import source_citations


def package_markdown(data) -> str:
    """A paragraph on the package: title, licence and the sources with their citations."""
    d = data.descriptor
    lines = [f"**{escape.markdown(d['title'])}**", "", escape.markdown(d["description"]), ""]
    licence = ", ".join(lic.get("title", lic["name"]) for lic in d.get("licenses", []))
    lines.append(f"Licence of the curated tables: {escape.markdown(licence)}.")
    lines += ["", "Sources stored with the package (their text or data is in `data/`):", ""]
    stored = data.sources[data.sources["path"].notna()]
    entries = source_citations(data).entry
    for row in stored.itertuples():
        lines.append(f"- {escape.code(row.source_id)}: {entries[row.source_id].markdown} "
                     f"(file {escape.code(row.path)}, sha256 {escape.code(row.sha256[:12] + '…')})")
    online = data.sources[data.sources["path"].isna()]
    if len(online):
        kinds = online["kind"].value_counts()
        listed = ", ".join(f"{n} {str(k).replace('-', ' ')}" for k, n in kinds.items() if n)
        lines += ["", f"The public record: {len(online)} further sources ({listed}), read online "
                  f"and not stored; each row of `sources` gives its publisher, the newsroom that "
                  f"wrote it, its dates published and accessed and its URL. `reports` holds "
                  f"{len(data.reports)} statements they make about the article's figures and "
                  f"events, in the project's own words, each naming its source."]
    return "\n".join(lines)


def record_after_markdown(data) -> str:
    """Where the record after the article comes from and how it is counted (the dataset
    notebook's documentation of `attacks`, `tolls`, `departures`, `outcomes`, `assistance`,
    `theses` and `corroborations`)."""
    if "theses" not in data:
        return ""
    from tunisia_report.dataset import aftermath

    channels = aftermath.fact_channels(data)
    used = set()
    for name in ("attacks", "tolls", "departures", "outcomes", "assistance", "corroborations",
                 "totals"):
        if name not in data:
            continue
        used |= set(data[name]["source_id"].dropna())
    kinds = data.sources[data.sources["source_id"].isin(used)]["kind"].astype(str).value_counts()
    listed = ", ".join(f"{n} {k.replace('-', ' ')}" for k, n in kinds.items() if n)
    two = int((channels["n_channels"] >= 2).sum())
    return (
        f"**The record after the article.** {len(data.theses)} theses quote the article "
        f"verbatim, each with the project's verdict, its reason and the measures it rests on "
        f"(`tunisia_report.dataset.aftermath` computes them and checks that the verdict agrees "
        f"with them). The facts that test them come from {len(used)} sources ({listed}), "
        f"read online and recorded in the project's own words: a census of "
        f"{len(data.attacks)} attacks (found through "
        f"{len(data.get('census_searches', []))} recorded searches) with "
        f"{len(data.tolls)} tolls as each source counts them, {len(data.departures)} estimates of "
        f"departures, {len(data.outcomes)} dated outcomes and {len(data.assistance)} items of "
        f"assistance; `corroborations` adds {len(data.corroborations)} further sources to them. "
        f"Every fact row carries the date it was stated (`stated_date` at `stated_precision`) "
        f"and who first gave it (`originator`), distinct from the date its page was published. "
        f"Independence is counted in channels, an originator through a newsroom; mirrors, "
        f"blogs and wikis count for none. Of {len(channels)} facts, {two} rest on two or more "
        f"independent channels. Coordinates of the attacks' places each name their source; "
        f"`totals` holds {len(data.get('totals', []))} published totals the census is "
        f"compared with."
    )


def resource_markdown(data, name: str) -> str:
    """Heading, description, row count and field units of one resource."""
    resource = next(r for r in resources(data.descriptor) if r.name == name)
    meta = next(r for r in data.descriptor["resources"] if r["name"] == name)
    frame = data[name]
    lines = [f"### {escape.code(name)}: {len(frame)} rows", "",
             escape.markdown(meta.get("description", "")), ""]
    for field in resource.fields:
        kind = escape.markdown(field.get("type", "string"))
        lines.append(f"- {escape.code(field['name'])} ({kind}): "
                     f"{escape.markdown(field.get('description', ''))}")
    return "\n".join(lines)


def finding_markdown(data) -> str:
    """A one-paragraph finding on what the dataset holds, computed from it."""
    figures, events = data.figures, data.events
    kinds = figures["value_kind"].value_counts()
    dated = events.dropna(subset=["start_date"]).sort_values("start_date")
    first, last = dated.iloc[0], events.sort_values("end_date").iloc[-1]
    span = (f"{format_date(first.start_date, first.date_precision)} and "
            f"{format_date(last.end_date, last.date_precision)}")
    undated = int((events["date_precision"] == "before").sum())
    return (
        f"The article states {len(figures)} figures: {kinds.get('exact', 0)} given as facts, "
        f"{kinds.get('estimate', 0)} as estimates and {kinds.get('qualitative', 0)} only in "
        f"words. It dates {len(events)} events between {span}; "
        f"{undated} of them carry no date of their own and are known only to precede the "
        f"article. It names {len(data.actors)} actors, {len(data.places)} places and "
        f"{len(data.measures)} policy measures. Every row's quote was found verbatim in the "
        f"article and every source file matches its recorded sha256."
    )


def view_note(data, name: str) -> str:
    """Which columns the view leaves out, and where to find them."""
    hidden = hidden_columns(data, name)
    if not hidden:
        return ""
    return (f"Shown: {len(data[name].columns) - len(hidden)} of {len(data[name].columns)} "
            f"columns; `data/{name}.csv` also has " + ", ".join(f"`{c}`" for c in hidden) + ".")
