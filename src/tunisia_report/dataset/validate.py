"""Check the dataset against its Table Schema, and against the record's own rules, and report
every problem.

Here: the generic Table Schema checks, as frictionless keeps them apart from its table checks
(the file read as CSV, its columns, each cell's type and constraints, unique values, primary and
foreign keys). The rules of this record that a schema cannot state are `dataset.rules` (the
article's tables, sources and translations) and `dataset.record_rules` (the public record: its
reports, facts after the article and searches); `check` runs them all, in this order.

Each problem names the file, the line (the header is line 1), the field, what was expected and
what was found. `validate()` raises one DataValidationError carrying all of them.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tunisia_report.dataset import record_rules, rules
from tunisia_report.dataset.files import PackageFileError, display_path, read_package_file
from tunisia_report.dataset.schema import Resource, field_type, read_descriptor, resources
from tunisia_report.exceptions import DataValidationError, Problem

Tables = dict[str, list[dict]]  # resource name -> typed rows, each with its CSV line as `_line`

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
    # One checker per column the file has, made once per table (each cell is checked with it)
    columns = [(f["name"], cell_checker(f), bool(f.get("constraints", {}).get("unique")))
               for f in resource.fields if f["name"] in header]
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
        for name, checker, unique in columns:
            before = len(problems)
            value = checker(raw[name], shown, line, [] if name == reported else problems)
            if len(problems) > before or name == reported:
                typed["_invalid"].add(name)
            typed[name] = value
            if value is not None and unique:
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
    return cell_checker(field)(text, shown, line, problems)


def cell_checker(field: dict):
    """`check_cell` for one field, with what the field declares read once: a table's cells are
    checked by column (24,000 cells in the dataset, each read a dozen dictionary keys before)."""
    name, constraints = field["name"], field.get("constraints", {})
    required = bool(constraints.get("required"))
    parse = None if field.get("type", "string") == "string" else field_type(field).parse
    minimum, maximum = constraints.get("minimum"), constraints.get("maximum")
    enum = constraints.get("enum")
    pattern = re.compile(constraints["pattern"]) if "pattern" in constraints else None
    min_length = constraints.get("minLength")
    constrained = any(k in constraints for k in ("minimum", "maximum", "enum", "pattern",
                                                 "minLength"))

    def check(text: str, shown: str, line: int, problems: list[Problem]):
        if text == "":
            if required:
                problems.append(Problem(shown, line, name, "a value (required)", "an empty cell"))
            return None
        control = CONTROL.search(text)
        if control:  # invisible, and NUL or ESC in a PDF, a terminal or XML is trouble
            found = f"{text[:40]!r}{'…' if len(text) > 40 else ''} (U+{ord(control[0]):04X})"
            problems.append(Problem(shown, line, name, "one line of text without control or "
                                    "bidirectional control characters", found))
            return None
        if parse is None:
            value = text
        else:
            try:
                value = parse(text)
            except ValueError as exc:
                problems.append(Problem(shown, line, name, str(exc), repr(text)))
                return None
        if not constrained:
            return value
        failed = None
        if minimum is not None and value < minimum:
            failed = f"a value of at least {minimum}"
        elif maximum is not None and value > maximum:
            failed = f"a value of at most {maximum}"
        elif enum is not None and value not in enum:
            failed = "one of " + ", ".join(enum)
        elif pattern is not None and not pattern.fullmatch(text):
            failed = f"text matching the pattern {pattern.pattern}"
        elif min_length is not None and len(text) < min_length:
            failed = f"at least {min_length} characters"
        if failed:
            problems.append(Problem(shown, line, name, failed, repr(text)))
            return None
        return value

    return check


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
    texts = rules.check_sources(tables, data_dir, problems)
    rules.check_quotes(res_list, tables, texts, data_dir, problems)
    rules.check_rules(tables, data_dir, problems)
    rules.check_sources_rules(tables, data_dir, problems)
    record_rules.check_reports(tables, data_dir, problems)
    record_rules.check_record_after(tables, data_dir, problems)
    rules.check_claims(tables, data_dir, problems)
    record_rules.check_searches(tables, data_dir, problems)
    record_rules.check_stated_dates(res_list, tables, data_dir, problems)
    rules.check_map_coordinates(res_list, tables, data_dir, problems)
    rules.check_place_names(res_list, tables, data_dir, problems)
    rules.check_amount_words(res_list, tables, data_dir, problems)
    return problems, tables


def collect_problems(data_dir: Path) -> list[Problem]:
    """Every problem in the dataset at `data_dir`, in file order; empty when it is valid."""
    return check(data_dir)[0]


def validate(data_dir: Path) -> Tables:
    """The typed rows of every resource; raise DataValidationError listing every problem."""
    problems, tables = check(data_dir)
    if problems:
        raise DataValidationError(problems)
    return tables
