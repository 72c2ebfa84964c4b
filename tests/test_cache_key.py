"""A render record that cannot lie: every option that changes an output (or decides whether
there is one) is in the cache key, and every figure file has exactly one notebook that writes it.

Small fixture notebooks, real kernels: each render takes a few seconds.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.helpers import PYTHON
from tunisia_report.paths import ROOT

PASSES = ROOT / "tests" / "fixtures" / "render" / "passes.ipynb"
pytestmark = pytest.mark.slow


def render(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "tunisia_report", "render", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def digests(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file() and ".render.json" not in p.name}


def french_fixture(folder: Path) -> Path:
    """`passes` as a French edition: its Markdown paragraph has no French translation, so a
    lenient render shows it in English and a strict one fails."""
    nb = nbformat.read(PASSES, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source += '\nlang: str = "fr"  # the edition (one of: en, fr, ar)'
    path = folder / "edition.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_strict_render_after_a_lenient_one_runs_the_strict_check(tmp_path):
    notebook = french_fixture(tmp_path)
    args = ["--notebook", str(notebook), "--output-dir", str(tmp_path / "out"),
            "--formats", "html"]
    lenient = render(*args)
    assert lenient.returncode == 0, lenient.stderr
    assert "not yet translated" in lenient.stderr
    strict = render(*args, "--strict")
    assert "up to date" not in strict.stdout
    assert strict.returncode == 1 and "no translation" in strict.stderr, strict.stderr


# Every render option but those that choose what to render (--notebook, --variant,
# --all-variants, --variants-dir: the key holds the variant, its notebooks and parameters) or
# print instead of rendering (--help-notebook, --list-variants). Each is run twice after a
# render without it; the second run must re-render or hold exactly what a forced render gives.
OPTIONS = {
    "strict": ["--strict"],
    "formats": ["--formats", "html"],
    "no-formats": ["--formats", ""],
    "parameter": ["-p", "greeting", "salut"],
    "params-file": ["--params", "{tmp}/p.yaml"],
    "jobs": ["--jobs", "2"],
    "quiet": ["--quiet"],
    "timeout": ["--execution-timeout", "120"],
    "force": ["--force"],
}


@pytest.fixture(scope="module")
def rendered_without_options(tmp_path_factory):
    """`passes` rendered once without any option, and a copy of that folder: each option's
    test puts the copy back at the same path (a render's record holds its output folder) and
    starts from it, as from a render of its own."""
    root = tmp_path_factory.mktemp("without-options")
    out, kept = root / "out", root / "kept"
    base = ["--notebook", str(PASSES), "--output-dir", str(out), "--formats", "html,docx"]
    done = render(*base)
    assert done.returncode == 0, done.stderr
    shutil.copytree(out, kept, symlinks=True)
    return out, kept, base


@pytest.mark.xdist_group("cache-key")  # one worker: they take turns in one output folder
@pytest.mark.parametrize("option", sorted(OPTIONS))
def test_each_option_twice_gives_what_a_forced_render_gives(rendered_without_options, tmp_path,
                                                            option):
    (tmp_path / "p.yaml").write_text("count: 3\n")
    given = [a.format(tmp=tmp_path) for a in OPTIONS[option]]
    out, kept, base = rendered_without_options
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(kept, out, symlinks=True)  # the render without the option, as it left it
    assert "up to date" in render(*base).stdout
    assert render(*base, *given).returncode == 0
    second = render(*base, *given)
    assert second.returncode == 0, second.stderr
    after = digests(out)
    forced = render(*base, *given, "--force")
    assert forced.returncode == 0, forced.stderr
    assert digests(out) == after  # up to date or rendered again, the same bytes


# --- one notebook per figure file ----------------------------------------------------------

def copy_fixture(folder: Path, name: str, greeting: str) -> Path:
    """`passes` under another name, writing `greeting` into figures_dir/greeting.txt (the same
    file for every copy)."""
    nb = nbformat.read(PASSES, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = params.source.replace('"hello"', f'"{greeting}"')
    path = folder / name
    nbformat.write(nb, path)
    return path


def test_a_figure_two_notebooks_write_is_the_reports_and_settles(tmp_path):
    """The report notebook and an analysis notebook both write greeting.txt, with different
    bytes: the report's copy is published and recorded, whichever of them ran, and a second run
    after an edit to the analysis notebook is up to date (it used to flip on every run)."""
    analysis = copy_fixture(tmp_path, "01_analysis.ipynb", "from-analysis")
    report = copy_fixture(tmp_path, "report.ipynb", "from-report")
    out = tmp_path / "out"
    args = ["--notebook", str(analysis), "--notebook", str(report), "--output-dir", str(out),
            "--formats", ""]
    figure = out / "figures" / "greeting.txt"
    assert render(*args).returncode == 0
    assert figure.read_text() == "from-report"
    record = json.loads((out / ".render.json").read_text())["notebooks"]
    owners = [name for name, entry in record.items() if str(figure) in entry["outputs"]]
    assert owners == ["report.ipynb"]
    # An edit to the analysis notebook runs it again; its copy of the figure is not published.
    copy_fixture(tmp_path, "01_analysis.ipynb", "from-analysis, edited")
    edited = render(*args)
    assert edited.returncode == 0 and "running 01_analysis.ipynb" in edited.stdout
    assert figure.read_text() == "from-report"
    settled = render(*args)
    assert "up to date, nothing to do" in settled.stdout, settled.stdout
    assert figure.read_text() == "from-report"


def test_two_analysis_notebooks_writing_one_figure_is_an_error_naming_both(tmp_path):
    first = copy_fixture(tmp_path, "01_a.ipynb", "a")
    second = copy_fixture(tmp_path, "02_b.ipynb", "b")
    out = tmp_path / "out"
    proc = render("--notebook", str(first), "--notebook", str(second), "--output-dir", str(out),
                  "--formats", "")
    assert proc.returncode == 1
    assert "greeting.txt" in proc.stderr and "01_a.ipynb" in proc.stderr
    assert "02_b.ipynb" in proc.stderr and "Traceback" not in proc.stderr
    assert not (out / "figures").exists()  # nothing published


def test_the_reports_figures_have_one_writer_each(report_render):
    """The full render: no figure file is recorded as the output of two notebooks, and every
    chart the report shows is the report's."""
    record = json.loads((report_render / ".render.json").read_text())["notebooks"]
    writers: dict[str, list[str]] = {}
    for name, entry in record.items():
        for path in entry["outputs"]:
            writers.setdefault(path, []).append(name)
    assert all(len(names) == 1 for names in writers.values()), {
        p: n for p, n in writers.items() if len(n) > 1}
    figures = [p for p in writers if "/figures/" in p and p.endswith(".png")]
    assert any(p.endswith("key-figures.png") and writers[p] == ["report.ipynb"]
               for p in figures)

