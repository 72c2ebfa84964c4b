"""Shared fixtures: the dataset loaded once, a writable copy of it, the repository's root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tunisia_report.paths import DATA_DIR, ROOT


@pytest.fixture(scope="session", autouse=True)
def chart_store(tmp_path_factory):
    """Every test (and every render a test starts) draws into a chart store of the session's
    own, never into the developer's .cache/charts; the environment is restored after."""
    from tunisia_report.charts import store

    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("chart-store")
        patch.setenv(store.SWITCH, str(folder))
        yield folder


@pytest.fixture(scope="session")
def report_render(tmp_path_factory) -> Path:
    """The default render (every notebook, HTML and PDF) into a folder of its own, once per
    session: the tests that read the English report read this one (do not change its files)."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("reports")
    proc = subprocess.run([sys.executable, "-m", "tunisia_report", "render", "--output-dir",
                           str(out), "--jobs", "2"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


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
