"""Load the validated dataset as typed DataFrames, with dtypes taken from datapackage.json."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tunisia_report.datapackage import Resource, read_descriptor, resources
from tunisia_report.paths import DATA_DIR
from tunisia_report.validate import validate


class Dataset(dict):
    """The package's tables by resource name (also as attributes), with the descriptor."""

    def __init__(self, tables: dict[str, pd.DataFrame], descriptor: dict, data_dir: Path):
        super().__init__(tables)
        self.descriptor = descriptor
        self.data_dir = Path(data_dir)

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def source(self, source_id: str) -> pd.Series:
        """The row of the sources table with this id."""
        return self["sources"].set_index("source_id").loc[source_id]


def dtype_for(field: dict):
    """The pandas dtype of a schema field."""
    kind = field.get("type", "string")
    enum = field.get("constraints", {}).get("enum")
    if enum:
        return pd.CategoricalDtype(categories=enum)
    return {"integer": "Int64", "number": "Float64", "date": "datetime64[ns]"}.get(kind, "string")


def read_resource(resource: Resource, data_dir: Path) -> pd.DataFrame:
    """Read one resource's CSV and type each column from its schema."""
    raw = pd.read_csv(
        Path(data_dir) / resource.path, dtype=str, keep_default_na=False, encoding="utf-8"
    )
    frame = pd.DataFrame(index=raw.index)
    for field in resource.fields:
        column = raw[field["name"]].replace("", None)
        dtype = dtype_for(field)
        if dtype == "datetime64[ns]":
            frame[field["name"]] = pd.to_datetime(column, format="%Y-%m-%d")
        elif dtype in ("Int64", "Float64"):
            frame[field["name"]] = pd.to_numeric(column).astype(dtype)
        else:
            frame[field["name"]] = column.astype(dtype)
    return frame


def load(data_dir: Path | str = DATA_DIR, check: bool = True) -> Dataset:
    """Validate (unless check=False) and load every resource as a typed DataFrame."""
    data_dir = Path(data_dir)
    if check:
        validate(data_dir)
    descriptor = read_descriptor(data_dir)
    tables = {r.name: read_resource(r, data_dir) for r in resources(descriptor)}
    return Dataset(tables, descriptor, data_dir)


def to_csv_text(frame: pd.DataFrame, resource: Resource) -> str:
    """Write a typed resource back to CSV text in the dataset's own format."""
    out = pd.DataFrame(index=frame.index)
    for field in resource.fields:
        column = frame[field["name"]]
        if field.get("type") == "date":
            out[field["name"]] = column.dt.strftime("%Y-%m-%d")
        else:
            out[field["name"]] = column.astype(object)
        out[field["name"]] = out[field["name"]].where(column.notna(), "")
    return out.to_csv(index=False, lineterminator="\n")
