"""The render command end to end, with a real kernel and small fixture notebooks.

A test of the command's wiring (parameters, the cache, the record, publishing) renders with
the kernel pool off (`TUNISIA_KERNEL_POOL=off`): a plain kernel for its one-cell fixture, not
a warm one that first imports the report's stack (pandas, matplotlib, the package: about 1 s
of CPU a render). The tests of what happens to kernels (a failing cell, a timeout, a dead
kernel, two notebooks or variants, renders taking turns) keep the pool on, as a user's render
has it; tests/test_speedups.py compares the pool's outputs with a plain kernel's.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from tests.helpers import PYTHON, set_cell
from tunisia_report.parameters import uncommitted_defaults
from tunisia_report.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "render"
pytestmark = pytest.mark.slow


def render(*args: str, cwd: Path = ROOT, pool: bool = False) -> subprocess.CompletedProcess:
    """`render --formats '' ARGS`, with the kernel pool only if `pool` (see the docstring)."""
    env = {**os.environ, "TUNISIA_KERNEL_POOL": "on" if pool else "off"}
    return subprocess.run([PYTHON, "-m", "tunisia_report", "render", "--formats", "", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


def fixture(name: str) -> str:
    return str(FIXTURES / f"{name}.ipynb")


def outputs_text(path: Path) -> str:
    nb = json.loads(path.read_text())
    return "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))


def digests(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_passes_with_parameters(tmp_path):
    proc = render("--notebook", fixture("passes"), "--output-dir", str(tmp_path),
                  "-p", "greeting", "salut", "-p", "count", "3")
    assert proc.returncode == 0, proc.stderr
    assert "salut salut salut 2014-07-23" in outputs_text(tmp_path / "passes.ipynb")
    assert "wrote" in proc.stdout
    assert "\r" not in proc.stderr  # quiet progress when not a terminal


def test_params_file(tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("greeting: from-file\ntags: [y]\n")
    proc = render("--notebook", fixture("passes"), "--output-dir", str(tmp_path / "out"),
                  "--params", str(params))
    assert proc.returncode == 0, proc.stderr
    assert "from-file from-file 2014-07-23 a ['y']" in outputs_text(tmp_path / "out/passes.ipynb")


def test_cache_hit_miss_and_force(tmp_path):
    args = ["--notebook", fixture("passes"), "--output-dir", str(tmp_path)]
    assert render(*args).returncode == 0
    before = (tmp_path / "passes.ipynb").stat().st_mtime_ns
    hit = render(*args)
    assert hit.returncode == 0 and "up to date, nothing to do" in hit.stdout
    assert (tmp_path / "passes.ipynb").stat().st_mtime_ns == before
    miss = render(*args, "-p", "greeting", "changed")
    assert miss.returncode == 0 and "up to date" not in miss.stdout
    assert "changed" in outputs_text(tmp_path / "passes.ipynb")
    (tmp_path / "passes.ipynb").write_text("{}")  # a damaged output is not a cache hit
    again = render(*args, "-p", "greeting", "changed")
    assert "up to date" not in again.stdout and "changed" in outputs_text(tmp_path / "passes.ipynb")
    forced = render(*args, "-p", "greeting", "changed", "--force")
    assert forced.returncode == 0 and "up to date" not in forced.stdout


def test_deterministic_executed_notebook(tmp_path):
    args = ["--notebook", fixture("passes"), "--output-dir", str(tmp_path)]
    assert render(*args).returncode == 0
    first = (tmp_path / "passes.ipynb").read_bytes()
    assert render(*args, "--force").returncode == 0
    assert (tmp_path / "passes.ipynb").read_bytes() == first
    nb = json.loads(first)
    assert nb["metadata"]["papermill"]["start_time"] is None
    injected = next(c for c in nb["cells"] if c["id"] == "injected-parameters")
    assert str(tmp_path / "figures") in "".join(injected["source"])  # not the staging folder
    assert ".staging" not in first.decode()


def test_failing_cell_keeps_previous_outputs(tmp_path):
    args = ["--notebook", fixture("passes"), "--output-dir", str(tmp_path)]
    assert render(*args, pool=True).returncode == 0
    before = digests(tmp_path)
    proc = render(*args, "-p", "fail", "true", pool=True)
    assert proc.returncode == 1
    assert "passes.ipynb failed at cell" in proc.stderr
    assert "RuntimeError: asked to fail" in proc.stderr
    assert "Traceback" not in proc.stderr
    kept = proc.stderr.split("kept at ")[1].split()[0]
    assert Path(kept).exists()
    assert digests(tmp_path) == before
    assert not list(tmp_path.glob(".staging-*"))


def test_raises_names_notebook_cell_and_exception(tmp_path):
    proc = render("--notebook", fixture("raises"), "--output-dir", str(tmp_path), pool=True)
    assert proc.returncode == 1
    assert "raises.ipynb failed at cell 3: ValueError: boom in the third cell" in proc.stderr
    assert not (tmp_path / "raises.ipynb").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-p", "greting", "hi"], "accepted names: count, fail, figures_dir, greeting"),
        (["-p", "count", "lots"], "parameter 'count' of passes.ipynb: expected int"),
        (["-p", "when", "2014-13-01"], "expected an ISO date string YYYY-MM-DD"),
        (["-p", "mode", "z"], "with values from: a, b"),
    ],
)
def test_bad_parameter_exits_2_before_any_kernel(tmp_path, args, words):
    proc = render("--notebook", fixture("passes"), "--output-dir", str(tmp_path), *args)
    assert proc.returncode == 2
    assert words in proc.stderr
    assert not (tmp_path / "passes.ipynb").exists()


def test_no_parameters_cell(tmp_path):
    ok = render("--notebook", fixture("no_parameters"), "--output-dir", str(tmp_path))
    assert ok.returncode == 0, ok.stderr
    bad = render("--notebook", fixture("no_parameters"), "--output-dir", str(tmp_path),
                 "-p", "x", "1")
    assert bad.returncode == 2 and "no notebook declares" in bad.stderr


def test_timeout(tmp_path):
    proc = render("--notebook", fixture("slow"), "--output-dir", str(tmp_path),
                  "--execution-timeout", "2", pool=True)
    assert proc.returncode == 1
    assert ("slow.ipynb failed at cell 1: the cell ran longer than the execution timeout of 2 s"
            in proc.stderr)
    assert "Timeout waiting" not in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 3  # the failure, where the notebook is kept, and
    # that the previous outputs were left untouched


def test_dead_kernel(tmp_path):
    proc = render("--notebook", fixture("dies"), "--output-dir", str(tmp_path), pool=True)
    assert proc.returncode == 1
    assert "dies.ipynb failed" in proc.stderr and "kernel died" in proc.stderr


def test_variants_in_parallel_do_not_collide(tmp_path):
    proc = render("--notebook", fixture("passes"), "--output-dir", str(tmp_path),
                  "--variants-dir", str(FIXTURES / "variants"), "--all-variants", "--jobs", "2",
                  pool=True)
    assert proc.returncode == 0, proc.stderr
    assert "first first 2014" in outputs_text(tmp_path / "first/passes.ipynb")
    assert "second second second" in outputs_text(tmp_path / "second/passes.ipynb")
    assert (tmp_path / "first/figures/greeting.txt").read_text() == "first"
    assert (tmp_path / "second/figures/greeting.txt").read_text() == "second"


def test_unknown_variant_and_bad_options(tmp_path):
    proc = render("--variant", "nope", "--output-dir", str(tmp_path))
    assert proc.returncode == 2 and "no variant 'nope'" in proc.stderr
    proc = subprocess.run([PYTHON, "-m", "tunisia_report", "render", "--formats", "rtf"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "unknown rtf" in proc.stderr


def test_help_notebook_lists_types():
    proc = subprocess.run([PYTHON, "-m", "tunisia_report", "render", "--help-notebook",
                           "--notebook", fixture("passes")], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "count: int (default 2)" in proc.stdout


def test_invalid_data_renders_nothing(tmp_path, data_copy):
    figures = data_copy / "figures.csv"
    figures.write_text(figures.read_text().replace(",14,", ",fourteen,"))
    proc = render("--notebook", str(ROOT / "notebooks" / "00_dataset.ipynb"),
                  "--output-dir", str(tmp_path / "out"), "-p", "data_dir", str(data_copy))
    assert proc.returncode == 1
    assert "figures.csv:2: value: expected a whole number, got 'fourteen'" in proc.stderr
    assert "nothing was rendered" in proc.stderr
    assert not (tmp_path / "out" / "00_dataset.ipynb").exists()


def test_warns_when_a_tracked_notebooks_defaults_differ_from_the_commit(tmp_path):
    """An edit saved from JupyterLab must not silently become the next render's default."""
    repo = tmp_path / "repo"
    repo.mkdir()
    notebook = repo / "passes.ipynb"
    shutil.copy(fixture("passes"), notebook)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "passes.ipynb"], ["commit", "-qm", "fixture"]):
        subprocess.run([*git, *args], cwd=repo, check=True, capture_output=True)
    args = ["--notebook", str(notebook), "--output-dir", str(tmp_path / "out")]
    assert "warning" not in render(*args).stderr

    notebook.write_text(notebook.read_text().replace('count: int = 2', 'count: int = 3'))
    assert uncommitted_defaults(notebook) == ["count: 2 -> 3"]
    proc = render(*args)
    assert "parameters differ from the last commit (count: 2 -> 3)" in proc.stderr
    assert "hello hello hello" in outputs_text(tmp_path / "out" / "passes.ipynb")


