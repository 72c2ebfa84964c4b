"""Check the dataset against its schema, its keys and its sources, and report every problem.

Each problem names the file, the line (the header is line 1), the field, what was expected and
what was found. `validate()` raises one DataValidationError carrying all of them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from calendar import monthrange
from datetime import date
from pathlib import Path

from tunisia_report.dataset import gazetteer, numbers
from tunisia_report.dataset.files import PackageFileError, read_package_file
from tunisia_report.dataset.schema import (
    ARTICLE,
    TRANSLATED_FIELDS,
    Resource,
    field_type,
    read_descriptor,
    resources,
)
from tunisia_report.exceptions import DataValidationError, NotebookError, Problem
from tunisia_report.parameters import project_report_date
from tunisia_report.paths import GEOJSON

Tables = dict[str, list[dict]]  # resource name -> typed rows, each with its CSV line as `_line`

def display_path(path: Path) -> str:
    """The path as a reader would type it: relative to the working directory when inside it."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


_LONE_CR = re.compile(r"\r(?!\n)")
_CR_IN_CELL = "\ue000"  # stands for a lone carriage return while the CSV is parsed


def read_rows(data_dir: Path, rel: str, shown: str,
              problems: list[Problem]) -> tuple[list[str], list]:
    """Header and (line, row) pairs of the CSV file at `rel` in the package; file-level defects
    (a path that leaves the package, no such file, ...) go to `problems`."""
    try:
        raw = read_package_file(data_dir, rel)
    except PackageFileError as exc:
        expected = "a CSV file" if exc.found == "no such file" else exc.expected
        problems.append(Problem(shown, None, None, expected, exc.found))
        return [], []
    if not raw.strip():
        problems.append(Problem(shown, None, None, "a CSV file with a header row", "an empty file"))
        return [], []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem(shown, 1, None, "UTF-8 without a byte-order mark", "a byte-order mark (BOM)")
        )
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        found = f"the byte 0x{raw[exc.start]:02x}, which is not UTF-8"
        problems.append(Problem(shown, line, None, "UTF-8 text", found))
        return [], []
    # A carriage return not followed by a newline is text, not the end of a row (a writer may
    # leave one unquoted): it is read as part of its cell, where check_cell names it.
    lone = _LONE_CR.search(text) is not None
    reader = csv.reader(io.StringIO(_LONE_CR.sub(_CR_IN_CELL, text) if lone else text,
                                    newline=""))
    rows, start = [], 1
    try:
        for row in reader:
            rows.append((start, [c.replace(_CR_IN_CELL, "\r") for c in row] if lone else row))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(shown, start, None, "well-formed CSV", str(exc)))
    if not rows:
        return [], []
    return rows[0][1], rows[1:]


# The size the report is built and measured for (`make bench`, the x10 and x100 rows): a
# hand-curated table holds dozens to hundreds of rows, the public record a few thousand. Charts
# draw their first rows and say how many more there are; the appendix runs over pages.
MAX_ROWS = 2_000
MAX_ROWS_BY_TABLE = {"reports": 20_000, "event_actors": 20_000, "translations": 20_000}


