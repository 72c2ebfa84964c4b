"""The live preview: an edit to a Markdown cell's words is exported from the last run's outputs
(no kernel), an edit to code runs its notebook, a failure keeps the last good page and says why,
and the served page allows exactly one script, the preview's own."""

from __future__ import annotations

import shutil
import threading
import urllib.request

import nbformat
import pytest

from tests.helpers import PYTHON
from tunisia_report.paths import ROOT
from tunisia_report.render.preview import Preview, reuse_outputs
from tunisia_report.render.preview_server import (
    SCRIPT_PATH,
    QuietServer,
    make_handler,
    preview_page,
)

FIXTURE = ROOT / "tests" / "fixtures" / "preview" / "words.ipynb"


def executed_fixture() -> nbformat.NotebookNode:
    """The fixture as a run leaves it: outputs, and its expressions' values stored."""
    nb = nbformat.read(FIXTURE, as_version=4)
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
    nb.cells[0].execution_count = 1
    nb.cells[1].metadata["user_expressions"] = [
        {"expression": "answer", "result": {"status": "ok", "data": {"text/plain": "42"}}},
        {"expression": "answer ** 2",
         "result": {"status": "ok", "data": {"text/plain": "1764"}}}]
    return nb


def edited(change) -> nbformat.NotebookNode:
    nb = nbformat.read(FIXTURE, as_version=4)
    change(nb)
    return nb


def test_new_words_around_known_expressions_reuse_the_run():
    def change(nb):
        nb.cells[1].source = "# Preview fixture\n\nNow {eval}`answer ** 2`, then {eval}`answer`."
        nb.cells.append(nbformat.v4.new_markdown_cell("A new cell, {eval}`answer`."))
    nb = reuse_outputs(executed_fixture(), edited(change))
    assert nb is not None
    assert nb.cells[0].outputs[0]["text"] == "ran\n"  # the run's output, kept
    assert [e["expression"] for e in nb.cells[1].metadata["user_expressions"]] == [
        "answer ** 2", "answer"]
    assert nb.cells[3].metadata["user_expressions"][0]["result"]["data"]["text/plain"] == "42"


@pytest.mark.parametrize("change", [
    lambda nb: setattr(nb.cells[0], "source", "answer = 6 * 8"),  # code edited
    lambda nb: nb.cells.insert(1, nbformat.v4.new_code_cell("x = 1")),  # code added
    lambda nb: setattr(nb.cells[1], "source", "New: {eval}`answer + 1`"),  # a new expression
], ids=["code-edited", "code-added", "new-expression"])
def test_what_needs_a_kernel_is_not_reused(change):
    assert reuse_outputs(executed_fixture(), edited(change)) is None


def test_the_preview_page_allows_its_own_script_only_and_shows_a_failure():
    published = ('<html><head><meta content="default-src \'none\'" '
                 'http-equiv="Content-Security-Policy"/></head><body><p>Text</p></body></html>')
    page = preview_page(published, 7, "NameError: name 'x' <is> not defined")
    assert "default-src 'none'; script-src 'self'; connect-src 'self'" in page
    assert f'<script src="{SCRIPT_PATH}" defer></script></head>' in page
    assert '<meta name="preview-version" content="7">' in page
    assert "NameError: name &#x27;x&#x27; &lt;is&gt; not defined" in page
    assert page.index('role="alert"') < page.index("<p>Text</p>")  # above the last good page
    assert "<script" not in published


@pytest.fixture
def preview(tmp_path):
    """A Preview of a copy of the fixture, with its first render done."""
    notebook = tmp_path / "words.ipynb"
    shutil.copy(FIXTURE, notebook)
    work = tmp_path / "work"
    work.mkdir()
    preview = Preview([notebook], {}, work)
    first = preview.update()
    assert first.error is None and first.ran == ["words.ipynb"], first.error
    return preview, notebook


def save(notebook, change) -> None:
    nb = nbformat.read(notebook, as_version=4)
    change(nb)
    nbformat.write(nb, notebook)


@pytest.mark.slow
def test_an_edit_to_words_needs_no_kernel_and_one_to_code_runs_the_notebook(preview):
    preview, notebook = preview
    assert "The answer is 42, and its square 1764." in preview.pages["words.ipynb"]
    save(notebook, lambda nb: setattr(nb.cells[1], "source",
                                      "Reworded: {eval}`answer` squared is {eval}`answer ** 2`."))
    words = preview.update({notebook})
    assert words.reused == ["words.ipynb"] and words.ran == [] and words.error is None
    assert "Reworded: 42 squared is 1764." in preview.pages["words.ipynb"]

    save(notebook, lambda nb: setattr(nb.cells[0], "source", "answer = 6 * 8"))
    code = preview.update({notebook})
    assert code.ran == ["words.ipynb"] and code.reused == []
    assert "Reworded: 48 squared is 2304." in preview.pages["words.ipynb"]


@pytest.mark.slow
def test_a_failed_render_keeps_the_last_good_page_and_says_why(preview):
    preview, notebook = preview
    good = preview.pages["words.ipynb"]
    version = preview.version
    save(notebook, lambda nb: setattr(nb.cells[0], "source", "answer = undefined_name"))
    failed = preview.update({notebook})
    assert "undefined_name" in failed.error and preview.error == failed.error
    assert preview.pages["words.ipynb"] == good and preview.version == version + 1
    save(notebook, lambda nb: setattr(nb.cells[0], "source", "answer = 2"))
    assert preview.update({notebook}).error is None and preview.error is None


@pytest.mark.slow
def test_the_server_serves_the_page_and_announces_each_new_one(preview):
    preview, _ = preview
    stop = threading.Event()
    server = QuietServer(("127.0.0.1", 0), make_handler(preview, stop))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(f"{base}/", timeout=30) as response:
            page = response.read().decode()
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "The answer is 42" in page and SCRIPT_PATH in page
        with urllib.request.urlopen(f"{base}/_preview/events", timeout=30) as events:
            assert events.readline().decode().strip() == f"data: {preview.version}"
            events.readline()
            preview.publish(preview.last)
            assert events.readline().decode().strip() == f"data: {preview.version}"
    finally:
        stop.set()
        with preview.changed:
            preview.changed.notify_all()
        server.shutdown()
        server.server_close()


def test_the_cli_refuses_a_parameter_the_notebook_does_not_declare():
    import subprocess

    proc = subprocess.run([PYTHON, "-m", "tunisia_report", "preview", "--notebook", str(FIXTURE),
                           "-p", "lng", "fr", "--port", "0"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and "'lng'" in proc.stderr
