"""Parameters are checked against each notebook's `parameters` cell before any kernel starts."""

from __future__ import annotations

import pytest

from tunisia_report.exceptions import ParameterError
from tunisia_report.parameters import (
    check_parameters,
    declared_parameters,
    describe_notebook,
    read_notebook,
)
from tunisia_report.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "render"


@pytest.fixture(scope="module")
def declared():
    return {"passes.ipynb": declared_parameters(read_notebook(FIXTURES / "passes.ipynb"))}


def test_reads_names_types_defaults_and_help(declared):
    params = {p.name: p for p in declared["passes.ipynb"]}
    assert list(params) == ["greeting", "count", "when", "mode", "tags", "fail", "figures_dir"]
    assert params["count"].type_name == "int" and params["count"].default == 2
    assert params["count"].bounds == (1.0, 5.0)
    assert params["mode"].choices == ["a", "b"]
    assert params["when"].is_date
    assert params["tags"].type_name == "list[str]"
    assert "how many times" in params["count"].help


def test_no_parameters_cell_declares_nothing():
    assert declared_parameters(read_notebook(FIXTURES / "no_parameters.ipynb")) == []


@pytest.mark.parametrize(
    ("given", "cli", "expected"),
    [
        ({"greeting": "hi"}, set(), {"greeting": "hi"}),
        ({"count": "3"}, {"count"}, {"count": 3}),
        ({"fail": "true"}, {"fail"}, {"fail": True}),
        ({"tags": "[x, z]"}, {"tags"}, {"tags": ["x", "z"]}),
        ({"greeting": "2014"}, {"greeting"}, {"greeting": "2014"}),
    ],
)
def test_accepts_and_coerces(declared, given, cli, expected):
    assert check_parameters(given, declared, cli)["passes.ipynb"] == expected


@pytest.mark.parametrize(
    ("given", "cli", "words"),
    [
        ({"greting": "hi"}, set(), "no notebook declares"),
        ({"count": "many"}, {"count"}, "expected int"),
        ({"count": 2.5}, set(), "expected int"),
        ({"count": 9}, set(), "between 1 and 5"),
        ({"when": "2014-02-30"}, set(), "an ISO date string YYYY-MM-DD"),
        ({"mode": "c"}, set(), "with values from: a, b"),
        ({"tags": ["x", "w"]}, set(), "got 'w'"),
        ({"fail": "maybe"}, {"fail"}, "expected bool"),
        ({"greeting": 5}, set(), "expected str"),
    ],
)
def test_rejects_with_a_clear_message(declared, given, cli, words):
    with pytest.raises(ParameterError) as info:
        check_parameters(given, declared, cli)
    message = str(info.value)
    assert words in message
    assert list(given)[0] in message
    assert "passes.ipynb" in message


def test_unknown_name_lists_accepted_names(declared):
    with pytest.raises(ParameterError) as info:
        check_parameters({"greting": "hi"}, declared)
    assert info.value.accepted[:2] == ["count", "fail"]
    assert "(did you mean 'greeting'?)" in str(info.value)
    assert "accepted names: count, fail, figures_dir, greeting" in str(info.value)


def test_help_listing(declared):
    text = describe_notebook("passes.ipynb", declared["passes.ipynb"])
    assert "count: int (default 2)" in text
    assert "(range: 1 to 5)" in text
