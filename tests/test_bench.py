"""`make bench` writes its table into the README between markers (no table copied by hand)."""

from __future__ import annotations

import importlib.util
import sys

from tunisia_report.paths import ROOT


def load_bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_the_table_goes_between_the_readme_markers(tmp_path):
    bench = load_bench()
    rows = [bench.Row("3", "no-op render", [0.07, 0.08], [0.01, 0.01], "`python -c pass`",
                      "median < 1 s", True, "")]
    info = {"platform": "Linux-test", "cpu_count": 2, "python": "3.11.7"}
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{bench.README_START}\nold table\n{bench.README_END}\noutro\n")
    bench.update_readme(bench.markdown_table(rows, info, 3, 42.0), readme)
    text = readme.read_text()
    assert "old table" not in text and text.startswith("intro\n") and text.endswith("\noutro\n")
    row = ("| 3 no-op render | 70/75 ms | `python -c pass`: 10/10 ms | 7.50 | - | median < 1 s "
           "| yes |")
    assert row in text
    assert "Linux-test, 2 CPUs, Python 3.11.7; 3 repetition(s) of each render, 42 s in all" in text


def test_render_rows_state_their_ratio_to_the_floor_and_scale_rows_their_peak_memory():
    bench = load_bench()
    row = bench.Row("1", "render", [14.0, 14.3], [24.7, 24.8], "papermill", "ratio <= 0.6",
                    True, floor=[10.0, 10.2])
    assert bench.cells(row)[3:5] == ["0.57", "1.40"]
    scale = bench.Row("6b", "x100", [39.6], [14.3], "row 1", "ratio <= 100", True, peak_mb=769.4)
    assert bench.cells(scale)[1] == "39.60/39.60 s, peak 769 MB"


def test_the_readme_has_the_markers():
    bench = load_bench()
    text = bench.README.read_text(encoding="utf-8")
    assert text.count(bench.README_START) == 1 and text.count(bench.README_END) == 1


def test_the_edit_row_restores_the_notebook_it_edits_even_when_a_render_fails(tmp_path,
                                                                             monkeypatch):
    bench = load_bench()
    notebook = tmp_path / "report.ipynb"
    original = (ROOT / "notebooks" / "report.ipynb").read_bytes()
    notebook.write_bytes(original)
    monkeypatch.setattr(bench, "EDITED_NOTEBOOK", notebook)
    seen = []

    def run(argv):
        seen.append(notebook.read_bytes())
        if len(seen) == 3:
            raise bench.CommandFailed("render failed")
        return bench.subprocess.CompletedProcess(argv, 0, "report: 4 of 5 notebooks up to date; "
                                                 "running report.ipynb\n", "")

    monkeypatch.setattr(bench, "run", run)
    try:
        bench.edit_row(tmp_path, 3)
    except bench.CommandFailed:
        pass
    else:
        raise AssertionError("the failing render was not reported")
    assert seen[0] == original and original != seen[1] != seen[2] != original  # each rep edits
    assert b"An edited sentence (1)." in seen[1]
    assert notebook.read_bytes() == original
