"""Shared fixtures: the dataset loaded once, a writable copy of it, the repository's root."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tunisia_report.paths import DATA_DIR, ROOT


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
