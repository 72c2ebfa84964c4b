"""The views of each table that the dataset notebook shows: the telling columns, gaps as '–'."""

from __future__ import annotations

# The columns shown for each table: enough to read it on an A4 page; the CSV has them all.
VIEW = {
    "sources": ["source_id", "kind", "producer", "newsroom", "date_published", "url"],
    "figures": ["figure_id", "value", "unit", "value_kind", "date_precision", "attributed_to",
                "quote"],
    "events": ["event_id", "title", "start_date", "end_date", "date_precision", "quote"],
    "places": ["place_id", "name", "kind", "country_iso3", "latitude", "longitude"],
    "actors": ["actor_id", "name", "kind", "role"],
    "measures": ["measure_id", "name", "kind", "stage", "partner_place_id"],
    "reports": ["figure_id", "event_id", "source_id", "value", "unit", "start_date", "end_date",
                "date_precision", "place", "note"],
    "event_actors": ["event_id", "actor_id", "role"],
    "attacks": ["attack_id", "start_date", "date_precision", "place", "setting", "claimed_by",
                "blamed_on", "libya_link", "source_id"],
    "tolls": ["attack_id", "category", "value", "value_kind", "source_id", "stated_date",
              "originator"],
    "departures": ["departure_id", "series", "value", "value_high", "value_kind", "destination",
                   "stated_date", "stated_precision", "originator"],
    "outcomes": ["outcome_id", "measure_id", "change", "fate", "date", "date_precision",
                 "source_id"],
    "assistance": ["assistance_id", "donor", "kind", "date", "date_precision", "amount",
                   "currency", "source_id"],
    "theses": ["thesis_id", "number", "verdict", "measures", "quote"],
    "corroborations": ["resource", "row_id", "source_id", "stated_date", "originator"],
    "searches": ["search_id", "lang", "claim_id", "resource", "date_searched", "results",
                 "in_record"],
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


def hidden_columns(data, name: str) -> list[str]:
    """The columns of the table that its view leaves out."""
    return [c for c in data[name].columns if c not in VIEW.get(name, data[name].columns)]
