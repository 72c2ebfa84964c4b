"""The public record's rules: reports about the article's claims (one claim each, dated at
their precision, in the figure's unit), the record after the article (statement dates, spans,
fields that call for others, the attack census's years), the search log, and statement dates
that cannot follow their page's publication. `dataset.validate` runs them after the Table
Schema checks; each appends its problems to the list it is given.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from pathlib import Path

from tunisia_report.dataset.files import display_path
from tunisia_report.dataset.rules import empty_cell, row_key
from tunisia_report.dataset.schema import ARTICLE
from tunisia_report.exceptions import NotebookError, Problem
from tunisia_report.parameters import project_report_date
from tunisia_report.record import CENSUS_END


def span_problem(start, end, precision) -> tuple[str, str, str] | None:
    """(field, expected, found) if the dates do not span whole units of their precision."""
    if precision == "before":
        if start is not None:
            return "start_date", "no start date for precision 'before'", start.isoformat()
        return None
    if start is not None and start > end:
        return "end_date", f"a date on or after the start date {start}", end.isoformat()
    if precision == "month":
        if start is not None and start.day != 1:
            return "start_date", "the first day of a month for precision 'month'", str(start)
        if end.day != monthrange(end.year, end.month)[1]:
            return "end_date", "the last day of a month for precision 'month'", str(end)
    if precision == "year":
        if start is not None and (start.month, start.day) != (1, 1):
            return "start_date", "1 January for precision 'year'", start.isoformat()
        if (end.month, end.day) != (12, 31):
            return "end_date", "31 December for precision 'year'", end.isoformat()
    return None


def check_reports(tables: dict, data_dir: Path, problems: list[Problem]):
    """Each report is about exactly one figure or event, cites a source with a URL and an
    access date, dates whole days, months or years, and gives a figure's value in its unit."""
    if "reports" not in tables:
        return
    shown = display_path(data_dir / "reports.csv")
    sources = {r["source_id"]: r for r in tables.get("sources", [])}
    units = {r["figure_id"]: r.get("unit") for r in tables.get("figures", [])}
    for row in tables["reports"]:
        line = row["_line"]

        def problem(field, expected, found, line=line):
            problems.append(Problem(shown, line, field, expected, found))

        figure, event = row.get("figure_id"), row.get("event_id")
        if (figure is None) == (event is None):
            found = "both" if figure else "neither"
            problem("figure_id,event_id", "exactly one of figure_id and event_id", found)
        source = sources.get(row.get("source_id"))
        if source is not None:
            for field, words in (("url", "a URL"), ("date_accessed", "an access date")):
                if source.get(field) is None:
                    problem("source_id", f"a source with {words}",
                            f"{row['source_id']!r}, which has none")
        start, end, precision = (row.get(k) for k in ("start_date", "end_date", "date_precision"))
        if (end is None) != (precision is None):
            expected = "a date_precision for the dates" if precision is None else \
                "an end_date for the date_precision"
            problem("date_precision" if precision is None else "end_date", expected,
                    "an empty cell")
        elif end is None and start is not None:
            problem("end_date", "an end date with the start date", "an empty cell")
        elif end is not None and (wrong := span_problem(start, end, precision)):
            problem(*wrong)
        value, unit, kind = row.get("value"), row.get("unit"), row.get("value_kind")
        if value is not None and kind in (None, "qualitative"):
            problem("value_kind", "exact, estimate or lower_bound for a number",
                    repr(kind) if kind else "an empty cell")
        if value is None and kind in ("exact", "estimate", "lower_bound"):
            problem("value", f"a number for an {kind} report", "an empty cell")
        if event is not None and (value is not None or unit is not None):
            problem("value" if value is not None else "unit", "no amount in a report about an "
                    "event", repr(value if value is not None else unit))
        elif figure in units and (unit, value) != (None, None) and unit != units[figure]:
            problem("unit", f"the unit of figure {figure}, {units[figure]!r}",
                    repr(unit) if unit else "an empty cell")
        check_statement(row, source, problem)
        if (row.get("place") is None) != (row.get("place_relation") is None):
            problem("place_relation", "a place_relation exactly when a place is given",
                    repr(row.get("place_relation")) if row.get("place_relation")
                    else "an empty cell")


