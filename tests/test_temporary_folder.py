"""Nothing left in the temporary folder: by the kernel-spec install of `make`, by a render, by
the benchmark's formats row. Each points TMPDIR at a fresh folder and lists it after."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import PYTHON
from tunisia_report.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "render"


def leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def run(argv: list[str], tmpdir: Path) -> subprocess.CompletedProcess:
    tmpdir.mkdir()
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "TMPDIR": str(tmpdir)})


def test_the_kernel_spec_install_leaves_nothing(tmp_path):
    """ipykernel's own install left an empty tmp…_kernels folder on each `make` from nothing."""
    prefix = tmp_path / "prefix"
    proc = run([PYTHON, "-c", "import sys; from tunisia_report.render.kernels import "
                "install_spec; install_spec(sys.argv[1])", str(prefix)], tmp_path / "tmp")
    assert proc.returncode == 0, proc.stderr
    assert (prefix / "share/jupyter/kernels/python3/kernel.json").is_file()
    assert leftovers(tmp_path / "tmp") == []


def test_make_installs_the_kernel_spec_through_install_spec():
    makefile = (ROOT / "Makefile").read_text()
    assert "-m tunisia_report.render.kernels" in makefile
    assert "ipykernel install" not in makefile.replace("# ipykernel install", "")


@pytest.mark.slow
def test_a_render_leaves_nothing(tmp_path):
    """Every format, two variants on two workers (kernels, their connection files and sockets,
    pandoc's and Typst's scratch folders)."""
    proc = run([PYTHON, "-m", "tunisia_report", "render", "--notebook",
                str(FIXTURES / "passes.ipynb"), "--output-dir", str(tmp_path / "out"),
                "--variants-dir", str(FIXTURES / "variants"), "--all-variants", "--jobs", "2",
                "--formats", "html,pdf,docx"], tmp_path / "tmp")
    assert proc.returncode == 0, proc.stderr
    assert leftovers(tmp_path / "tmp") == []


@pytest.mark.slow
def test_the_bench_formats_row_leaves_nothing(tmp_path, report_render):
    """Row 2c of `make bench` wrote the downloads into a folder of its own in /tmp, kept."""
    from tests.test_bench import load_bench

    script = load_bench().IN_PROCESS_FORMATS
    proc = run([PYTHON, "-c", script, str(report_render / "report.ipynb"), "1",
                str(tmp_path / "formats")], tmp_path / "tmp")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "formats" / "claims.csv").is_file()
    assert leftovers(tmp_path / "tmp") == []
