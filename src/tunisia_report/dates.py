"""Write dates as precisely as the article gives them, never more."""

from __future__ import annotations

from datetime import date, datetime


def format_date(value: date | datetime, precision: str) -> str:
    """'23 July 2014' (day), 'February 2014' (month), '2013' (year), 'by 23 July 2014' (before)."""
    if precision == "year":
        return f"{value:%Y}"
    if precision == "month":
        return f"{value:%B %Y}"
    day = f"{value.day} {value:%B %Y}"
    return f"by {day}" if precision == "before" else day