def check_resource(resource: Resource, data_dir: Path, problems: list[Problem]) -> list[dict]:
    """Check one resource's file against its schema; return its typed rows (with `_line`)."""
    shown = display_path(data_dir / resource.path)
    header, rows = read_rows(data_dir, resource.path, shown, problems)
    if not header:
        return []
    limit = MAX_ROWS_BY_TABLE.get(resource.name, MAX_ROWS)
    if len(rows) > limit:
        problems.append(Problem(shown, None, None, f"at most {limit:,} rows (the size the "
                                "report is built and measured for)", f"{len(rows):,} rows"))
    for name in resource.field_names:
        if name not in header:
            problems.append(Problem(shown, 1, name, f"a column '{name}'", "no such column"))
    for name in header:
        if name not in resource.field_names:
            expected = "only the columns " + ", ".join(resource.field_names)
            problems.append(Problem(shown, 1, name, expected, f"an extra column '{name}'"))
    seen: dict[str, dict] = {f["name"]: {} for f in resource.fields}
    typed_rows = []
    for line, cells in rows:
        reported = None  # a field whose problem is already reported for this row
        if len(cells) > len(header) and set(header) == set(resource.field_names):
            problem, rejoined = split_cell(resource, header, cells, shown, line)
            problems.append(problem)
            if rejoined is None:
                continue
            cells, reported = rejoined, problem.field  # typed as meant: other tables refer to it
        if len(cells) != len(header):
            problems.append(
                Problem(shown, line, None, f"{len(header)} cells", f"{len(cells)} cells")
            )
            continue
        raw = dict(zip(header, cells, strict=True))
        typed = {"_line": line, "_invalid": set()}  # _invalid: fields with a problem reported
        for field in resource.fields:
            name = field["name"]
            if name not in raw:
                continue
            before = len(problems)
            value = check_cell(raw[name], field, shown, line,
                               [] if name == reported else problems)
            if len(problems) > before or name == reported:
                typed["_invalid"].add(name)
            typed[name] = value
            if value is not None and field.get("constraints", {}).get("unique"):
                first = seen[name].setdefault(value, line)
                if first != line:
                    found = f"{raw[name]!r} again (first on line {first})"
                    problems.append(Problem(shown, line, name, "a unique value", found))
        typed_rows.append(typed)
    check_primary_key(resource, typed_rows, shown, problems)
    return typed_rows


# Characters no cell may hold: control characters (tab and line breaks included: a line break
# in a title would forge a record in sources.ris), the Unicode line separators, and the
# bidirectional embeddings, overrides, isolates and marks (an override in one title reverses
# the text after it; each edition isolates data text itself).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f"
                     r"\u061c]")
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def split_cell(resource: Resource, header: list[str], cells: list[str], shown: str,
               line: int) -> tuple[Problem, list[str] | None]:
    """The one problem of a row with too many cells: most likely an unquoted comma split a
    cell. Names the field whose rejoined text leaves every other cell of the row valid, and
    returns the row with that cell rejoined (None if no field fits)."""
    extra = len(cells) - len(header)
    fields = {f["name"]: f for f in resource.fields}
    candidates = []
    for k in range(len(header)):
        joined = ",".join(cells[k:k + extra + 1])
        row = cells[:k] + [joined] + cells[k + extra + 1:]
        others: list[Problem] = []
        for name, text in zip(header, row, strict=True):
            if name != header[k]:
                check_cell(text, fields[name], shown, line, others)
        if not others:
            mine: list[Problem] = []
            check_cell(joined, fields[header[k]], shown, line, mine)
            # Likeliest first: a number written with thousands separators, then a text that
            # holds a comma, then the first field where the rest of the row fits.
            rank = 0 if mine and _THOUSANDS.fullmatch(joined) else 1 if not mine else 2
            candidates.append((rank, k, joined, mine))
    cause = f"its unquoted comma made {extra + 1} cells of it"
    if not candidates:
        return Problem(shown, line, None, f"{len(header)} cells",
                       f"{len(cells)} cells (an unquoted comma in a cell? quote the cell)"), None
    _, k, joined, mine = min(candidates)
    expected = mine[0].expected if mine else "the text quoted, as it holds a comma"
    rejoined = cells[:k] + [joined] + cells[k + extra + 1:]
    return Problem(shown, line, header[k], expected, f"{joined!r} ({cause})"), rejoined


def check_cell(text: str, field: dict, shown: str, line: int, problems: list[Problem]):
    """Type and constraints of one cell; returns the typed value or None."""
    name, constraints = field["name"], field.get("constraints", {})
    if text == "":
        if constraints.get("required"):
            problems.append(Problem(shown, line, name, "a value (required)", "an empty cell"))
        return None
    control = CONTROL.search(text)
    if control:  # invisible, and NUL or ESC in a PDF, a terminal or XML is trouble
        found = f"{text[:40]!r}{'…' if len(text) > 40 else ''} (U+{ord(control[0]):04X})"
        problems.append(Problem(shown, line, name, "one line of text without control or "
                                "bidirectional control characters", found))
        return None
    try:
        value = field_type(field).parse(text)
    except ValueError as exc:
        problems.append(Problem(shown, line, name, str(exc), repr(text)))
        return None
    failed = None
    if "minimum" in constraints and value < constraints["minimum"]:
        failed = f"a value of at least {constraints['minimum']}"
    elif "maximum" in constraints and value > constraints["maximum"]:
        failed = f"a value of at most {constraints['maximum']}"
    elif "enum" in constraints and value not in constraints["enum"]:
        failed = "one of " + ", ".join(constraints["enum"])
    elif "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        failed = f"text matching the pattern {constraints['pattern']}"
    elif "minLength" in constraints and len(text) < constraints["minLength"]:
        failed = f"at least {constraints['minLength']} characters"
    if failed:
        problems.append(Problem(shown, line, name, failed, repr(text)))
        return None
    return value


