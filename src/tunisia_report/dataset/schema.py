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

from tunisia_report.exceptions import DataValidationError, Problem

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class FieldType:
    """How one schema type is read from a CSV cell, written back, and held by pandas."""

    parse: Callable[[str], object]  # non-empty text -> value; ValueError("what was expected")
    write: Callable[[object], str]
    dtype: str


def _parse_integer(text: str) -> int:
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError("a whole number")
    return int(text)


def _parse_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError("a number") from None
    if not math.isfinite(value):
        raise ValueError("a finite number")
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
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems = [Problem(str(path), None, None, "a data package descriptor", "no such file")]
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
    return problems


def resources(descriptor: dict) -> list[Resource]:
    """The package's resources, in the order the descriptor lists them."""
    return [Resource(r["name"], r["path"], r["schema"]) for r in descriptor["resources"]]  # shaped
    # as `descriptor_problems` requires, which `read_descriptor` checks


# Conventions the rows follow, beyond what the schema states.
ARTICLE = "bechri-2014"  # sources.source_id of the article every row quotes
AUTHOR_VOICE = "The author"  # figures.attributed_to when the article states a figure itself
# The fields each edition shows in its own language, from the `translations` table (by
# resource, row id, field and language). Quotes, sources and ids are never translated.
TRANSLATED_FIELDS = {
    "figures": ("label", "amount_text", "unit", "attributed_to"),
    "events": ("title",),
    "places": ("name",),
    "measures": ("name",),
    "claims": ("asserts",),
    "attacks": ("title", "place"),
    "outcomes": ("name",),
    "theses": ("claim",),
    "countries": ("name",),  # the map's countries (tunisia_region.geojson), by iso_a3
}
