"""Write dates as precisely as the article gives them, never more, in the active edition's
language (Babel, CLDR: '23 July 2014', '23 juillet 2014', '23 جويلية 2014').

A date's precision is one of `PRECISIONS`, the words `data/datapackage.json` uses for
`date_precision`: `before` means the article gives no date, only that it precedes publication.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from tunisia_report.text.i18n import N_, edition, gettext

PRECISIONS = ("day", "month", "year", "before")


# TRANSLATORS: the first day of a month as a date writes it ('1er' in French: '1er février').
FIRST_DAY = N_("1")


def format_day(value: date | datetime) -> str:
    """'23 July 2014' (CLDR's long date); the first of a month as the edition writes it
    ('1er février 2014': CLDR has no ordinal days)."""
    from babel.dates import format_date as babel_date
    from babel.dates import get_date_format

    pattern = get_date_format("long", locale=edition().locale).pattern
    if value.day == 1:  # the day field is a lone 'd' outside quoted literals
        first = gettext(FIRST_DAY).replace("'", "''")
        pattern = re.sub(r"(?<![d'])d(?![d'])", f"'{first}'", pattern, count=1)
    return babel_date(value, pattern, locale=edition().locale)


def format_month(value: date | datetime) -> str:
    """'February 2014'."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", value, locale=edition().locale)


def month_abbreviation(value: date | datetime) -> str:
    """'Feb' (standalone, for an axis)."""
    from babel.dates import format_skeleton

    return format_skeleton("MMM", value, locale=edition().locale)


def format_date(value: date | datetime, precision: str) -> str:
    """'23 July 2014' (day), 'February 2014' (month), '2013' (year), 'by 23 July 2014' (before)."""
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return format_month(value)
    day = format_day(value)
    return gettext("by {day}").format(day=day) if precision == "before" else day


def _given(value) -> bool:
    """False for a missing date (None, NaN or NaT, which never equal themselves)."""
    return value is not None and value == value


def format_span(start, end, precision: str) -> str:
    """Dates from start to end (inclusive) at their precision: a span of days as
    '13–14 July 2014' or '30 January – 2 February 2014'; a missing start gives the end's date."""
    if precision == "day" and _given(start) and start != end:
        if (start.year, start.month) == (end.year, end.month):
            return gettext("{start_day}–{end}").format(start_day=start.day, end=format_day(end))
        return gettext("{start} – {end}").format(start=format_day(start), end=format_day(end))
    return format_date(start if _given(start) else end, precision)


def event_date(row) -> str:
    """An event's date at its precision; a span of days as '13–14 July 2014'."""
    return format_span(row["start_date"], row["end_date"], row["date_precision"])