def check_primary_key(resource: Resource, rows: list[dict], shown: str, problems: list[Problem]):
    """Composite primary keys must be unique (single unique fields are checked per cell)."""
    key = resource.primary_key
    if not key or (len(key) == 1 and _is_unique(resource, key[0])):
        return
    seen: dict[tuple, int] = {}
    for row in rows:
        value = tuple(row.get(k) for k in key)
        first = seen.setdefault(value, row["_line"])
        if first != row["_line"]:
            found = f"{value!r} again (first on line {first})"
            problems.append(Problem(shown, row["_line"], ",".join(key), "a unique key", found))


def _is_unique(resource: Resource, name: str) -> bool:
    field = next(f for f in resource.fields if f["name"] == name)
    return bool(field.get("constraints", {}).get("unique"))


def check_foreign_keys(res_list, tables: dict, data_dir: Path, problems: list[Problem]):
    """Every foreign-key value must exist in the referenced resource."""
    for resource in res_list:
        shown = display_path(data_dir / resource.path)
        for fk in resource.foreign_keys:
            fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
            ref = fk["reference"]
            ref_fields = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
            target = ref["resource"] or resource.name
            known = {tuple(r.get(f) for f in ref_fields) for r in tables.get(target, [])}
            for row in tables.get(resource.name, []):
                value = tuple(row.get(f) for f in fields)
                if None in value or value in known:
                    continue
                expected = f"an existing {target} {', '.join(ref_fields)}"
                found = repr(value[0] if len(value) == 1 else value)
                problems.append(Problem(shown, row["_line"], ",".join(fields), expected, found))


def normalise(text: str) -> str:
    """Collapse runs of whitespace, so quotes match across line breaks."""
    return " ".join(text.split())


def check_sources(tables: dict, data_dir: Path, problems: list[Problem]) -> dict[str, str]:
    """Each source file exists and matches its sha256; returns the normalised texts by id."""
    shown = display_path(data_dir / "sources.csv")
    texts = {}
    for row in tables.get("sources", []):
        if not row.get("path"):
            continue
        try:
            raw = read_package_file(data_dir, row["path"])
        except PackageFileError as exc:
            found = row["path"] if exc.found == "no such file" else exc.found
            problems.append(Problem(shown, row["_line"], "path", exc.expected, found))
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if row.get("sha256") and digest != row["sha256"]:
            expected = f"{row['path']} to have the recorded sha256 {row['sha256']}"
            found = f"{digest} (the file was changed)"
            problems.append(Problem(shown, row["_line"], "sha256", expected, found))
            continue
        texts[row["source_id"]] = normalise(raw.decode("utf-8", errors="replace"))
    return texts


def check_quotes(res_list, tables: dict, texts: dict, data_dir: Path, problems: list[Problem]):
    """Every quote appears verbatim (whitespace-normalised) in the text of its source."""
    for resource in res_list:
        if "quote" not in resource.field_names:
            continue
        shown = display_path(data_dir / resource.path)
        for row in tables.get(resource.name, []):
            quote, source = row.get("quote"), row.get("source_id")
            if not quote or source not in texts:
                continue
            if normalise(quote) not in texts[source]:
                expected = f"words that appear verbatim in the source {source}"
                problems.append(Problem(shown, row["_line"], "quote", expected, repr(quote)))


def _empty(row: dict, name: str) -> bool:
    """The cell is there and empty (not a value that failed its own check, already reported)."""
    return name in row and row[name] is None and name not in row.get("_invalid", ())


