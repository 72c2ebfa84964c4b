"""Every notebook is committed without outputs and runs under plain papermill with a real kernel."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.helpers import PYTHON
from tunisia_report.paths import NOTEBOOKS_DIR, ROOT

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


def test_git_strips_outputs_from_tracked_notebooks():
    """`make` installs nbstripout as git's filter for notebooks/*.ipynb: a notebook saved after
    Run All (outputs, counts, the kernel's language_info, the Markdown cells' evaluated
    expressions) goes in as the clean file."""
    path = NOTEBOOKS_DIR / "01_casualties.ipynb"
    rel = path.relative_to(ROOT).as_posix()

    def git(*args, **kw):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, check=False, **kw)

    if git("rev-parse", "HEAD").returncode != 0:
        pytest.skip("not a git checkout")
    assert git("check-attr", "filter", "--", rel).stdout.decode().strip().endswith("nbstripout")
    assert git("config", "filter.nbstripout.clean").stdout.strip(), "run make to install it"
    ran = nbformat.read(path, as_version=4)
    for number, cell in enumerate(c for c in ran.cells if c.cell_type == "code"):
        cell.execution_count = number + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="output\n")]
    ran.metadata.language_info.update(version="3.11.7", mimetype="text/x-python")
    for cell in (c for c in ran.cells if c.cell_type == "markdown"):  # jupyterlab-myst's values
        cell.metadata["user_expressions"] = [{"expression": "ref('total')", "result": {}}]
    stripped = git("hash-object", "--stdin", "--path", rel, input=nbformat.writes(ran).encode())
    assert stripped.returncode == 0, stripped.stderr
    assert stripped.stdout == git("hash-object", "--no-filters", rel).stdout


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_a_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, path.name


def run_papermill(notebook: Path, out: Path, *args: str, cwd: Path) -> nbformat.NotebookNode:
    papermill = Path(PYTHON).parent / "papermill"
    proc = subprocess.run([str(papermill), str(notebook), str(out), *args],
                          cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return nbformat.read(out, as_version=4)


def output_text(nb, mime: str = "text/markdown") -> str:
    return "\n".join(o.get("data", {}).get(mime, "") for c in nb.cells
                     if c.cell_type == "code" for o in c.outputs)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_under_plain_papermill_with_defaults(path, tmp_path: Path):
    """`papermill` from the command line, from another directory, with its defaults."""
    figures = tmp_path / "figures"
    args = ["-p", "figures_dir", str(figures)] if path.name != "00_dataset.ipynb" else []
    nb = run_papermill(path, tmp_path / "out.ipynb", *args, cwd=tmp_path)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    assert "Chart(" not in output_text(nb, "text/plain"), "a chart shows as its fields"
    if path.name == "00_dataset.ipynb":
        assert "Every row's quote was found verbatim" in output_text(nb)
    else:
        assert sorted(figures.glob("*.png")), "charts are saved"
        assert "image/svg+xml" in output_text(nb, "image/svg+xml") or any(
            "image/svg+xml" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.slow
def test_report_with_other_parameters(tmp_path: Path):
    nb = run_papermill(NOTEBOOKS_DIR / "report.ipynb", tmp_path / "out.ipynb",
                       "-p", "figures_dir", str(tmp_path / "figures"),
                       "-y", "sections: [casualties, map, method]", cwd=tmp_path)
    from tunisia_report.export import notebook_to_html

    page = notebook_to_html(nb)  # the section headings are cells: the export keeps the chosen
    assert ">Casualties and political violence<" in page
    assert ">Data and method<" in page
    assert "Summary of findings" not in page and ">Timeline<" not in page
    assert "summary of findings" not in output_text(nb).lower()
    # the casualties section is words (its two numbers and their sum need no chart)
    assert [p.name for p in sorted((tmp_path / "figures").glob("*.png"))] == [
        "locator-map.png"]


@pytest.mark.slow
def test_timeline_notebook_period(tmp_path: Path, data):
    nb = run_papermill(NOTEBOOKS_DIR / "03_timeline_map.ipynb", tmp_path / "out.ipynb",
                       "-p", "figures_dir", str(tmp_path / "figures"),
                       "-p", "period_start", "2014-01-01", cwd=tmp_path)
    alt = output_text(nb, "text/plain")
    events = data.events
    kept = int((events["end_date"] >= "2014-01-01").sum())
    assert kept < len(events)
    assert f"Timeline of the {kept} events the article dates, January 2014" in alt


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
