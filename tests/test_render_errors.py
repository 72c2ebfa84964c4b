"""Errors a render must say in one clear line, never as a traceback or a silent drop: an unknown
reference in a Markdown cell's inline expression, a full disk. Small fixture notebooks, real
kernels."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.helpers import PYTHON
from tunisia_report.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "render"
PASSES = FIXTURES / "passes.ipynb"
pytestmark = pytest.mark.slow


def render(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "tunisia_report", "render", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


def digests(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_an_unknown_reference_fails_the_render_naming_notebook_cell_and_key(tmp_path):
    """`ref("fig:no-such")` used to remove its whole paragraph, exit 0, nothing on stderr."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from tunisia_report.report import Report\n"
                                  "rep = Report()\nref = rep.ref"),
        nbformat.v4.new_markdown_cell("Soldiers killed: {eval}`ref(\"fig:no-such\")`.",
                                      id="typo-cell"),
    ])
    notebook = tmp_path / "typo.ipynb"
    nbformat.write(nb, notebook)
    for mode in ([], ["--strict"]):  # an unknown key is a bug in either mode
        proc = render("--notebook", str(notebook), "--output-dir", str(tmp_path / "out"),
                      "--formats", "html", *mode)
        assert proc.returncode == 1, proc.stderr
        assert "typo.ipynb failed at cell 1" in proc.stderr
        assert "unknown reference 'fig:no-such'" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert not (tmp_path / "out" / "typo.html").exists()


# A full disk, simulated in every process of the render (driver, workers, kernels): writing a
# file whose name ends with FAIL_WRITE_SUFFIX fails as write(2) does on a full disk (errno 28,
# no file name).
SITECUSTOMIZE = '''
import errno, os, pathlib
_suffix = os.environ.get("FAIL_WRITE_SUFFIX")
if _suffix:
    _write_bytes = pathlib.Path.write_bytes
    def write_bytes(self, data):
        if self.name.endswith(_suffix):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return _write_bytes(self, data)
    pathlib.Path.write_bytes = write_bytes
    _write_text = pathlib.Path.write_text
    def write_text(self, *args, **kwargs):
        if self.name.endswith(_suffix):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return _write_text(self, *args, **kwargs)
    pathlib.Path.write_text = write_text
'''


def full_disk(tmp_path: Path, suffix: str) -> dict:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return {"PYTHONPATH": str(site), "FAIL_WRITE_SUFFIX": suffix}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_is_one_clear_line_and_the_previous_outputs_stay(tmp_path, jobs):
    out = tmp_path / "out"
    args = ["--notebook", str(PASSES), "--output-dir", str(out), "--formats", "html",
            "--variants-dir", str(FIXTURES / "variants"), "--all-variants", "--jobs", jobs]
    assert render(*args).returncode == 0
    before = digests(out)
    proc = render(*args, "-p", "count", "4", env=full_disk(tmp_path, ".html"))
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.strip().splitlines()
             if not re.match(r"\[\d+/\d+ done\]", line)]  # progress, when not a terminal
    assert len(lines) == 1, proc.stderr  # one line, even with two workers failing
    assert lines[0].startswith("error: no space left on device while writing ")
    assert "/passes.html; the previous outputs are untouched" in lines[0]
    assert digests(out) == before
    assert not list(out.glob(".staging-*"))


def test_a_full_disk_met_by_a_notebook_is_one_clear_line_too(tmp_path):
    """The notebook's own write (a chart, here the fixture's greeting.txt) fails in the kernel."""
    out = tmp_path / "out"
    args = ["--notebook", str(PASSES), "--output-dir", str(out), "--formats", ""]
    assert render(*args).returncode == 0
    before = digests(out)
    proc = render(*args, "-p", "count", "4", env=full_disk(tmp_path, "greeting.txt"))
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.strip().splitlines()
             if not re.match(r"\[\d+/\d+ done\]", line)]
    assert lines == ["error: no space left on device while writing the files of cell 4 of "
                     "passes.ipynb; the previous outputs are untouched"], proc.stderr
    assert digests(out) == before