def check_rules(tables: dict, data_dir: Path, problems: list[Problem]):
    """Rules across fields that a column schema cannot state; a cell that failed its own check
    is not reported again here."""
    shown = display_path(data_dir / "figures.csv")
    for row in tables.get("figures", []):
        kind, has_value = row.get("value_kind"), row.get("value") is not None
        if kind == "qualitative" and has_value:
            problems.append(Problem(shown, row["_line"], "value", "no value for a qualitative "
                                    "amount", repr(row["value"])))
        elif kind and kind != "qualitative" and _empty(row, "value"):
            problems.append(Problem(shown, row["_line"], "value", f"a number for an {kind} "
                                    "figure", "an empty cell"))
    shown = display_path(data_dir / "events.csv")
    for row in tables.get("events", []):
        start, end = row.get("start_date"), row.get("end_date")
        precision = row.get("date_precision")
        if precision == "before" and start is not None:
            problems.append(Problem(shown, row["_line"], "start_date", "no start date for "
                                    "precision 'before'", start.isoformat()))
        elif precision in ("day", "month", "year") and _empty(row, "start_date"):
            problems.append(Problem(shown, row["_line"], "start_date", f"a start date for "
                                    f"precision '{precision}'", "an empty cell"))
        elif start and end and start > end:
            problems.append(Problem(shown, row["_line"], "end_date", f"a date on or after the "
                                    f"start date {start}", end.isoformat()))
    check_translations(tables, data_dir, problems)
    shown = display_path(data_dir / "places.csv")
    for row in tables.get("places", []):
        if row.get("kind") not in (None, "country"):
            for name in ("latitude", "longitude"):
                if _empty(row, name):
                    problems.append(Problem(shown, row["_line"], name, f"a {name} for a "
                                            f"{row['kind']}", "an empty cell"))


def check_translations(tables: dict, data_dir: Path, problems: list[Problem]):
    """Each translation names a row that exists and a field that editions translate."""
    shown = display_path(data_dir / "translations.csv")
    # Each translated table's key is its first column (figure_id, event_id, thesis_id, ...).
    keys = {name: {_row_key(r) for r in tables.get(name, [])}
            for name in TRANSLATED_FIELDS if name in tables}
    for row in tables.get("translations", []):
        resource, row_id, field = row.get("resource"), row.get("row_id"), row.get("field")
        if resource in keys and row_id not in keys[resource]:
            problems.append(Problem(shown, row["_line"], "row_id", f"an id of {resource}",
                                    repr(row_id)))
        fields = TRANSLATED_FIELDS.get(resource, ())
        if resource and field and field not in fields:
            problems.append(Problem(shown, row["_line"], "field", "a translated field of "
                                    f"{resource}: {', '.join(fields)}", repr(field)))
    check_editions(tables, data_dir, problems)


def edition_languages(data_dir: Path) -> list[str]:
    """The languages of the editions other than the dataset's own: those the `lang` column of
    the translations table admits."""
    try:
        descriptor = read_descriptor(data_dir)
    except DataValidationError:
        return []
    for resource in resources(descriptor):
        if resource.name == "translations":
            for field in resource.fields:
                if field["name"] == "lang":
                    return list(field.get("constraints", {}).get("enum", []))
    return []


def map_countries(data_dir: Path) -> list[str]:
    """The ISO codes of the map's countries (tunisia_region.geojson), whose names each edition
    translates; none when the package holds no map."""
    try:
        features = json.loads(read_package_file(data_dir, GEOJSON.name))["features"]
        return [f["properties"]["iso_a3"] for f in features]
    except (PackageFileError, ValueError, KeyError, TypeError):
        return []  # no map here: the map's own checks say so when it is drawn


