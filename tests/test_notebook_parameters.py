"""Each notebook checks its own parameters as the CLI does, records the ones its outputs were made
with (so a stale export runs again), writes its charts where no published chart is, and takes its
edition's title block when only `lang` is set. Real papermill, real kernels."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.helpers import PYTHON
from tunisia_report.exceptions import ParameterError
from tunisia_report.export.metadata import resolve_metadata
from tunisia_report.parameters import (
    RECORD_MIME,
    check_notebook_parameters,
    parameters_cell,
    read_notebook,
    stale_parameters,
)
from tunisia_report.paths import FIGURES_DIR, INTERACTIVE_FIGURES_DIR, NOTEBOOKS_DIR, ROOT

REPORT = NOTEBOOKS_DIR / "report.ipynb"
STALE = ROOT / "tests" / "fixtures" / "export" / "stale_parameters.ipynb"
PASSES = ROOT / "tests" / "fixtures" / "render" / "passes.ipynb"
PAPERMILL = str(Path(PYTHON).parent / "papermill")


def papermill(notebook: Path, out: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([PAPERMILL, str(notebook), str(out), "--no-progress-bar", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=600)


def markdown_outputs(nb) -> str:
    return "\n".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells
                     if c.cell_type == "code" for o in c.get("outputs", []))


# --- one contract: the CLI's check, in the kernel ------------------------------------------------

def test_every_notebook_checks_its_parameters_right_after_its_parameters_cell():
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        nb = read_notebook(path)
        index = nb["cells"].index(parameters_cell(nb))
        following = "".join(nb["cells"][index + 1]["source"])
        assert f'check_notebook_parameters(globals(), "{path.name}")' in following, path.name


def test_a_list_given_as_text_is_read_as_the_list_it_spells():
    namespace = {"greeting": "hi", "count": 2, "when": "2014-07-23", "mode": "a",
                 "tags": '["x", "z"]', "fail": False, "figures_dir": ""}
    checked = check_notebook_parameters(namespace, str(PASSES))
    assert checked["tags"] == ["x", "z"] and namespace["tags"] == ["x", "z"]


@pytest.mark.parametrize(("name", "value", "words"), [
    ("tags", '["w"]', "with values from: x, y, z, got 'w'"),
    ("tags", "x", "expected list[str]"),
    ("count", "many", "expected int"),
    ("when", "2014-02-30", "an ISO date string YYYY-MM-DD"),
    ("greeting", 2014, "-r greeting 2014 passes it as text"),
])
def test_a_bad_value_in_the_kernel_is_the_clis_error(name, value, words):
    namespace = {"greeting": "hi", "count": 2, "when": "2014-07-23", "mode": "a",
                 "tags": ["x"], "fail": False, "figures_dir": "", name: value}
    with pytest.raises(ParameterError) as info:
        check_notebook_parameters(namespace, str(PASSES))
    assert f"parameter '{name}' of passes.ipynb" in str(info.value)
    assert words in str(info.value)


def test_an_injected_name_the_notebook_does_not_declare_is_refused():
    namespace = {"greeting": "hi", "greting": "hello",
                 "In": ["", '# Parameters\ngreting = "hello"\n', "check_notebook_parameters()"]}
    with pytest.raises(ParameterError) as info:
        check_notebook_parameters(namespace, str(PASSES))
    assert "'greting', which passes.ipynb does not declare (did you mean 'greeting'?)" in str(
        info.value)


def test_names_run_before_without_papermill_are_not_parameters():
    """JupyterLab: a variable of an earlier cell, or a parameters cell run by hand."""
    namespace = {"greeting": "hi", "count": 2, "when": "2014-07-23", "mode": "a",
                 "tags": ["x"], "fail": False, "figures_dir": "", "other": 1,
                 "In": ["", "other = 1", "check_notebook_parameters()"]}
    assert check_notebook_parameters(namespace, str(PASSES))["greeting"] == "hi"


@pytest.mark.slow
def test_plain_papermill_refuses_a_misspelt_parameter_name(tmp_path):
    proc = papermill(REPORT, tmp_path / "out.ipynb", "-p", "lng", "fr", cwd=tmp_path)
    assert proc.returncode != 0
    assert ("parameter 'lng' of report.ipynb: expected a declared parameter name, got 'lng', "
            "which report.ipynb does not declare (did you mean 'lang'?)") in proc.stderr


@pytest.mark.slow
def test_plain_papermill_reads_a_json_list_of_sections(tmp_path):
    out = tmp_path / "out.ipynb"
    proc = papermill(REPORT, out, "-p", "sections", '["summary","corroboration"]',
                     "-p", "figures_dir", str(tmp_path / "figures"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    from tunisia_report.export import notebook_to_html

    page = notebook_to_html(nbformat.read(out, as_version=4))
    assert ">Summary of findings<" in page and ">How the article holds up<" in page
    assert ">Key figures<" not in page and ">Timeline<" not in page
    assert sorted(p.name for p in (tmp_path / "figures").glob("*.svg"))[0].startswith(
        "figure-reports")


@pytest.mark.slow
@pytest.mark.parametrize(("args", "words"), [
    (["-p", "sections", '["sumary"]'],
     ["parameter 'sections' of report.ipynb", "with values from: summary, key-figures",
      "got 'sumary'"]),
    (["-p", "sections", "summary"], ["parameter 'sections' of report.ipynb",
                                     "list[str]", "got 'summary' (str)"]),
    (["-p", "findings", "maybe"], ["parameter 'findings' of report.ipynb", "expected bool"]),
    (["-p", "period_end", "2012-01-01"], ["parameter 'period_end' of report.ipynb",
                                          "on or after period_start"]),
])
def test_plain_papermill_refuses_a_bad_parameter_clearly(tmp_path, args, words):
    proc = papermill(REPORT, tmp_path / "out.ipynb", *args, cwd=tmp_path)
    assert proc.returncode != 0
    for word in words:
        assert word in proc.stderr, proc.stderr[-3000:]


# --- no stale exports ------------------------------------------------------------------------

@pytest.fixture
def executed_stale(tmp_path) -> Path:
    """The stale-parameters fixture run by papermill in its folder (word = "alpha")."""
    path = tmp_path / STALE.name
    shutil.copy(STALE, path)
    proc = papermill(path, path, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return path


def set_word(path: Path, word: str) -> None:
    """Edit the parameters cell as an analyst would, and save without running."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace('"alpha"', f'"{word}"')
    nbformat.write(nb, path)


