"""The loader types every column from datapackage.json, and each resource round-trips."""

from __future__ import annotations

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


def test_a_dataset_the_driver_validated_is_not_validated_again(data_copy, monkeypatch):
    from tunisia_report.dataset import tables
    from tunisia_report.dataset import validate as validation

    monkeypatch.delenv(validation.VALIDATED_ENV, raising=False)
    validation.mark_validated(data_copy)
    calls = []
    monkeypatch.setattr(tables, "validate", lambda d: calls.append(d))
    assert len(load(data_copy).figures) == 10 and calls == []
    path = data_copy / "figures.csv"  # any change makes it another dataset: checked in full
    path.write_text(path.read_text().replace(",14,", ",15,"))
    with pytest.raises(TypeError):  # the stub returns None: proves validate() ran
        load(data_copy)
    assert calls == [data_copy]
