"""Load the dataset as typed DataFrames, with dtypes from the one field-type table (`schema`).

`load` validates in full wherever it runs (render, plain `papermill`, JupyterLab). Skipping the
checks in kernels the driver had validated for saved about 19 ms a load (validate 40 ms against
21 ms for typing the rows alone, median of 20, machine load 12), some 0.1 s of a render, and let
an environment variable switch the checks off: not worth it.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from pathlib import Path

import pandas as pd

from tunisia_report.dataset.schema import (
    TRANSLATED_FIELDS,
    Resource,
    field_type,
    read_descriptor,
    resources,
)
from tunisia_report.dataset.validate import Tables, check_resource, validate
from tunisia_report.exceptions import DataError, DataValidationError
from tunisia_report.paths import DATA_DIR

_reads: ContextVar[set[str] | None] = ContextVar("dataset_reads", default=None)


@contextlib.contextmanager
def reading():
    """Within: the set of the resources whose tables a `Dataset` gave out, read directly or
    through a kept result (`Dataset.kept`), and for an edition the translations too; the
    chart store keys a chart by these files alone (`charts.store`). Nested blocks add what
    they saw to the enclosing one."""
    outer = _reads.get()
    names: set[str] = set()
    token = _reads.set(names)
    try:
        yield names
    finally:
        _reads.reset(token)
        if outer is not None:
            outer |= names


@contextlib.contextmanager
def _not_reading():
    token = _reads.set(None)
    try:
        yield
    finally:
        _reads.reset(token)


def _note(names) -> None:
    reads = _reads.get()
    if reads is not None:
        reads.update(names)


class Dataset(dict):
    """The package's tables by resource name (also as attributes), with the descriptor.

    Every way of reading a table (`[name]`, `get`, `values`, `items`, a copy) tells `reading`
    which resources it came from."""

    def __init__(self, tables: dict[str, pd.DataFrame], descriptor: dict, data_dir: Path,
                 also_read: tuple[str, ...] = ()):
        super().__init__(tables)
        self.descriptor = descriptor
        self.data_dir = Path(data_dir)
        self.also_read = also_read  # resources every table of this one was made from

    def _read(self, names) -> None:
        if _reads.get() is not None:
            _note([*names, *self.also_read])

    def __getitem__(self, name: str) -> pd.DataFrame:
        frame = super().__getitem__(name)
        self._read([name])
        return frame

    def get(self, name: str, default=None):
        if name in self:
            return self[name]
        return default

    def values(self):
        self._read(self.keys())
        return super().values()

    def items(self):
        self._read(self.keys())
        return super().items()

    def copy(self) -> dict:
        self._read(self.keys())
        return super().copy()

    def __iter__(self):  # not dict's own: dict(ds) and {**ds} then read through __getitem__
        return super().__iter__()

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def kept(self, compute, *also):
        """`compute(self)`, kept on the dataset while its tables are the same objects and
        `also` the same: the report asks for some results once per chart and passage (the
        decade's attack deaths 53 times a render). The kept object itself is returned: a
        caller that may change it copies it. Each call counts as reading what the
        computation read."""
        tables = tuple(dict.values(self))
        memo = self.__dict__.setdefault("_kept", {})
        kept = memo.get(compute)  # (tables, also, result, resources read)
        if (kept is None or kept[1] != also or len(kept[0]) != len(tables)
                or any(a is not b for a, b in zip(kept[0], tables, strict=True))):
            with reading() as names:
                result = compute(self, *also)
            kept = memo[compute] = (tables, also, result, frozenset(names))
        _note(kept[3])
        return kept[2]

    def localized(self, lang: str, source_lang: str = "en") -> Dataset:
        """The dataset as an edition in `lang` shows it: each of `TRANSLATED_FIELDS` in that
        language, the dataset's own text kept beside it as `<field>_original`, and `.original`
        the untranslated dataset. A field without its translation is a DataError listing every
        one missing: an edition never falls back to English."""
        with _not_reading():  # an edition's table is read as itself and the translations
            frames = {name: frame.copy() for name, frame in self.items()}
            texts = self.translations(lang) if lang != source_lang else {}
        missing = []
        for name, fields in TRANSLATED_FIELDS.items():
            if name not in frames:
                continue
            frame, key = frames[name], frames[name].columns[0]
            for field in fields:
                frame[f"{field}_original"] = frame[field]
                if lang == source_lang:
                    continue
                values = [texts.get((name, row_id, field)) for row_id in frame[key]]
                missing += [f"{name}/{row_id}/{field}" for row_id, value, original
                            in zip(frame[key], values, frame[field], strict=True)
                            if value is None and not pd.isna(original)]
                frame[field] = pd.array(values, dtype="string")
        if missing:
            raise DataError(f"translations.csv has no {lang!r} text for: {', '.join(missing)}")
        edition = Dataset(frames, self.descriptor, self.data_dir,
                          also_read=("translations",) if lang != source_lang else ())
        edition.original = getattr(self, "original", self)
        edition.lang = lang
        return edition

    def translations(self, lang: str) -> dict[tuple[str, str, str], str]:
        """{(resource, row_id, field): text} for one language."""
        rows = self["translations"]
        rows = rows[rows["lang"] == lang]
        return {(r.resource, r.row_id, r.field): r.text for r in rows.itertuples()}

    def country_name(self, iso3: str, name: str) -> str:
        """A map country's name in this edition's language (`name`, the map's, in English)."""
        lang = getattr(self, "lang", "en")
        if lang == "en":
            return name
        text = self.translations(lang).get(("countries", iso3, "name"))
        if text is None:
            raise DataError(f"translations.csv has no {lang!r} name for the country {iso3}")
        return text

    def source(self, source_id: str) -> pd.Series:
        """The row of the sources table with this id."""
        return self["sources"].set_index("source_id").loc[source_id]


def dtype_for(field: dict):
    """The pandas dtype of a schema field: categorical for an enum, else its type's."""
    enum = field.get("constraints", {}).get("enum")
    if enum:
        return pd.CategoricalDtype(categories=enum)
    return field_type(field).dtype


def to_frame(resource: Resource, rows: list[dict]) -> pd.DataFrame:
    """Typed rows (as validation returns them) as a DataFrame typed from the schema."""
    frame = pd.DataFrame(index=pd.RangeIndex(len(rows)))
    for field in resource.fields:
        values = [row.get(field["name"]) for row in rows]
        frame[field["name"]] = pd.Series(values, dtype=object).astype(dtype_for(field))
    return frame


def _typed_rows(data_dir: Path, res_list: list[Resource]) -> Tables:
    """Each resource's rows typed by the schema, without the cross-table and source checks."""
    problems: list = []
    tables = {r.name: check_resource(r, data_dir, problems) for r in res_list}
    if problems:
        raise DataValidationError(problems)
    return tables


def load(data_dir: Path | str = DATA_DIR, check: bool = True) -> Dataset:
    """Validate (unless check=False) and load every resource."""
    data_dir = Path(data_dir)
    descriptor = read_descriptor(data_dir)
    res_list = resources(descriptor)
    tables = validate(data_dir) if check else _typed_rows(data_dir, res_list)
    frames = {r.name: to_frame(r, tables[r.name]) for r in res_list}
    return Dataset(frames, descriptor, data_dir)


def to_csv_text(frame: pd.DataFrame, resource: Resource) -> str:
    """Write a typed resource back to CSV text in the dataset's own format."""
    out = pd.DataFrame(index=frame.index)
    for field in resource.fields:
        write = field_type(field).write
        out[field["name"]] = [("" if pd.isna(v) else write(v)) for v in frame[field["name"]]]
    return out.to_csv(index=False, lineterminator="\n")