def check_editions(tables: dict, data_dir: Path, problems: list[Problem]):
    """Every text an edition shows in its language has its translation: each translated field
    that holds a value, in each edition's language, and the map's country names."""
    given = {(r.get("resource"), r.get("row_id"), r.get("field"), r.get("lang"))
             for r in tables.get("translations", [])}
    languages = edition_languages(data_dir)
    for name, fields in TRANSLATED_FIELDS.items():
        if name == "countries" or name not in tables:
            continue
        shown = display_path(data_dir / f"{name}.csv")
        for row in tables[name]:
            key = _row_key(row)  # the first column, as for check_translations ('thesis_id')
            for field in fields:
                if row.get(field) in (None, "") or key is None:
                    continue  # nothing to translate (an empty cell stays empty)
                for lang in languages:
                    if (name, key, field, lang) not in given:
                        problems.append(Problem(
                            shown, row["_line"], field, f"its {lang!r} text in translations.csv "
                            f"(the {lang} edition shows it)", "none"))
    shown = display_path(data_dir / "translations.csv")
    for iso in map_countries(data_dir) if "translations" in tables else []:
        for lang in languages:
            if ("countries", iso, "name", lang) not in given:
                problems.append(Problem(shown, None, "text", f"the {lang!r} name of the map's "
                                        f"country {iso} (the {lang} edition's map shows it)",
                                        "none"))


def _row_key(row: dict):
    """A typed row's id: the value of its first column."""
    return next((value for name, value in row.items() if not name.startswith("_")), None)


def check_sources_rules(tables: dict, data_dir: Path, problems: list[Problem]):
    """A stored file has both its path and its sha256; the article's text is stored; a date of
    publication has its precision, and a month is stored as its first day."""
    shown = display_path(data_dir / "sources.csv")
    for row in tables.get("sources", []):
        line = row["_line"]
        if "path" in row and "sha256" in row and (row["path"] is None) != (row["sha256"] is None):
            field, given = ("sha256", "path") if row["sha256"] is None else ("path", "sha256")
            problems.append(Problem(shown, line, field, f"a {field} with the {given}",
                                    "an empty cell"))
        if row.get("kind") == "article" and "path" in row and row["path"] is None:
            problems.append(Problem(shown, line, "path", "the stored text of the article",
                                    "an empty cell"))
        published, precision = row.get("date_published"), row.get("published_precision")
        if "published_precision" not in row:
            continue
        if (published is None) != (precision is None):
            expected = ("a precision for the date published" if precision is None
                        else "no precision without a date published")
            found = "an empty cell" if precision is None else repr(precision)
            problems.append(Problem(shown, line, "published_precision", expected, found))
        elif precision == "month" and published.day != 1:
            problems.append(Problem(shown, line, "date_published", "the first day of the month "
                                    "for precision 'month'", published.isoformat()))
        if row.get("url") is not None and (wrong := url_problem(row["url"])):
            problems.append(Problem(shown, line, "url", wrong, repr(row["url"])))
    check_copies(tables, shown, problems)


TITLE_FROM_URL = re.compile(r"^\s*(https?://|www\.)|\b(taken|read) from the URL\b", re.I)


def check_copies(tables: dict, shown: str, problems: list[Problem]):
    """The copy rule and what a source cites: a title that is neither a URL nor read from one;
    a date or a note saying why there is none; a mirror (a copy whose newsroom is unknown) has
    no newsroom and names its copy host, and every other source has a newsroom; a publisher
    (producer) has one kind everywhere."""
    kinds: dict[str, tuple[str, int]] = {}
    for row in tables.get("sources", []):
        line = row["_line"]
        if "title" in row and row["title"] is not None and TITLE_FROM_URL.search(row["title"]):
            problems.append(Problem(shown, line, "title", "the title the page shows, not its URL "
                                    "or words read from it", repr(row["title"])))
        if "date_note" in row and row.get("date_published") is None and not row["date_note"]:
            problems.append(Problem(shown, line, "date_note", "why there is no date published",
                                    "an empty cell"))
        kind = row.get("kind")
        if "newsroom" in row and kind == "mirror":
            if row["newsroom"] is not None:
                problems.append(Problem(shown, line, "newsroom", "no newsroom for a mirror (a "
                                        "copy whose newsroom is known is coded as that "
                                        "newsroom's, with its copy_host)", repr(row["newsroom"])))
            if "copy_host" in row and row["copy_host"] is None:
                problems.append(Problem(shown, line, "copy_host", "the copy site of a mirror",
                                        "an empty cell"))
        elif "newsroom" in row and row["newsroom"] is None:
            problems.append(Problem(shown, line, "newsroom", "the newsroom that wrote the text "
                                    "(kind 'mirror' when it is unknown)", "an empty cell"))
        producer = row.get("producer")
        if producer is None or kind is None:
            continue
        first = kinds.setdefault(producer, (kind, line))
        if first[0] != kind:
            problems.append(Problem(shown, line, "kind", f"{first[0]!r}, the kind of "
                                    f"{producer!r} on line {first[1]} (a publisher has one "
                                    "kind)", repr(kind)))


