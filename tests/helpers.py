"""Helpers the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

PYTHON = sys.executable


def set_cell(data_dir: Path, table: str, key: str, field: str, value: str) -> None:
    """Change one cell of data_dir/<table>.csv, in the row whose first column is key."""
    path = data_dir / f"{table}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index(field)
    hits = [row for row in rows[1:] if row[0] == key]
    assert len(hits) == 1, key
    hits[0][column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def figure_texts(fig) -> list[str]:
    """Every text drawn in the figure, newlines read as spaces."""
    return [t.get_text().replace("\n", " ") for t in fig.findobj(lambda a: hasattr(a, "get_text"))
            if t.get_text()]


def stop_process(proc, timeout: float = 30) -> None:
    """Terminate a server the test started; kill it if it does not end within `timeout`."""
    import subprocess

    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
