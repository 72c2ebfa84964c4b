"""Numbers, amounts, names and source lines as the report writes them, read from dataset rows."""

from __future__ import annotations

import re

import pandas as pd

from tunisia_report.dataset.schema import ARTICLE
from tunisia_report.exceptions import DataError
from tunisia_report.text.dates import format_date

# How each `figures.value_kind` is named where a chart or table states it.
KIND_WORDS = {"exact": "Exact figure", "estimate": "Estimate", "lower_bound": "Lower bound",
              "qualitative": "In words only"}


def format_number(value, unit: str = "") -> str:
    """'8,000'; years are written without a separator ('1950')."""
    return str(int(value)) if unit == "year" else f"{int(value):,}"


def format_value(row) -> str:
    """A figure's amount as prose: the number, 'at least N', or the article's words."""
    if pd.isna(row["value"]):
        return str(row["amount_text"])
    number = format_number(row["value"], row["unit"])
    return f"at least {number}" if row["value_kind"] == "lower_bound" else number


def surname(name: str) -> str:
    """The last word of a personal name ('Mohamed Bechri' -> 'Bechri')."""
    return str(name).split()[-1]


def short_producer(producer: str) -> str:
    """The producer without a trailing 'for ...' clause, if at least three words remain.

    'The Washington Institute for Near East Policy' -> 'The Washington Institute';
    'Center for Strategic Studies' stays whole.
    """
    head = str(producer).split(" for ", 1)[0]
    return head if len(head.split()) >= 3 else str(producer)


def publisher(producer: str) -> str:
    """The publisher without the mirror that holds the copy: 'Le Temps (Tunisia), via Turess'
    -> 'Le Temps (Tunisia)'; 'Gawker (stored via a CloudFront mirror)' -> 'Gawker'."""
    name = re.sub(r" \((stored via|distributed by|republishing)[^)]*\)", "", str(producer))
    return re.sub(r",? (via|reproduced by) .*$", "", name).strip()


def published(source) -> str:
    """A source's date of publication, or 'n.d.'."""
    return (format_date(source["date_published"], "day")
            if pd.notna(source["date_published"]) else "n.d.")


def source_row(data, source_id: str) -> pd.Series:
    """The sources row with this id; a DataError names an unknown id."""
    rows = data.sources[data.sources["source_id"] == source_id]
    if rows.empty:
        raise DataError(f"no source {source_id!r} in sources.csv")
    return rows.iloc[0]


def source_short(data, source_id: str = ARTICLE) -> str:
    """'Bechri, The Washington Institute, 23 July 2014', built from the sources table."""
    row = source_row(data, source_id)
    parts = [surname(row["author"])] if pd.notna(row["author"]) else []
    parts.append(short_producer(row["producer"]))
    if pd.notna(row["date_published"]):
        parts.append(format_date(row["date_published"], "day"))
    return ", ".join(parts)


def source_line(data, source_id: str = ARTICLE) -> str:
    """'Source: Bechri, The Washington Institute, 23 July 2014'."""
    return f"Source: {source_short(data, source_id)}"


def stage_words(stage: str) -> str:
    """'under-way' -> 'under way'."""
    return str(stage).replace("-", " ")


def quoted_list(items) -> str:
    """'“a”, “b” and “c”'."""
    items = [f"“{i}”" for i in items]
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)