TEMPLATE_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\$\{|%7B%7B|%7D%7D", re.I)


def url_problem(url: str) -> str | None:
    """What a source's URL should be, if it is not an absolute http(s) URL free of template
    leftovers ('{{url}}', '${id}')."""
    if not re.match(r"https?://[^/\s?#]+\.[^/\s?#]+", url) or re.search(r"\s", url):
        return "an absolute http(s) URL"
    if TEMPLATE_LEFTOVER.search(url):
        return "a URL without template leftovers such as '{{url}}'"
    return None


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
            if named and _empty(row, source):
                problems.append(Problem(shown, row["_line"], source, f"the source of the "
                                        f"{words} ({row[group]})", "an empty cell"))
            elif not named and not _empty(row, source):
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
        if row.get("source_id") == ARTICLE and _empty(row, "quote"):
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
    ids = {name: {_row_key(r) for r in tables.get(name, [])} for name in FACT_TABLES}
    for row in tables.get("corroborations", []):
        resource, row_id = row.get("resource"), row.get("row_id")
        if resource in tables and row_id is not None and row_id not in ids[resource]:
            problems.append(Problem(shown, row["_line"], "row_id", f"an id of {resource}",
                                    repr(row_id)))


CENSUS_END = 2024  # the attack census runs from the article's publication to the end of this year


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


def check_claims(tables: dict, data_dir: Path, problems: list[Problem]):
    """Each row of claims names one of the article's figures or events."""
    if "claims" not in tables:
        return
    shown = display_path(data_dir / "claims.csv")
    known = ({r.get("figure_id") for r in tables.get("figures", [])}
             | {r.get("event_id") for r in tables.get("events", [])})
    for row in tables["claims"]:
        if row.get("claim_id") is not None and row["claim_id"] not in known:
            problems.append(Problem(shown, row["_line"], "claim_id",
                                    "the id of a figure or an event", repr(row["claim_id"])))


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


def check(data_dir: Path) -> tuple[list[Problem], Tables]:
    """Every problem in the dataset at `data_dir`, in file order (empty when it is valid), and
    the rows typed on the way."""
    data_dir = Path(data_dir)
    try:
        descriptor = read_descriptor(data_dir)
    except DataValidationError as exc:
        return exc.problems, {}
    problems: list[Problem] = []
    res_list = resources(descriptor)
    tables = {r.name: check_resource(r, data_dir, problems) for r in res_list}
    check_foreign_keys(res_list, tables, data_dir, problems)
    texts = check_sources(tables, data_dir, problems)
    check_quotes(res_list, tables, texts, data_dir, problems)
    check_rules(tables, data_dir, problems)
    check_sources_rules(tables, data_dir, problems)
    check_reports(tables, data_dir, problems)
    check_record_after(tables, data_dir, problems)
    check_claims(tables, data_dir, problems)
    check_searches(tables, data_dir, problems)
    check_stated_dates(res_list, tables, data_dir, problems)
    check_map_coordinates(res_list, tables, data_dir, problems)
    check_place_names(res_list, tables, data_dir, problems)
    check_amount_words(res_list, tables, data_dir, problems)
    return problems, tables


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


def check_map_coordinates(res_list, tables: dict, data_dir: Path, problems: list[Problem]):
    """Whatever a map draws (each row of a table with a latitude and a longitude) lies within
    the maps' region, Tunisia and its neighbours' borderlands (`gazetteer.REGION`): a point
    outside it would silently not be drawn."""
    lon0, lon1, lat0, lat1 = gazetteer.REGION
    for resource in res_list:
        if not {"latitude", "longitude"} <= set(resource.field_names):
            continue
        shown = display_path(data_dir / resource.path)
        for row in tables.get(resource.name, []):
            for name, low, high in (("latitude", lat0, lat1), ("longitude", lon0, lon1)):
                value = row.get(name)
                if value is not None and not low <= value <= high:
                    problems.append(Problem(
                        shown, row["_line"], name, f"a {name} within the maps' region, "
                        f"{low} to {high} (Tunisia and its borders)", repr(value)))


def check_place_names(res_list, tables: dict, data_dir: Path, problems: list[Problem]):
    """A place the map labels and the text names (the `place` of a table that also gives its
    coordinates: attacks) resolves to a known place: a row of places (its name, or the name
    it gives in brackets) or a locality of Tunisia (`gazetteer`), by the name before any
    bracketed detail ('Tunis (Bardo)' is Tunis); and its coordinates lie within
    `gazetteer.NEAR_KM` of that place."""
    known: dict[str, tuple[str, float | None, float | None]] = {}
    for row in tables.get("places", []):
        name = row.get("name") or ""
        where = (name, row.get("latitude"), row.get("longitude"))
        for part in re.split(r"\s*[()]\s*", name):
            if part:
                known.setdefault(gazetteer.key(part), where)
    for resource in res_list:
        if not {"place", "latitude", "longitude"} <= set(resource.field_names):
            continue
        shown = display_path(data_dir / resource.path)
        for row in tables.get(resource.name, []):
            place = row.get("place")
            if place is None:
                continue
            head = place.split(" (")[0]
            where = known.get(gazetteer.key(head)) or gazetteer.localities().get(
                gazetteer.key(head))
            if where is None:
                problems.append(Problem(shown, row["_line"], "place", "the name of a row of "
                                        "places.csv or of a locality of Tunisia (before any "
                                        "detail in brackets)", repr(place)))
                continue
            name, lat, lon = where
            point = row.get("latitude"), row.get("longitude")
            if lat is None or None in point:
                continue
            away = gazetteer.distance_km((lat, lon), point)
            if away > gazetteer.NEAR_KM:
                problems.append(Problem(
                    shown, row["_line"], "latitude,longitude", f"coordinates within "
                    f"{gazetteer.NEAR_KM:.0f} km of {name} ({lat}, {lon}), the place named",
                    f"{point[0]}, {point[1]} ({away:.0f} km away)"))


def check_amount_words(res_list, tables: dict, data_dir: Path, problems: list[Problem]):
    """Where the article gives a number in words and the row its value, they agree, read in
    the source's language (sources.csv `language`; English where it does not say): a figure's
    `amount_text` ('twenty' is 20) and the numbers its quote states; and a figure's amount_text
    appears in its quote."""
    sources = {r.get("source_id"): r for r in tables.get("sources", [])}
    for resource in res_list:
        names = set(resource.field_names)
        if not {"value", "quote", "source_id"} <= names:
            continue
        shown = display_path(data_dir / resource.path)
        for row in tables.get(resource.name, []):
            value, quote = row.get("value"), row.get("quote")
            if value is None or quote is None or "value" in row["_invalid"]:
                continue
            lang = (sources.get(row.get("source_id")) or {}).get("language") or "en"
            words = row.get("amount_text")
            stated = numbers.parse(words, lang) if words else None
            if stated is not None and stated != value:
                problems.append(Problem(shown, row["_line"], "value", f"{stated}, the number "
                                        f"the words {words!r} give", repr(value)))
                continue
            if words and normalise(words).casefold() not in normalise(quote).casefold():
                problems.append(Problem(shown, row["_line"], "amount_text", "the article's "
                                        "words as its quote gives them", repr(words)))
            said = numbers.numbers_in(quote, lang)
            if said and value not in said and (stated is None or words is None):
                problems.append(Problem(shown, row["_line"], "value", "one of the numbers its "
                                        f"quote states ({', '.join(map(str, said))})",
                                        repr(value)))


def collect_problems(data_dir: Path) -> list[Problem]:
    """Every problem in the dataset at `data_dir`, in file order; empty when it is valid."""
    return check(data_dir)[0]


def validate(data_dir: Path) -> Tables:
    """The typed rows of every resource; raise DataValidationError listing every problem."""
    problems, tables = check(data_dir)
    if problems:
        raise DataValidationError(problems)
    return tables
