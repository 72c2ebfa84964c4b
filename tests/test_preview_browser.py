"""The live preview in a browser: a Markdown cell edited on disk shows on the open page without
a manual reload, and the page's one script breaks no rule of its policy (Debian's chromium,
driven by Playwright, as in test_browser)."""

from __future__ import annotations

import shutil
import subprocess

import nbformat
import pytest

from tests.helpers import PYTHON, stop_process
from tests.test_browser import browser_context  # noqa: F401 (a fixture)
from tunisia_report.paths import ROOT

pytestmark = pytest.mark.slow
FIXTURE = ROOT / "tests" / "fixtures" / "preview" / "words.ipynb"
WAIT_MS = 180_000  # upper bound for a kernel run, not a measurement


@pytest.fixture
def served(tmp_path):
    """`preview` running on a copy of the fixture: (its URL, the notebook it watches)."""
    notebook = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, notebook)
    proc = subprocess.Popen([PYTHON, "-m", "tunisia_report", "preview", "--notebook",
                             str(notebook), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("preview: http://127.0.0.1:"), line
        yield line.split()[1], notebook
    finally:
        stop_process(proc)


def test_a_markdown_edit_on_disk_shows_without_a_reload(browser_context, served):  # noqa: F811
    url, notebook = served
    page = browser_context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    page.get_by_text("The answer is 42, and its square 1764.").wait_for(timeout=WAIT_MS)

    nb = nbformat.read(notebook, as_version=4)
    nb.cells[1].source = "# Preview fixture\n\nEdited on disk: {eval}`answer` it is."
    nbformat.write(nb, notebook)
    page.get_by_text("Edited on disk: 42 it is.").wait_for(timeout=WAIT_MS)
    assert problems == []  # no policy violation, no script error
    page.close()