# The record after the article: tables whose rows each state one fact with its source, the
# date it was stated and who first gave it; `corroborations` adds sources to those facts.
FACT_TABLES = ("attacks", "tolls", "departures", "outcomes", "assistance", "corroborations")
# A pair of fields where the second is required exactly when the first holds one of the values
# (None: any value): (table, field, values, dependent field, what the dependent gives).
REQUIRED_WITH = (
    ("attacks", "libya_link", {"yes"}, "libya_link_source_id", "the source of the link"),
    ("departures", "value_kind", {"range"}, "value_high", "the high end of the range"),
    ("assistance", "amount", None, "currency", "the currency of the amount"),
)


def _first_day(when, precision) -> tuple[str, str] | None:
    """(expected, found) if a date of this precision is not stored as its period's first day."""
    if precision == "month" and when.day != 1:
        return "the first day of the month for precision 'month'", when.isoformat()
    if precision == "year" and (when.month, when.day) != (1, 1):
        return "1 January for precision 'year'", when.isoformat()
    return None


def check_record_after(tables: dict, data_dir: Path, problems: list[Problem]):
    """The record after the article: a statement date has its precision and is stored as its
    period's first day; an attack spans whole days, months or years; a field that another
    calls for is given (and only then); a claim or blame has its source; a range runs upwards;
    the article's own estimate quotes it; a corroboration names a fact that exists."""
    for name in FACT_TABLES:
        shown = display_path(data_dir / f"{name}.csv")
        for row in tables.get(name, []):
            line = row["_line"]
            stated, precision = row.get("stated_date"), row.get("stated_precision")
            checked = not {"stated_date", "stated_precision"} & row["_invalid"]
            if "stated_precision" in row and checked and (stated is None) != (precision is None):
                expected = ("a stated_precision for the stated_date" if precision is None
                            else "no stated_precision without a stated_date")
                found = "an empty cell" if precision is None else repr(precision)
                problems.append(Problem(shown, line, "stated_precision", expected, found))
            elif stated is not None and (wrong := _first_day(stated, precision)):
                problems.append(Problem(shown, line, "stated_date", *wrong))
    for table, field, values, dependent, words in REQUIRED_WITH:
        shown = display_path(data_dir / f"{table}.csv")
        for row in tables.get(table, []):
            if field in row["_invalid"] or dependent in row["_invalid"]:
                continue
            calls = row.get(field) is not None and (values is None or row[field] in values)
            given = row.get(dependent) is not None
            if calls and not given:
                problems.append(Problem(shown, row["_line"], dependent, f"{words} for "
                                        f"{field} {row[field]!r}", "an empty cell"))
            elif given and not calls:
                problems.append(Problem(shown, row["_line"], dependent, f"no {dependent} "
                                        f"unless {field} calls for one", repr(row[dependent])))
    shown = display_path(data_dir / "attacks.csv")
    for row in tables.get("attacks", []):
        start, end, precision = (row.get(k) for k in ("start_date", "end_date", "date_precision"))
        if start is not None and end is not None and precision is not None \
                and (wrong := span_problem(start, end, precision)):
            problems.append(Problem(shown, row["_line"], *wrong))
        for group, source, words in (("claimed_by", "claim_source_id", "claim"),
                                     ("blamed_on", "blame_source_id", "blame")):
            named = row.get(group) not in (None, "none-found")
            if named and empty_cell(row, source):
                problems.append(Problem(shown, row["_line"], source, f"the source of the "
                                        f"{words} ({row[group]})", "an empty cell"))
            elif not named and not empty_cell(row, source):
                problems.append(Problem(shown, row["_line"], source, f"no source unless "
                                        f"{group} names a group", repr(row[source])))
        setting, border = row.get("setting"), row.get("border_iso3")
        if setting == "border-remote" and border is None:
            problems.append(Problem(shown, row["_line"], "border_iso3", "the neighbouring "
                                    "country for setting 'border-remote'", "an empty cell"))
        elif setting in ("city", "remote") and border is not None:
            problems.append(Problem(shown, row["_line"], "border_iso3", "no border_iso3 for "
                                    f"setting {setting!r} (only border-remote or a town on a "
                                    "border)", repr(border)))
    check_census_years(tables, data_dir, problems)
    shown = display_path(data_dir / "departures.csv")
    for row in tables.get("departures", []):
        low, high = row.get("value"), row.get("value_high")
        if low is not None and high is not None and high < low:
            problems.append(Problem(shown, row["_line"], "value_high", f"at least the value "
                                    f"{low}", str(high)))
        if row.get("source_id") == ARTICLE and empty_cell(row, "quote"):
            problems.append(Problem(shown, row["_line"], "quote", "the article's words for "
                                    "its own estimate", "an empty cell"))
        elif row.get("source_id") not in (None, ARTICLE) and row.get("quote") is not None:
            problems.append(Problem(shown, row["_line"], "quote", "no quote from a source "
                                    "other than the article (facts in our own words)",
                                    repr(row["quote"])))
    shown = display_path(data_dir / "outcomes.csv")
    for row in tables.get("outcomes", []):
        if row.get("date") is not None and (wrong := _first_day(row["date"],
                                                                 row.get("date_precision"))):
            problems.append(Problem(shown, row["_line"], "date", *wrong))
    shown = display_path(data_dir / "assistance.csv")
    for row in tables.get("assistance", []):
        if row.get("date") is not None and (wrong := _first_day(row["date"],
                                                                 row.get("date_precision"))):
            problems.append(Problem(shown, row["_line"], "date", *wrong))
    shown = display_path(data_dir / "corroborations.csv")
    ids = {name: {row_key(r) for r in tables.get(name, [])} for name in FACT_TABLES}
    for row in tables.get("corroborations", []):
        resource, row_id = row.get("resource"), row.get("row_id")
        if resource in tables and row_id is not None and row_id not in ids[resource]:
            problems.append(Problem(shown, row["_line"], "row_id", f"an id of {resource}",
                                    repr(row_id)))


