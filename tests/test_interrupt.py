"""A render stopped by SIGINT, SIGTERM or SIGKILL leaves no process and no staging folder behind,
and the previous report untouched: real renders, real kernels, real signals."""

from __future__ import annotations

import signal
import subprocess
import time

import psutil
import pytest

from tests.helpers import PYTHON
from tests.test_render import digests, fixture, render
from tunisia_report.paths import ROOT

pytestmark = pytest.mark.slow


def start(out, jobs: str) -> subprocess.Popen:
    """A render of a notebook that sleeps, beside a quick one; returns once a kernel runs."""
    proc = subprocess.Popen(
        [PYTHON, "-m", "tunisia_report", "render", "--formats", "", "--force", "--jobs", jobs,
         "--notebook", fixture("passes"), "--notebook", fixture("slow"), "--output-dir", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
    assert render("--notebook", fixture("passes"), "--output-dir", str(tmp_path)).returncode == 0
    before = digests(tmp_path)
    proc = start(tmp_path, jobs)
    started = descendants(proc.pid)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert err == "render interrupted; previous report kept\n"
    assert "Traceback" not in out + err
    assert survivors(started) == []
    assert digests(tmp_path) == before
    assert not list(tmp_path.glob(".staging-*"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_killed_render_ends_its_processes_and_the_next_render_clears_its_staging(tmp_path, jobs):
    proc = start(tmp_path, jobs)
    started = descendants(proc.pid)
    proc.kill()
    proc.communicate(timeout=60)
    assert [p.cmdline()[-1][:60] for p in survivors(started)] == []
    assert list(tmp_path.glob(".staging-*"))  # nobody was left to remove it
    nothing_to_do = render("--notebook", fixture("no_parameters"), "--output-dir", str(tmp_path))
    assert nothing_to_do.returncode == 0, nothing_to_do.stderr
    assert not list(tmp_path.glob(".staging-*"))
