"""A render stopped by SIGINT, SIGTERM or SIGKILL leaves no process and no staging folder behind,
and the previous report untouched: real renders, real kernels, real signals."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from tests.helpers import PYTHON
from tests.test_render import digests, fixture, render
from tunisia_report.paths import ROOT

pytestmark = pytest.mark.slow


def temporary_folder(tmp_path) -> dict[str, str]:
    """An environment whose temporary folder (kernel connection files, PDF scratch) is watched."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return {**os.environ, "TMPDIR": str(folder)}


def leftovers(env: dict[str, str]) -> list[str]:
    return sorted(p.name for p in Path(env["TMPDIR"]).iterdir())


def start(out, jobs: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """A render of a notebook that sleeps, beside a quick one; returns once a kernel runs."""
    proc = subprocess.Popen(
        [PYTHON, "-m", "tunisia_report", "render", "--formats", "", "--force", "--jobs", jobs,
         "--notebook", fixture("passes"), "--notebook", fixture("slow"), "--output-dir", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any("ipykernel" in " ".join(p.cmdline()) for p in descendants(proc.pid)):
            time.sleep(1.5)  # the kernel is executing
            return proc
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("no kernel started within 120 s")


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def survivors(processes: list[psutil.Process], within: float = 6.0) -> list[psutil.Process]:
    """Those still running after `within` seconds (a kernel polls its parent every second)."""
    deadline = time.monotonic() + within
    alive = processes
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        time.sleep(0.2)
    return alive


@pytest.mark.parametrize(("sig", "jobs", "code"), [
    (signal.SIGINT, "1", 130), (signal.SIGINT, "2", 130),
    (signal.SIGTERM, "1", 143), (signal.SIGTERM, "2", 143),
])
def test_signal_ends_every_process_and_keeps_the_previous_report(tmp_path, sig, jobs, code):
    out, env = tmp_path / "out", temporary_folder(tmp_path)
    assert render("--notebook", fixture("passes"), "--output-dir", str(out)).returncode == 0
    before = digests(out)
    proc = start(out, jobs, env)
    started = descendants(proc.pid)
    proc.send_signal(sig)
    stdout, err = proc.communicate(timeout=60)
    assert proc.returncode == code
    *progress, last = err.splitlines()  # a notebook may have finished before the signal
    assert last == "render interrupted; previous report kept"
    assert all(re.match(r"\[\d+/\d+ done\] ", line) for line in progress), err
    assert "Traceback" not in stdout + err
    assert survivors(started) == []
    assert digests(out) == before
    assert not list(out.glob(".staging-*"))
    assert leftovers(env) == []  # no kernel connection file (tmp*.json), socket or scratch


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_killed_render_ends_its_processes_and_the_next_render_clears_its_staging(tmp_path, jobs):
    out, env = tmp_path / "out", temporary_folder(tmp_path)
    proc = start(out, jobs, env)
    started = descendants(proc.pid)
    proc.kill()
    proc.communicate(timeout=60)
    assert [p.cmdline()[-1][:60] for p in survivors(started)] == []
    assert list(out.glob(".staging-*"))  # nobody was left to remove them
    assert [n for n in leftovers(env) if n.startswith("tunisia-report-run-")]
    next_render = subprocess.run(
        [PYTHON, "-m", "tunisia_report", "render", "--formats", "", "--notebook",
         fixture("no_parameters"), "--output-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert next_render.returncode == 0, next_render.stderr
    assert not list(out.glob(".staging-*"))
    assert leftovers(env) == []
