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
    row = "| 3 no-op render | 70/75 ms | `python -c pass`: 10/10 ms | 7.50 | median < 1 s | yes |"
    assert row in text
    assert "Linux-test, 2 CPUs, Python 3.11.7; 3 repetition(s) of each render, 42 s in all" in text


def test_the_readme_has_the_markers():
    bench = load_bench()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count(bench.README_START) == 1 and text.count(bench.README_END) == 1