@pytest.mark.slow
def test_the_run_records_its_parameters_and_the_export_drops_the_record(executed_stale):
    nb = nbformat.read(executed_stale, as_version=4)
    records = [o["data"][RECORD_MIME] for c in nb.cells for o in c.get("outputs", [])
               if RECORD_MIME in o.get("data", {})]
    assert records == [{"given": {"word": "alpha"}, "parameters": {"word": "alpha"}}]
    assert stale_parameters(nb) == []
    from tunisia_report.export import notebook_to_html

    assert "tunisia-report.parameters" not in notebook_to_html(nb)


@pytest.mark.slow
def test_an_export_after_a_parameter_edit_runs_the_notebook_again(executed_stale, caplog):
    from tunisia_report.export.html import ReportHTMLExporter

    set_word(executed_stale, "beta")
    nb = nbformat.read(executed_stale, as_version=4)
    assert stale_parameters(nb) == [
        "word: outputs made with 'alpha', the notebook now holds 'beta'"]
    resources = {"metadata": {"path": str(executed_stale.parent), "name": "stale_parameters"}}
    with caplog.at_level(logging.WARNING):
        page, _ = ReportHTMLExporter().from_notebook_node(nb, resources=resources)
    assert "The word is beta." in page and "The word is alpha" not in page
    assert "made with other parameters" in caplog.text


