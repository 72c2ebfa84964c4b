"""Usage errors end the render with exit 2 and one line, before any kernel starts.

These run the real command, but it stops before a kernel: they belong to `make test-fast`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.helpers import PYTHON
from tunisia_report.paths import DATA_DIR, NOTEBOOKS_DIR, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "render"
REPORT = NOTEBOOKS_DIR / "report.ipynb"


def render(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "tunisia_report", "render", "--formats", "", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def assert_usage_error(proc: subprocess.CompletedProcess, *words: str) -> None:
    """Exit 2 with one line naming what was wrong, no traceback and no kernel's output."""
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1, proc.stderr
    for word in words:
        assert word in proc.stderr


def tree(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("seconds", ["0", "-5"])
def test_a_timeout_that_is_not_positive_is_refused(tmp_path, seconds):
    proc = render("--notebook", str(FIXTURES / "passes.ipynb"), "--output-dir", str(tmp_path),
                  "--execution-timeout", seconds)
    assert_usage_error(proc, "--execution-timeout: expected a number of seconds above 0")
    assert not (tmp_path / "passes.ipynb").exists()


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("title", "   ", "expected a non-blank str"),
        ("title", "A" * 1200, "of at most 120 characters, got 1,200 characters"),
        ("subtitle", "B" * 301, "of at most 300 characters, got 301 characters"),
        ("author", "C" * 101, "of at most 100 characters"),
        ("sections", "[]", "expected a non-empty list[str]"),
    ],
)
def test_blank_long_or_empty_report_parameters_are_refused(tmp_path, name, value, words):
    proc = render("--notebook", str(REPORT), "--output-dir", str(tmp_path / "out"),
                  "-p", name, value)
    assert_usage_error(proc, f"parameter '{name}' of report.ipynb", words)
    assert not (tmp_path / "out").exists()


def notebook_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each kind of file that is no notebook, with the words its error must hold."""
    yaml_file = tmp_path / "params.yaml"
    yaml_file.write_text("title: x\n")
    truncated = tmp_path / "truncated.ipynb"
    truncated.write_text((FIXTURES / "passes.ipynb").read_text()[:300])
    not_a_notebook = tmp_path / "list.ipynb"
    not_a_notebook.write_text("[1, 2]")
    binary = tmp_path / "binary.ipynb"
    binary.write_bytes(b"\xff\xfe\x00junk")
    return {
        "passwd": (Path("/etc/passwd"), "not JSON"),
        "yaml": (yaml_file, "not JSON"),
        "missing": (tmp_path / "missing.ipynb", "no such file or directory"),
        "folder": (tmp_path, "is a directory"),
        "truncated": (truncated, "not JSON (line"),
        "json-list": (not_a_notebook, "JSON without a list of cells"),
        "binary": (binary, "not JSON"),
    }


@pytest.mark.parametrize("kind", ["passwd", "yaml", "missing", "folder", "truncated",
                                  "json-list", "binary"])
def test_a_notebook_that_cannot_be_read_is_a_usage_error(tmp_path, kind):
    path, words = notebook_files(tmp_path)[kind]
    if not path.exists() and kind != "missing":
        pytest.skip(f"no {path} here")
    proc = render("--notebook", str(path), "--output-dir", str(tmp_path / "out"))
    assert_usage_error(proc, str(path), words)
    help_proc = subprocess.run([PYTHON, "-m", "tunisia_report", "render", "--help-notebook",
                                "--notebook", str(path)], capture_output=True, text=True)
    assert_usage_error(help_proc, str(path))


def test_a_parameters_cell_that_does_not_parse_names_file_and_line(tmp_path):
    nb = json.loads((FIXTURES / "passes.ipynb").read_text())
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = 'greeting = "hi"\ncount = (2\n'
    path = tmp_path / "broken.ipynb"
    path.write_text(json.dumps(nb))
    proc = render("--notebook", str(path), "--output-dir", str(tmp_path / "out"))
    assert_usage_error(proc, f"{path}: parameters cell, line 2", "syntax error")


@pytest.mark.parametrize("inside", ["notebooks", "data", "src", "notebooks/params", "data/raw",
                                    "."])
def test_an_output_dir_overlapping_the_inputs_is_refused(inside):
    before = tree(NOTEBOOKS_DIR), tree(DATA_DIR)
    proc = render("--notebook", str(REPORT), "--output-dir", str(ROOT / inside))
    assert_usage_error(proc, "--output-dir: expected a folder apart from the render's inputs")
    assert (tree(NOTEBOOKS_DIR), tree(DATA_DIR)) == before


def test_an_output_dir_inside_the_data_dir_parameter_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    proc = render("--notebook", str(REPORT), "-p", "data_dir", str(data),
                  "--output-dir", str(data / "reports"))
    assert_usage_error(proc, "lies inside")
    assert not (data / "reports").exists()


def test_an_output_dir_that_cannot_be_written_is_refused(tmp_path):
    if os.geteuid() == 0:  # root writes through permissions: use a folder no one writes
        folder = Path("/sys/kernel")
        try:
            tempfile.TemporaryFile(dir=folder).close()
            pytest.skip("no folder here that root cannot write")
        except OSError:
            pass
    else:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
    proc = render("--notebook", str(FIXTURES / "passes.ipynb"), "--output-dir", str(folder))
    assert_usage_error(proc, "--output-dir: expected a folder that can be written")
