"""No valid dataset crashes a render: generated datasets with zero, one and many rows per table
either render (a sentence standing in for what cannot be drawn) or are rejected by validation."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from tests.helpers import PYTHON
from tunisia_report.dataset.validate import collect_problems
from tunisia_report.paths import DATA_DIR, NOTEBOOKS_DIR

pytestmark = pytest.mark.slow


def rows_of(data: Path, table: str) -> tuple[list[str], list[list[str]]]:
    with (data / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write(data: Path, table: str, header: list[str], rows: list[list[str]]) -> None:
    with (data / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def keep(table: str, count: int):
    """Keep the first `count` rows of a table."""
    def edit(data: Path):
        header, rows = rows_of(data, table)
        write(data, table, header, rows[:count])
    return edit


def repeat(table: str, times: int):
    """Every row `times` times, each copy with its own id (the first column)."""
    def edit(data: Path):
        header, rows = rows_of(data, table)
        copies = [[f"{row[0]}-{n}", *row[1:]] for n in range(times) for row in rows]
        write(data, table, header, copies)
    return edit


DATASETS = {
    "no-figures": keep("figures", 0),
    "one-figure": keep("figures", 1),
    "many-figures": repeat("figures", 20),
    "no-measures": keep("measures", 0),
    "one-event": keep("events", 1),
}


@pytest.mark.parametrize("case", sorted(DATASETS))
def test_generated_dataset_renders_or_is_rejected(tmp_path, case):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    DATASETS[case](data)
    valid = not collect_problems(data)
    proc = subprocess.run(
        [PYTHON, "-m", "tunisia_report", "render", "--notebook",
         str(NOTEBOOKS_DIR / "report.ipynb"), "--output-dir", str(tmp_path / "out"),
         "-p", "data_dir", str(data)], capture_output=True, text=True, timeout=900)
    assert "Traceback" not in proc.stderr
    if not valid:
        assert proc.returncode == 1 and "nothing was rendered" in proc.stderr, proc.stderr
        return
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "out/report.pdf").pages)
    html = (tmp_path / "out/report.html").read_text(encoding="utf-8")
    if case == "no-figures":
        assert "is left out: no figures with a number in figures.csv" in " ".join(text.split())
        assert "is left out" in html
    if case == "many-figures":
        assert re.search(r"The first 12 are shown, and \d+ more are in the appendix\.", html)