def check_census_years(tables: dict, data_dir: Path, problems: list[Problem]) -> None:
    """Every year from the article's to the census's last has an attack, or a recorded search
    about that year that found none: a year left empty must be shown searched. Each search was
    run on or before the report's date and read no more results than it returned."""
    if "attacks" not in tables or "census_searches" not in tables:
        return
    published = next((r.get("date_published") for r in tables.get("sources", [])
                      if r.get("source_id") == ARTICLE), None)
    if published is None:
        return
    years = {r["start_date"].year for r in tables["attacks"]
             if r.get("start_date") is not None and r["start_date"] > published}
    empty_years = {r["year"] for r in tables["census_searches"]
                   if r.get("year") is not None and r.get("found") == 0}
    shown = display_path(data_dir / "census_searches.csv")
    latest = report_date()
    for row in tables["census_searches"]:
        searched, found, read = (row.get(k) for k in ("date_searched", "results",
                                                        "results_read"))
        if searched is not None and latest is not None and searched > latest:
            problems.append(Problem(shown, row["_line"], "date_searched", "a date on or before "
                                    f"the report's date {latest.isoformat()}",
                                    searched.isoformat()))
        if found is not None and read is not None and read > found:
            problems.append(Problem(shown, row["_line"], "results_read", f"at most the {found} "
                                    "results", str(read)))
    for year in range(published.year, CENSUS_END + 1):
        if year not in years and year not in empty_years:
            problems.append(Problem(shown, None, "year", f"a search about {year} that found "
                                    "no attack (attacks.csv has none that year)", "none"))


LOWER_BOUND_WORDS = re.compile(r"\b(at least|more than|no fewer than|not less than)\b", re.I)


