"""Shared fixtures: the dataset loaded once, a writable copy of it, the repository's root, and
the two renders of the full report a test run makes.

The renders (read-only to every test; never write into them, render into `tmp_path`):
- `report_render`: the default render (every notebook; HTML, PDF and Word) with the speed-ups
  off (no kernel pool, no chart store), so that it is also the plain reference the speed-ups
  are compared with (tests/test_speedups.py).
- `editions_render`: `render --all-variants` with the speed-ups on and the run's chart store
  (`chart_store`: charts other tests' kernels drew are read back, the rest drawn and kept for
  them): one folder per variant, `report/` (English), `fr/`, `ar/`, `brief/`.
Each is made once per test run, whichever pytest-xdist worker asks first; the other waits for it
(a file lock in the run's shared temporary folder) and reads the same files. A test that must
change the inputs renders only the sections and formats it checks, into its own `tmp_path`.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tunisia_report.paths import DATA_DIR, ROOT

RENDER_TIMEOUT_S = 900


def run_folder(tmp_path_factory) -> Path:
    """The temporary folder every xdist worker of this run shares (the basetemp without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def chart_store(tmp_path_factory):
    """Every test (and every render a test starts) keeps its charts and citations in the store
    of the test run, never in the developer's .cache/store; the environment is restored after.
    The store is one for all the workers: a chart drawn or a citation formatted for the
    project's data in one (JupyterLab, papermill, a render of a few sections) is read back in
    the others. Its entries are written atomically and addressed by every input
    (`tunisia_report.store`), so a test never reads another's changes."""
    from tunisia_report import store

    with pytest.MonkeyPatch.context() as patch:
        folder = run_folder(tmp_path_factory) / "chart-store"
        folder.mkdir(exist_ok=True)
        patch.setenv(store.SWITCH, str(folder))
        yield folder


@pytest.fixture(autouse=True)
def edition_as_found():
    """Each test leaves the process's edition as it found it: a `Report(lang=...)` made in a
    test activates its language (and the charts' style for it) for the whole worker, and a
    French one in test_speedups left the reasons test_verdicts read next in French."""
    i18n = sys.modules.get("tunisia_report.text.i18n")
    before = i18n.active() if i18n is not None else "en"
    yield
    i18n = sys.modules.get("tunisia_report.text.i18n")
    if i18n is not None and i18n.active() != before:
        from tunisia_report.charts import style

        i18n.activate(before)
        style.apply()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Markers by cost, from the fixtures a test uses: `render` (it reads the session's renders
    of the full report) and `browser` (it drives Chromium). The JupyterLab tests (test_browser's
    `lab`) run in an xdist group of their own, beside, not after, the HTML report's browser
    tests: two workers, each with its own Chromium, instead of one for both.

    Then each test of an xdist group gets its `@group` suffix, which is how `--dist loadgroup`
    sends a group to one worker: pytest-xdist 3.8.0 writes it into `item._nodeid`, which pytest
    9 no longer reads (its id is `item._id`), so every group was split over the workers and
    each worker made the module's costly fixtures (JupyterLab, Chromium, renders) again."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if {"report_render", "editions_render"} & set(names):
            item.add_marker(pytest.mark.render)
        if "browser_context" in names:
            item.add_marker(pytest.mark.browser)
        if "lab" in names:
            item.add_marker(pytest.mark.xdist_group("lab"))
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        groups = {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                  for mark in item.iter_markers("xdist_group")}
        if groups and item.nodeid.rfind("@") <= item.nodeid.rfind("]"):  # not given one yet
            from _pytest.nodeid import NodeId  # pytest 9's structured id (keeps the string)

            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(sorted(groups))}")


def shared_render(tmp_path_factory, name: str, args: list[str], **environment: str) -> Path:
    """`render --output-dir <run folder>/<name> ARGS`, once per test run: the first worker to
    ask renders, under a lock; later ones find its record (the same failure, if it failed)."""
    root = run_folder(tmp_path_factory)
    out, record = root / name, root / f"{name}.json"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            env = {**os.environ, **environment}
            proc = subprocess.run([sys.executable, "-m", "tunisia_report", "render",
                                   "--output-dir", str(out), "--jobs", "2", *args], cwd=ROOT,
                                  env=env, capture_output=True, text=True,
                                  timeout=RENDER_TIMEOUT_S)
            record.write_text(json.dumps({"returncode": proc.returncode,
                                          "stderr": proc.stderr[-3000:]}))
        done = json.loads(record.read_text())
    assert done["returncode"] == 0, done["stderr"]
    return out


@pytest.fixture(scope="session")
def report_render(tmp_path_factory) -> Path:
    """The default render (every notebook; HTML, PDF, Word and downloads) with the kernel pool
    and the chart store off: the tests that read the English report read this one."""
    return shared_render(tmp_path_factory, "report", [], TUNISIA_KERNEL_POOL="off",
                         TUNISIA_CHART_STORE="off")


@pytest.fixture(scope="session")
def editions_render(tmp_path_factory) -> Path:
    """Every variant (`--all-variants`: report/, fr/, ar/, brief/) in one render, with the
    kernel pool and the run's chart store (`chart_store`), which other processes of the run
    (JupyterLab, papermill, renders of the project's data) fill too: the charts of each
    edition are drawn once per test run."""
    return shared_render(tmp_path_factory, "editions", ["--all-variants"],
                         TUNISIA_KERNEL_POOL="on")


@pytest.fixture(scope="session")
def data():
    """The project's dataset, validated and loaded once for the whole session (do not mutate)."""
    from tunisia_report.dataset import load

    return load()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A full copy of data/ in a temporary directory, safe to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def repo_root() -> Path:
    return ROOT
