"""The loader types every column from datapackage.json, and each resource round-trips."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from tunisia_report.dataset import load, to_csv_text
from tunisia_report.dataset.schema import read_descriptor, resources
from tunisia_report.exceptions import DataValidationError
from tunisia_report.paths import DATA_DIR

RESOURCES = resources(read_descriptor(DATA_DIR))


def test_types_come_from_the_schema(data):
    figures, events, places = data.figures, data.events, data.places
    assert figures["value"].dtype == "Int64"
    assert isinstance(figures["value_kind"].dtype, pd.CategoricalDtype)
    assert list(figures["value_kind"].cat.categories) == [
        "exact", "estimate", "lower_bound", "qualitative"]
    assert pd.api.types.is_datetime64_any_dtype(figures["date"])
    assert pd.api.types.is_datetime64_any_dtype(events["start_date"])
    assert places["latitude"].dtype == "Float64"
    assert pd.api.types.is_string_dtype(figures["quote"])


def test_schema_change_changes_dtype(data_copy):
    path = data_copy / "datapackage.json"
    path.write_text(path.read_text().replace('"type": "integer"', '"type": "number"'))
    assert load(data_copy)["figures"]["value"].dtype == "Float64"


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_round_trip(resource, data):
    frame = data[resource.name]
    original = (DATA_DIR / resource.path).read_text(encoding="utf-8")
    assert to_csv_text(frame, resource) == original


def test_load_refuses_invalid_data(data_copy):
    path = data_copy / "figures.csv"
    path.write_text(path.read_text().replace(",14,", ",fourteen,"))
    with pytest.raises(DataValidationError):
        load(data_copy)


def test_load_checks_quotes_whatever_the_environment_says(data_copy, monkeypatch):
    # A variable naming the dataset as validated once made every later load() skip the quote
    # and key checks (and leaked from this file into the rest of the session).
    path = data_copy / "figures.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("left fourteen soldiers dead", "left fifteen soldiers dead"),
                    encoding="utf-8")
    digest = hashlib.sha256()  # the digest the driver used to name (names and bytes)
    for file in sorted(p for p in data_copy.rglob("*") if p.is_file()):
        digest.update(file.relative_to(data_copy).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    monkeypatch.setenv("TUNISIA_REPORT_VALIDATED", json.dumps([digest.hexdigest()]))
    with pytest.raises(DataValidationError, match="quote"):
        load(data_copy)


def test_a_kept_result_is_computed_again_when_a_table_is_replaced():
    """`Dataset.kept`: one computation while the tables are the same objects and the extra
    arguments the same; another when a table is replaced or an argument changes."""
    from tunisia_report.dataset.aftermath import attack_deaths

    data = load()
    calls = []

    def count(dataset, word):
        calls.append(word)
        return len(dataset.attacks)

    assert data.kept(count, "a") == data.kept(count, "a") == len(data.attacks)
    assert calls == ["a"]
    data.kept(count, "b")
    data["attacks"] = data.attacks.head(1)
    assert data.kept(count, "b") == 1 and calls == ["a", "b", "b"]
    first = attack_deaths(data)
    first.loc[:, "total"] = -1  # a caller's change never reaches the kept table
    assert (attack_deaths(data)["total"] >= 0).all()