def check_statement(row: dict, source: dict | None, problem) -> None:
    """A report's statement date has its precision, starts its month or year, and does not
    follow its page's publication; a note whose first clause says 'at least' or 'more than'
    gives a lower bound."""
    if "stated_date" in row:
        stated, precision = row.get("stated_date"), row.get("stated_precision")
        if (stated is None) != (precision is None):
            problem("stated_precision" if precision is None else "stated_date",
                    "a stated_precision with the stated_date" if precision is None
                    else "a stated_date for the stated_precision", "an empty cell")
        elif precision == "month" and stated.day != 1:
            problem("stated_date", "the first day of the month for precision 'month'",
                    stated.isoformat())
        elif precision == "year" and (stated.month, stated.day) != (1, 1):
            problem("stated_date", "1 January for precision 'year'", stated.isoformat())
        elif stated is not None and source is not None and source.get("date_published"):
            published = source["date_published"]
            last = (published.replace(day=monthrange(published.year, published.month)[1])
                    if source.get("published_precision") == "month" else published)
            if stated > last:
                problem("stated_date", f"a date on or before its page's publication "
                        f"({published.isoformat()}, {source.get('published_precision')})",
                        stated.isoformat())
    first_clause = re.split(r"[;:]", row.get("note") or "", maxsplit=1)[0]
    if (row.get("value") is not None and row.get("value_kind") != "lower_bound"
            and LOWER_BOUND_WORDS.search(first_clause)):
        problem("value_kind", "lower_bound for a note that says 'at least' or 'more than'",
                repr(row.get("value_kind")))


def report_date():
    """The report's default date (`report_date` of notebooks/report.ipynb), or None when the
    project has no readable report notebook."""
    try:
        text = project_report_date()
    except NotebookError:
        return None
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None  # the notebook's own parameter check names a bad date


def check_searches(tables: dict, data_dir: Path, problems: list[Problem]):
    """Each search was for exactly one claim or one table, was run on or before the report's
    date, and counts no more results in the record than it returned."""
    shown = display_path(data_dir / "searches.csv")
    latest = report_date()
    for row in tables.get("searches", []):
        line = row["_line"]
        claim, resource = row.get("claim_id"), row.get("resource")
        if not {"claim_id", "resource"} & row["_invalid"] and (claim is None) == (resource is None):
            problems.append(Problem(shown, line, "claim_id,resource", "exactly one of claim_id "
                                    "and resource", "both" if claim else "neither"))
        searched = row.get("date_searched")
        if searched is not None and latest is not None and searched > latest:
            problems.append(Problem(shown, line, "date_searched", "a date on or before the "
                                    f"report's date {latest.isoformat()}", searched.isoformat()))
        found, known = row.get("results"), row.get("in_record")
        if found is not None and known is not None and known > found:
            problems.append(Problem(shown, line, "in_record", f"at most the {found} results",
                                    str(known)))




def _published_end(source: dict):
    """The last day the page can have been published (its date at its precision), or None."""
    published = source.get("date_published") if source else None
    if published is None:
        return None
    if source.get("published_precision") == "month":
        return published.replace(day=monthrange(published.year, published.month)[1])
    return published


def check_stated_dates(res_list, tables: dict, data_dir: Path, problems: list[Problem]):
    """In every table whose rows give a source and the date it stated them (tolls, departures,
    attacks, outcomes, assistance, corroborations; reports in `check_statement`), the statement
    cannot follow its page's publication, each at its precision: the first day of the stated
    day, month or year is on or before the last day of the published day or month."""
    sources = {r.get("source_id"): r for r in tables.get("sources", [])}
    for resource in res_list:
        if resource.name == "reports" or not {"stated_date", "source_id"} <= set(
                resource.field_names):
            continue
        shown = display_path(data_dir / resource.path)
        for row in tables.get(resource.name, []):
            stated, source = row.get("stated_date"), sources.get(row.get("source_id"))
            last = _published_end(source)
            if stated is None or last is None or stated <= last:
                continue
            published = source["date_published"]
            problems.append(Problem(
                shown, row["_line"], "stated_date", "a date on or before its page's publication "
                f"({published.isoformat()}, {source.get('published_precision')}, "
                f"source {row['source_id']})", stated.isoformat()))
