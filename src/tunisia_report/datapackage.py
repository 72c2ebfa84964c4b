"""Read `data/datapackage.json`, the one place where the dataset's schema lives."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tunisia_report.exceptions import DataValidationError, Problem

DESCRIPTOR = "datapackage.json"


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
    """Return the parsed descriptor, or raise DataValidationError naming the file."""
    path = Path(data_dir) / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problem = Problem(str(path), None, None, "a data package descriptor", "no such file")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problem = Problem(str(path), None, None, "valid UTF-8 JSON", str(exc))
    raise DataValidationError([problem])


def resources(descriptor: dict) -> list[Resource]:
    """The package's resources, in the order the descriptor lists them."""
    return [Resource(r["name"], r["path"], r["schema"]) for r in descriptor["resources"]]
