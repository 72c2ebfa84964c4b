"""The speed-ups change no byte: a render with the kernel pool and the chart store (cold, then
warm) writes the same notebooks, HTML, PDF, PNG and SVG as one without them."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess

import pytest

from tests.helpers import PYTHON
from tunisia_report.charts import store
from tunisia_report.paths import ROOT

pytestmark = pytest.mark.slow


def render(out, **environment) -> dict[str, str]:
    """Render every notebook into `out`; the digest of each file written (the render's own
    record, which holds the inputs' key, left out)."""
    env = {**os.environ, **environment}
    proc = subprocess.run([PYTHON, "-m", "tunisia_report", "render", "--force", "--jobs", "1",
                           "--output-dir", str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(out.rglob("*")) if p.is_file() and p.name != ".render.json"}
    shutil.rmtree(out)  # the next render writes the same paths: parameters name the folder
    return found


def test_outputs_are_byte_identical_with_and_without_the_speedups(tmp_path):
    out = tmp_path / "out"
    plain = render(out, TUNISIA_KERNEL_POOL="off", TUNISIA_CHART_STORE="off")
    charts = str(tmp_path / "chart-store")
    cold = render(out, TUNISIA_KERNEL_POOL="on", TUNISIA_CHART_STORE=charts)
    warm = render(out, TUNISIA_KERNEL_POOL="on", TUNISIA_CHART_STORE=charts)
    assert {"report.html", "report.pdf", "report.ipynb", "figures/timeline.svg"} <= set(plain)
    assert cold == plain
    assert warm == plain


def test_the_chart_store_key_changes_with_each_input(monkeypatch, tmp_path):
    from tunisia_report.paths import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    base = store.key("timeline", {"start": "2013-01-01"}, data, "en")
    assert store.key("timeline", {"start": "2013-01-01"}, data, "en") == base
    assert store.key("timeline", {"start": "2013-02-01"}, data, "en") != base
    assert store.key("key-figures", {"start": "2013-01-01"}, data, "en") != base
    assert store.key("timeline", {"start": "2013-01-01"}, data, "fr") != base
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1406073600")
    assert store.key("timeline", {"start": "2013-01-01"}, data, "en") != base
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    (data / "figures.csv").write_text((data / "figures.csv").read_text() + "\n")
    assert store.key("timeline", {"start": "2013-01-01"}, data, "en") != base
