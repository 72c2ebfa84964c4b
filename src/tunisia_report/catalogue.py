"""Describe the dataset's tables and their provenance, for the dataset notebook."""

from __future__ import annotations

from tunisia_report import escape
from tunisia_report.datapackage import resources
from tunisia_report.dates import format_date


def package_markdown(data) -> str:
    """A paragraph on the package: title, licence and the sources with their citations."""
    d = data.descriptor
    lines = [f"**{escape.markdown(d['title'])}**", "", escape.markdown(d["description"]), ""]
    licence = ", ".join(lic.get("title", lic["name"]) for lic in d.get("licenses", []))
    lines.append(f"Licence of the curated tables: {escape.markdown(licence)}.")
    lines += ["", "Sources:", ""]
    for row in data.sources.itertuples():
        lines.append(f"- `{row.source_id}`: {escape.markdown(row.citation)} "
                     f"(file `{row.path}`, sha256 `{row.sha256[:12]}…`)")
    return "\n".join(lines)


def resource_markdown(data, name: str) -> str:
    """Heading, description, row count and field units of one resource."""
    resource = next(r for r in resources(data.descriptor) if r.name == name)
    meta = next(r for r in data.descriptor["resources"] if r["name"] == name)
    frame = data[name]
    lines = [f"### `{name}`: {len(frame)} rows", "", escape.markdown(meta["description"]), ""]
    for field in resource.fields:
        lines.append(f"- `{field['name']}` ({field.get('type', 'string')}): "
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


# The columns shown for each table: enough to read it on an A4 page; the CSV has them all.
VIEW = {
    "sources": ["source_id", "title", "producer", "date_published", "path"],
    "figures": ["figure_id", "value", "unit", "value_kind", "date_precision", "attributed_to",
                "quote"],
    "events": ["event_id", "title", "start_date", "end_date", "date_precision", "quote"],
    "places": ["place_id", "name", "kind", "country_iso3", "latitude", "longitude"],
    "actors": ["actor_id", "name", "kind", "role"],
    "measures": ["measure_id", "name", "kind", "stage", "partner_place_id"],
}


def table_view(data, name: str):
    """The table with its most telling columns, dates as ISO text and gaps as '–'."""
    frame = data[name]
    columns = [c for c in VIEW.get(name, list(frame.columns)) if c in frame.columns]
    view = frame[columns].copy()
    for column in columns:
        if str(view[column].dtype).startswith("datetime"):
            view[column] = view[column].dt.strftime("%Y-%m-%d")
        view[column] = view[column].astype(object).where(view[column].notna(), "–")
    return view


def view_note(data, name: str) -> str:
    """Which columns the view leaves out, and where to find them."""
    hidden = [c for c in data[name].columns if c not in VIEW.get(name, data[name].columns)]
    if not hidden:
        return ""
    return (f"Shown: {len(data[name].columns) - len(hidden)} of {len(data[name].columns)} "
            f"columns; `data/{name}.csv` also has " + ", ".join(f"`{c}`" for c in hidden) + ".")