def test_cache_sees_an_edit_in_a_data_dir_parameter(tmp_path, data_copy):
    """A notebook of one cell printing what it reads from its data_dir (the report's
    notebooks would draw their charts first: seconds of a kernel, for the same wiring)."""
    notebook = nbformat.read(fixture("passes"), as_version=4)  # its kernel, other cells
    notebook.cells = [
        nbformat.v4.new_code_cell('data_dir: str = ""  # folder holding datapackage.json',
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell('from pathlib import Path\n'
                                  'print((Path(data_dir) / "figures.csv").read_text())')]
    nbformat.write(notebook, tmp_path / "reads_data.ipynb")
    args = ["--notebook", str(tmp_path / "reads_data.ipynb"),
            "--output-dir", str(tmp_path / "out"), "-p", "data_dir", str(data_copy)]
    assert render(*args).returncode == 0
    assert "up to date" in render(*args).stdout  # nothing changed: served from the cache
    # a label, not the value: the value must agree with the article's words ('fourteen')
    set_cell(data_copy, "figures", "chaambi-soldiers-killed", "label",
             "Soldiers killed at Henchir Ettalla")
    again = render(*args)
    assert again.returncode == 0, again.stderr
    assert "up to date" not in again.stdout
    executed = (tmp_path / "out" / "reads_data.ipynb").read_text()
    assert "Soldiers killed at Henchir Ettalla" in executed


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-p", "period_start", "2014-06-01", "-p", "period_end", "2014-01-01"],
         "parameter 'period_end' of 03_timeline_map.ipynb: expected a value on or after "
         "period_start (2014-06-01), got '2014-01-01'"),
        (["-p", "period_end", "2012-12-31"],
         "parameter 'period_end' of 03_timeline_map.ipynb: expected a value on or after "
         "period_start (2013-01-01), got '2012-12-31'"),
        (["-p", "data_dir", "/nonexistent"],
         "parameter 'data_dir' of 03_timeline_map.ipynb: expected a folder holding "
         "datapackage.json, got '/nonexistent' (no such folder)"),
    ],
)
def test_bad_period_or_data_dir_exits_2_before_any_kernel(tmp_path, args, words):
    proc = render("--notebook", str(ROOT / "notebooks" / "03_timeline_map.ipynb"),
                  "--output-dir", str(tmp_path / "out"), *args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == f"error: {words}\n"
    assert not (tmp_path / "out").exists()


def test_output_dir_through_a_file_exits_2(tmp_path):
    (tmp_path / "file").write_text("")
    proc = render("--notebook", fixture("passes"), "--output-dir", str(tmp_path / "file" / "out"))
    assert proc.returncode == 2
    assert proc.stderr == (f"error: --output-dir: expected a folder that can be created, got "
                           f"{tmp_path / 'file' / 'out'} (not a directory)\n")


def test_cache_sees_source_date_epoch(tmp_path):
    args = ["--notebook", fixture("passes"), "--output-dir", str(tmp_path)]

    def with_epoch(epoch: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "TUNISIA_KERNEL_POOL": "off"}
        return subprocess.run([PYTHON, "-m", "tunisia_report", "render", "--formats", "", *args],
                              cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)

    assert with_epoch("1400000000").returncode == 0
    assert "up to date" in with_epoch("1400000000").stdout
    changed = with_epoch("1500000000")
    assert changed.returncode == 0 and "up to date" not in changed.stdout


def test_concurrent_renders_into_one_folder_take_turns(tmp_path):
    args = [PYTHON, "-m", "tunisia_report", "render", "--formats", "", "--force",
            "--notebook", fixture("slow"), "--output-dir", str(tmp_path)]
    first = subprocess.Popen([*args, "-p", "seconds", "4"], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while not (tmp_path / ".render.lock").exists() or not list(tmp_path.glob(".staging-*")):
        assert first.poll() is None, first.communicate()
        time.sleep(0.05)
    second = subprocess.run([*args, "-p", "seconds", "0.5"], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert first.wait(timeout=600) == 0, first.communicate()
    assert second.returncode == 0, second.stderr
    assert f"another render is writing into {tmp_path}; waiting" in second.stderr
    # The second render ran after the first had published: its notebook is the one kept.
    nb = json.loads((tmp_path / "slow.ipynb").read_text())
    assert nb["metadata"]["papermill"]["parameters"] == {"seconds": 0.5}


def test_an_edit_to_one_notebook_runs_only_that_notebook(tmp_path):
    """The cache is keyed per notebook: its source, parameters, data and the code."""
    other = tmp_path / "other.ipynb"  # writing a figure file of its own (one writer each)
    other.write_text(Path(fixture("passes")).read_text().replace("greeting.txt", "other.txt"))
    out = tmp_path / "out"
    args = ["--notebook", fixture("passes"), "--notebook", str(other), "--output-dir", str(out),
            "-p", "figures_dir", str(out / "figures")]
    assert render(*args, pool=True).returncode == 0
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.glob("*.ipynb")}
    nb = json.loads(other.read_text())
    nb["cells"][0]["source"].append("\nOne more sentence.")
    other.write_text(json.dumps(nb, indent=1))

    edited = render(*args, pool=True)
    assert edited.returncode == 0, edited.stderr
    assert "1 of 2 notebooks up to date; running other.ipynb" in edited.stdout
    assert (out / "passes.ipynb").stat().st_mtime_ns == mtimes["passes.ipynb"]
    assert (out / "other.ipynb").stat().st_mtime_ns != mtimes["other.ipynb"]
    assert "One more sentence." in (out / "other.ipynb").read_text()
    assert "up to date, nothing to do" in render(*args, pool=True).stdout

    (out / "figures" / "greeting.txt").unlink()  # an output of one: that one runs again
    again = render(*args, pool=True)
    assert "1 of 2 notebooks up to date; running passes.ipynb" in again.stdout
    assert (out / "figures" / "greeting.txt").is_file()


@pytest.mark.parametrize("record", ["{not json", "[]", '{"notebooks": {"x": 1}}'])
def test_a_corrupt_render_record_is_read_as_absent_with_a_warning(tmp_path, record):
    args = ["--notebook", fixture("passes"), "--output-dir", str(tmp_path)]
    assert render(*args).returncode == 0
    (tmp_path / ".render.json").write_text(record)
    proc = render(*args)
    assert proc.returncode == 0, proc.stderr
    assert f"warning: {tmp_path / '.render.json'}: unreadable render record" in proc.stderr
    assert "wrote" in proc.stdout
    assert "up to date, nothing to do" in render(*args).stdout  # the record is whole again
def test_a_target_that_cannot_be_replaced_publishes_nothing(tmp_path):
    args = ["--notebook", fixture("passes"), "--output-dir", str(tmp_path)]
    assert render(*args, "-p", "greeting", "old").returncode == 0
    (tmp_path / "passes.ipynb").unlink()
    (tmp_path / "passes.ipynb").mkdir()  # portable stand-in for `chattr +i`
    (tmp_path / "passes.ipynb" / "x").write_text("")
    proc = render(*args, "-p", "greeting", "new")
    assert proc.returncode == 1
    assert f"{tmp_path / 'passes.ipynb'} cannot be replaced (a folder is in its place)" in \
        proc.stderr
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "figures" / "greeting.txt").read_text() == "old"
