"""Draw the report's charts ahead, in a worker the analysis notebooks have left idle.

With two workers or more, the report's kernel runs its cells in order while another worker runs
the short analysis notebooks and then waits. That worker then draws the report's charts into
the chart store, the last first, until the report's task has ended: the two meet in the
middle, and no chart is drawn twice (`store.computing`). The charts are those the
notebook's code calls with literal arguments (`chart_calls`), so the notebook stays the one
place that says which chart a section shows.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
from pathlib import Path

from tunisia_report.parameters import notebook_parameters, read_notebook


def chart_calls(notebook: Path) -> list[tuple[str | None, str, dict]]:
    """Each `rep.chart("KEY", name=literal, ...)` of the notebook's code cells, in order, as
    (the section of the `if rep.section("S"):` it is under, or None; KEY; the options). A call
    with an argument that is not a literal (a loop's variable) is left out."""
    calls = []

    def visit(node, section):
        if (isinstance(node, ast.If) and isinstance(node.test, ast.Call)
                and isinstance(node.test.func, ast.Attribute)
                and node.test.func.attr == "section" and len(node.test.args) == 1
                and isinstance(node.test.args[0], ast.Constant)):
            section = node.test.args[0].value
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "chart" and len(node.args) == 1):
            with contextlib.suppress(ValueError, TypeError, SyntaxError):
                calls.append((section, ast.literal_eval(node.args[0]),
                              {k.arg: ast.literal_eval(k.value) for k in node.keywords}))
        for child in ast.iter_child_nodes(node):
            visit(child, section)

    for cell in read_notebook(notebook).get("cells", []):
        if cell.get("cell_type") == "code":
            try:
                visit(ast.parse("".join(cell.get("source", ""))), None)
            except SyntaxError:
                continue
    return calls


def draw_ahead(notebook: Path, parameters: dict, until: Path) -> int:
    """Draw the notebook's charts (`chart_calls`, of its `sections`) into the chart store, the
    last first, until the file `until` exists (the render makes it when the notebook's task
    has ended); return how many were drawn or found. A chart this data cannot show is
    skipped: the notebook says why."""
    from tunisia_report import store
    from tunisia_report.exceptions import DataError
    from tunisia_report.report import Report

    if not store.enabled():
        return 0
    calls = chart_calls(notebook)
    if not calls or until.exists():
        return 0
    values = {p.name: p.default for p in notebook_parameters(notebook)}  # as the kernel sees
    values.update(parameters)  # them: its cell's defaults, then what papermill injects
    accepted = set(inspect.signature(Report).parameters) - {"figures_dir"}
    rep = Report(**{k: v for k, v in values.items() if k in accepted})
    done = 0
    for section, key, options in reversed(calls):
        if until.exists():
            break
        if section is not None and section not in rep.sections:
            continue
        try:
            rep.drawn(key, **options)
        except DataError:
            continue
        done += 1
    return done


def in_worker(notebook: Path, parameters: dict, until: Path) -> None:
    """`draw_ahead` in a worker of the render: it only saves time, so a failure here leaves
    the kernel to draw what is missing."""
    with contextlib.suppress(Exception):
        draw_ahead(notebook, parameters, until)
