"""Every notebook is committed without outputs and runs under plain papermill with a real kernel."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.conftest import PYTHON
from tunisia_report.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_a_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, path.name


@pytest.mark.slow
def test_dataset_notebook_runs_under_plain_papermill(tmp_path: Path):
    """`papermill` from the command line, from another directory, with its defaults."""
    out = tmp_path / "out.ipynb"
    papermill = Path(PYTHON).parent / "papermill"
    proc = subprocess.run([str(papermill), str(NOTEBOOKS_DIR / "00_dataset.ipynb"), str(out)],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(o.get("data", {}).get("text/markdown", "")
                     for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "Every row's quote was found verbatim" in text


@pytest.mark.slow
def test_dataset_notebook_refuses_invalid_data(tmp_path: Path, data_copy: Path):
    figures = data_copy / "figures.csv"
    figures.write_text(figures.read_text().replace(",14,", ",fourteen,"))
    papermill = Path(PYTHON).parent / "papermill"
    proc = subprocess.run([str(papermill), str(NOTEBOOKS_DIR / "00_dataset.ipynb"),
                           str(tmp_path / "out.ipynb"), "-p", "data_dir", str(data_copy)],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "expected a whole number, got 'fourteen'" in proc.stderr + proc.stdout
