"""data.zip rebuilds the report: unzipped, `validate` passes on it and a render reads it."""

from __future__ import annotations

import subprocess
import zipfile

import pytest

from tests.helpers import PYTHON
from tunisia_report.export.downloads import write_downloads
from tunisia_report.paths import DATA_DIR, ROOT


@pytest.mark.slow
def test_validate_and_render_pass_on_the_unzipped_data_zip(tmp_path):
    written = write_downloads(DATA_DIR, tmp_path, "en")
    archive = next(p for p in written if p.name == "data.zip")
    unzipped = tmp_path / "unzipped"
    zipfile.ZipFile(archive).extractall(unzipped)
    data = next(p.parent for p in unzipped.rglob("datapackage.json"))
    valid = subprocess.run([PYTHON, "-m", "tunisia_report", "validate", str(data)],
                           capture_output=True, text=True, timeout=300)
    assert valid.returncode == 0, valid.stderr
    out = tmp_path / "out"
    render = subprocess.run([PYTHON, "-m", "tunisia_report", "render", "--quiet", "--formats",
                             "html", "--notebook", str(ROOT / "notebooks" / "report.ipynb"),
                             "-p", "data_dir", str(data), "--output-dir", str(out)],
                            capture_output=True, text=True, timeout=900)
    assert render.returncode == 0, render.stderr[-3000:]
    assert "Summary of findings" in (out / "report.html").read_text(encoding="utf-8")
