"""Read `data/datapackage.json`, the one place where the dataset's schema lives, and the one
table of field types that reading, validating and writing share.

Each schema type (`string`, `integer`, `number`, `date`) is one `FieldType`: how a CSV cell is
parsed (raising ValueError that says what was expected), how a typed value is written back, and
the pandas dtype of its column. An `enum` constraint makes a column categorical.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tunisia_report.dataset.files import PackageFileError, path_problem, read_package_file
from tunisia_report.exceptions import DataValidationError, Problem
from tunisia_report.record import ARTICLE as ARTICLE  # re-exported: the dataset's readers
from tunisia_report.record import AUTHOR_VOICE as AUTHOR_VOICE  # import them from here

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class FieldType:
    """How one schema type is read from a CSV cell, written back, and held by pandas."""

    parse: Callable[[str], object]  # non-empty text -> value; ValueError("what was expected")
    write: Callable[[object], str]
    dtype: str


# The largest amount a cell may hold: every figure of the article is far below it, it is exact
# as a float (2^53 is about 9.0e15), and 2^63 overflowed pandas' Int64 in a notebook.
MAX_DIGITS = 15


def _parse_integer(text: str) -> int:
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError("a whole number")
    if len(text.lstrip("-").lstrip("0")) > MAX_DIGITS:
        raise ValueError(f"a whole number of at most {MAX_DIGITS} digits")
    return int(text)


def _parse_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError("a number") from None
    if not math.isfinite(value):
        raise ValueError("a finite number")
    if abs(value) >= 10 ** MAX_DIGITS:
        raise ValueError(f"a number below 1e{MAX_DIGITS} in size")
    return value


def _parse_date(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("a real calendar date as YYYY-MM-DD") from None


def _write_number(value) -> str:
    return repr(float(value)) if float(value) != int(value) else str(int(value))


FIELD_TYPES: dict[str, FieldType] = {
    "string": FieldType(parse=str, write=str, dtype="string"),
    "integer": FieldType(parse=_parse_integer, write=lambda v: str(int(v)), dtype="Int64"),
    "number": FieldType(parse=_parse_number, write=_write_number, dtype="Float64"),
    "date": FieldType(parse=_parse_date, write=lambda v: f"{v:%Y-%m-%d}",
                      dtype="datetime64[us]"),
}


def field_type(field: dict) -> FieldType:
    """The FieldType of a schema field (`string` when the field names none)."""
    return FIELD_TYPES[field.get("type", "string")]


@dataclass(frozen=True)
class Resource:
    """One tabular resource of the package: its name, file and schema."""

    name: str
    path: str
    schema: dict

    @property
    def fields(self) -> list[dict]:
        return self.schema["fields"]

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        key = self.schema.get("primaryKey", [])
        return [key] if isinstance(key, str) else list(key)

    @property
    def foreign_keys(self) -> list[dict]:
        return self.schema.get("foreignKeys", [])


def read_descriptor(data_dir: Path) -> dict:
    """Return the parsed descriptor, or raise DataValidationError naming the file and, for a
    descriptor of the wrong shape, every place where it is wrong."""
    path = Path(data_dir) / DESCRIPTOR
    try:
        descriptor = json.loads(read_package_file(data_dir, DESCRIPTOR).decode("utf-8"))
    except PackageFileError as exc:
        expected = ("a data package descriptor" if exc.found == "no such file"
                    else exc.expected)
        problems = [Problem(str(path), None, None, expected, exc.found)]
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems = [Problem(str(path), None, None, "valid UTF-8 JSON", str(exc))]
    else:
        problems = descriptor_problems(descriptor, str(path))
    if problems:
        raise DataValidationError(problems)
    return descriptor


def _shape(value) -> str:
    """What a JSON value is, for a message: 'none', 'a list', 'the text 'x''."""
    if value is None:
        return "none"
    if isinstance(value, str):
        return f"the text {value!r}"
    return {dict: "an object", list: "a list", bool: "a boolean"}.get(type(value),
                                                                     f"the number {value}")


def descriptor_problems(descriptor, shown: str) -> list[Problem]:
    """Every place where the descriptor lacks the shape the tables are read with."""
    problems: list[Problem] = []

    def expect(ok: bool, where: str, expected: str, value) -> bool:
        if not ok:
            problems.append(Problem(shown, None, where, expected, _shape(value)))
        return ok

    if not expect(isinstance(descriptor, dict), "", "an object", descriptor):
        return problems
    listed = descriptor.get("resources")
    if not expect(isinstance(listed, list) and listed != [], "resources",
                  "a list of resources", listed):
        return problems
    for i, resource in enumerate(listed):
        where = f"resources[{i}]"
        if not expect(isinstance(resource, dict), where, "a resource object", resource):
            continue
        for key in ("name", "path"):
            expect(isinstance(resource.get(key), str) and resource.get(key) != "",
                   f"{where}.{key}", f"a {key}", resource.get(key))
        if isinstance(resource.get("path"), str) and resource["path"]:
            outside = path_problem(resource["path"])
            if outside:
                problems.append(Problem(shown, None, f"{where}.path",
                                        "a path inside the data folder", outside))
        schema = resource.get("schema")
        if not expect(isinstance(schema, dict), where + ".schema", "a schema", schema):
            continue
        fields = schema.get("fields")
        if not expect(isinstance(fields, list) and fields != [], where + ".schema.fields",
                      "a list of fields", fields):
            continue
        for j, field in enumerate(fields):
            at = f"{where}.schema.fields[{j}]"
            if not expect(isinstance(field, dict), at, "a field object", field):
                continue
            expect(isinstance(field.get("name"), str), at + ".name", "a name", field.get("name"))
            expect(field.get("type", "string") in FIELD_TYPES, at + ".type",
                   "one of " + ", ".join(FIELD_TYPES), field.get("type"))
            expect(isinstance(field.get("constraints", {}), dict), at + ".constraints",
                   "an object", field.get("constraints"))
        keys = schema.get("foreignKeys", [])
        if not expect(isinstance(keys, list), where + ".schema.foreignKeys", "a list", keys):
            continue
        for k, key in enumerate(keys):
            ok = (isinstance(key, dict) and "fields" in key
                  and isinstance(key.get("reference"), dict) and "fields" in key["reference"])
            expect(ok, f"{where}.schema.foreignKeys[{k}]",
                   "an object with fields and reference.fields", key)
    if not problems:
        problems += key_problems(listed, shown)
    return problems


def _names(value) -> list | None:
    """A key's field names (a name or a list of names), or None when it is neither."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def key_problems(listed: list[dict], shown: str) -> list[Problem]:
    """Every key that names a field or a resource the descriptor does not have (a well-shaped
    descriptor, as `descriptor_problems` checks first)."""
    problems: list[Problem] = []
    fields = {r["name"]: [f.get("name") for f in r["schema"]["fields"]] for r in listed}
    for i, resource in enumerate(listed):
        own, schema = fields[resource["name"]], resource["schema"]
        where = f"resources[{i}].schema"

        def unknown(at: str, value, known: list, what: str) -> None:
            names = _names(value)
            if names is None:
                problems.append(Problem(shown, None, at, "a field name or a list of them",
                                        _shape(value)))
            elif not names or any(n not in known for n in names):
                missing = [n for n in names if n not in known] or names
                problems.append(Problem(shown, None, at, f"fields of {what}: "
                                        + ", ".join(map(str, known)),
                                        ", ".join(repr(n) for n in missing) or "none"))

        if "primaryKey" in schema:
            unknown(where + ".primaryKey", schema["primaryKey"], own, resource["name"])
        for k, key in enumerate(schema.get("foreignKeys", [])):
            at = f"{where}.foreignKeys[{k}]"
            target = key["reference"].get("resource") or resource["name"]
            if target not in fields:
                problems.append(Problem(shown, None, at + ".reference.resource",
                                        "a resource of the package", _shape(target)))
                continue
            unknown(at + ".fields", key["fields"], own, resource["name"])
            unknown(at + ".reference.fields", key["reference"]["fields"], fields[target], target)
            mine, theirs = _names(key["fields"]), _names(key["reference"]["fields"])
            if mine and theirs and len(mine) != len(theirs):
                problems.append(Problem(shown, None, at, "as many fields as reference.fields",
                                        f"{len(mine)} and {len(theirs)}"))
    names = [r["name"] for r in listed]
    for i, name in enumerate(names):
        if name in names[:i]:
            problems.append(Problem(shown, None, f"resources[{i}].name", "a name no other "
                                    "resource has", repr(name)))
    return problems


def resources(descriptor: dict) -> list[Resource]:
    """The package's resources, in the order the descriptor lists them."""
    return [Resource(r["name"], r["path"], r["schema"]) for r in descriptor["resources"]]  # shaped
    # as `descriptor_problems` requires, which `read_descriptor` checks


# Conventions the rows follow, beyond what the schema states: ARTICLE and AUTHOR_VOICE, defined in
# tunisia_report.record (the text layer reads them too) and imported above.
# The fields each edition shows in its own language, from the `translations` table (by
# resource, row id, field and language). Quotes, sources and ids are never translated.
TRANSLATED_FIELDS = {
    "figures": ("label", "amount_text", "unit", "attributed_to"),
    "events": ("title",),
    "places": ("name",),
    "measures": ("name",),
    "claims": ("asserts", "not_tested", "note"),
    "attacks": ("title", "place"),
    "outcomes": ("name",),
    "theses": ("claim", "short", "reason"),
    "departures": ("originator",),  # who gave an estimate, as the text attributes it
    "actors": ("name",),  # the article's people and bodies (its author among them)
    "totals": ("measure", "publisher", "note"),  # published totals: what, by whom, our note
    "countries": ("name",),  # the map's countries (tunisia_region.geojson), by iso_a3
}