@pytest.mark.slow
def test_an_export_with_unchanged_parameters_uses_the_saved_outputs(executed_stale):
    from tunisia_report.export.html import ReportHTMLExporter

    nb = nbformat.read(executed_stale, as_version=4)
    for cell in nb.cells:  # a mark that only the saved outputs carry
        for output in cell.get("outputs", []):
            if "text/markdown" in output.get("data", {}):
                output["data"]["text/markdown"] = "Saved output."
    page, _ = ReportHTMLExporter().from_notebook_node(nb, resources={})
    assert "Saved output." in page


# --- interactive runs write their own folder; editions' title blocks ----------------------------

def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.*")}


@pytest.mark.slow
def test_an_interactive_french_run_leaves_the_published_figures_alone(tmp_path):
    scratch = INTERACTIVE_FIGURES_DIR / "fr"
    top = next(p for p in (scratch, *scratch.parents) if p.parent.exists())
    top_existed = top.exists()  # else the test made it, and removes it
    existed = set(scratch.glob("*")) if scratch.is_dir() else set()
    published = digests(FIGURES_DIR)
    out = tmp_path / "out.ipynb"
    try:
        proc = papermill(REPORT, out, "-p", "lang", "fr", "-y", "sections: [key-figures]",
                         cwd=NOTEBOOKS_DIR)  # as JupyterLab runs it: in notebooks/, no figures_dir
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert digests(FIGURES_DIR) == published
        assert (scratch / "key-figures.svg").is_file()
        from tunisia_report.export import notebook_to_html

        page = notebook_to_html(nbformat.read(out, as_version=4))
        assert "Security-First Policy at a Crossroads" in page and "à l’épreuve des faits" in page
        assert "Équipe du projet Rapport Tunisie" in page
    finally:
        if top_existed:
            for path in set(scratch.glob("*")) - existed:
                path.unlink()
        else:
            shutil.rmtree(top, ignore_errors=True)


@pytest.mark.parametrize(("given", "title", "author"), [
    ({}, "Checking “Tunisia's Security-First Policy at a Crossroads”",
     "Tunisia report project team"),
    ({"lang": "fr"}, "« Tunisia’s Security-First Policy at a Crossroads » à l’épreuve des faits",
     "Équipe du projet Rapport Tunisie"),
    ({"lang": "ar"}, "تدقيق في مقال «سياسة تونس القائمة على أولوية الأمن على مفترق طرق»",
     "فريق مشروع تقرير تونس"),
    ({"lang": "fr", "title": "Mon titre"}, "Mon titre", "Équipe du projet Rapport Tunisie"),
])
def test_only_lang_gives_the_editions_title_block(given, title, author):
    nb = json.loads(REPORT.read_text(encoding="utf-8"))
    nb["metadata"]["papermill"] = {"parameters": given}
    meta = resolve_metadata(nb)
    assert (meta.title, meta.author) == (title, author)
    assert meta.subtitle and ("Bechri" in meta.subtitle or "بشري" in meta.subtitle)  # its article


@pytest.mark.slow
def test_a_rendered_notebook_is_not_stale_for_the_export_menu(tmp_path):
    """The render's staging paths are renamed in the record as in papermill's metadata, so the
    published notebook exports as it is, without running again."""
    proc = subprocess.run([PYTHON, "-m", "tunisia_report", "render", "--formats", "",
                           "--notebook", str(NOTEBOOKS_DIR / "01_casualties.ipynb"),
                           "--output-dir", str(tmp_path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    nb = json.loads((tmp_path / "01_casualties.ipynb").read_text(encoding="utf-8"))
    assert stale_parameters(nb) == []
    record = next(o["data"][RECORD_MIME] for c in nb["cells"] for o in c.get("outputs", [])
                  if RECORD_MIME in o.get("data", {}))
    assert record["given"]["figures_dir"] == str(tmp_path / "figures")
