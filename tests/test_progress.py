"""Progress in its three modes: a live line on a terminal, plain lines when piped, nothing but
errors with --quiet; the summary names every file written, index.html included."""

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
PASSES = str(ROOT / "tests/fixtures/render/passes.ipynb")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def run_steps(reporter: Reporter, clock: Clock) -> None:
    progress = reporter.task(2, 5, TASK)
    reporter.start(2, 5, TASK)
    progress(6, 12)
    clock.now += 3.25
    progress(7, 12)
    progress.end("run")
    progress.begin("pdf")
    clock.now += 2
    progress.end("pdf")
    reporter.finish()


def test_terminal_line_names_step_cell_and_elapsed():
    stream, clock = io.StringIO(), Clock()
    run_steps(Reporter(stream, mode="live", clock=clock), clock)
    out = stream.getvalue()
    assert "report: report.ipynb: starting the kernel, 0.0 s" in out
    assert "report: report.ipynb: cell 7/12, 0.0 s" in out
    assert "report: report.ipynb: cell 8/12, 3.2 s" in out  # redrawn in place
    assert "\r\033[K" in out
    assert "[1/5 done] report: report.ipynb: 12 cells in 3.2 s\n" in out
    assert "report: report.ipynb: PDF: writing, 0.0 s" in out
    assert "report: report.ipynb: PDF: written in 2.0 s\n" in out


def test_plain_lines_when_not_a_terminal():
    stream, clock = io.StringIO(), Clock()
    run_steps(Reporter(stream, clock=clock), clock)  # StringIO is not a terminal
    assert stream.getvalue() == ("[1/5 done] report: report.ipynb: 12 cells in 3.2 s\n"
                                 "report: report.ipynb: PDF: written in 2.0 s\n")


def test_quiet_prints_nothing(capsys):
    stream, clock = io.StringIO(), Clock()
    reporter = Reporter(stream, mode="quiet", clock=clock)
    run_steps(reporter, clock)
    reporter.say("report: wrote everything")
    assert stream.getvalue() == "" and capsys.readouterr().out == ""


def render(tmp_path, *args):
    return subprocess.run([PYTHON, "-m", "tunisia_report", "render", "--formats", "html",
                           "--output-dir", str(tmp_path), "--notebook", PASSES, *args],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_piped_render_prints_a_line_per_step_and_lists_index(tmp_path):
    proc = render(tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("[1/1 done] report: passes.ipynb: 6 cells in ")
    assert lines[1].startswith("report: passes.ipynb: HTML: written in ")
    assert "\r" not in proc.stderr and len(lines) == 2
    wrote = proc.stdout.strip()
    for name in ("passes.ipynb", "passes.html", "index.html"):
        assert str(tmp_path / name) in wrote


@pytest.mark.slow
def test_quiet_render_prints_nothing_but_errors(tmp_path):
    proc = render(tmp_path, "--quiet")
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""
    bad = render(tmp_path, "--quiet", "--force", "-p", "nonexistent", "1")
    assert bad.returncode == 2 and bad.stderr.startswith("error: ") and bad.stdout == ""


@pytest.mark.slow
def test_progress_on_a_real_terminal(tmp_path):
    """Run the CLI with its stderr on a pseudo-terminal and read what it drew."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [PYTHON, "-m", "tunisia_report", "render", "--formats", "html", "--output-dir",
         str(tmp_path), "--notebook", PASSES],
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
    assert "[0/1 done] report: passes.ipynb: cell " in drawn and "\r\x1b[K" in drawn
    assert "report: passes.ipynb: HTML: written in " in drawn
