"""Progress shows notebook, cell and batch position on a terminal, and nothing otherwise."""

from __future__ import annotations

import io
import os
import pty
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.helpers import PYTHON
from tunisia_report.paths import ROOT
from tunisia_report.render.progress import Reporter

TASK = SimpleNamespace(job="report", source=Path("report.ipynb"))


def test_terminal_line_names_notebook_cell_and_batch():
    stream = io.StringIO()
    reporter = Reporter(stream, enabled=True)
    reporter.start(2, 5, TASK)
    reporter.cell_callback(2, 5, TASK)(6, 12)
    out = stream.getvalue()
    assert "[2/5] report: report.ipynb: starting the kernel" in out
    assert "[2/5] report: report.ipynb: cell 7/12" in out


def test_quiet_when_not_a_terminal():
    stream = io.StringIO()
    reporter = Reporter(stream)  # StringIO is not a terminal
    reporter.start(1, 1, TASK)
    reporter.cell_callback(1, 1, TASK)(0, 3)
    assert stream.getvalue() == ""


@pytest.mark.slow
def test_progress_on_a_real_terminal(tmp_path):
    """Run the CLI with its stderr on a pseudo-terminal and read what it drew."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [PYTHON, "-m", "tunisia_report", "render", "--formats", "", "--output-dir",
         str(tmp_path), "--notebook", str(ROOT / "tests/fixtures/render/passes.ipynb")],
        stderr=follower, stdout=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(timeout=300) == 0
    drawn = b"".join(chunks).decode()
    assert "[1/1] report: passes.ipynb: cell" in drawn
