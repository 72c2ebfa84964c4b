"""Write dates as precisely as the article gives them, never more.

A date's precision is one of `PRECISIONS`, the words `data/datapackage.json` uses for
`date_precision`: `before` means the article gives no date, only that it precedes publication.
"""

from __future__ import annotations

from datetime import date, datetime

PRECISIONS = ("day", "month", "year", "before")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_day(value: date | datetime) -> str:
    """'23 July 2014'."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_date(value: date | datetime, precision: str) -> str:
    """'23 July 2014' (day), 'February 2014' (month), '2013' (year), 'by 23 July 2014' (before)."""
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return f"{MONTHS[value.month - 1]} {value.year}"
    day = format_day(value)
    return f"by {day}" if precision == "before" else day


def _given(value) -> bool:
    """False for a missing date (None, NaN or NaT, which never equal themselves)."""
    return value is not None and value == value


def event_date(row) -> str:
    """An event's date at its precision; a span of days as '13–14 July 2014'."""
    start, end, precision = row["start_date"], row["end_date"], row["date_precision"]
    if precision == "day" and _given(start) and start != end:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{format_day(end)}"
        return f"{format_day(start)} – {format_day(end)}"
    return format_date(start if _given(start) else end, precision)
