"""Shared fixtures: a writable copy of the dataset and the repository's paths."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tunisia_report.paths import DATA_DIR, ROOT

PYTHON = sys.executable


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A full copy of data/ in a temporary directory, safe to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def repo_root() -> Path:
    return ROOT
