"""Time the report pipeline against baselines measured in the same run (`make bench`).

The machine is shared and noisy, so each row times a command and its baseline alternately, rep
by rep (rotating the order), and reports min and median of each; a ratio is measured median /
baseline median. Prints each row as it completes, then a table, and writes reports/bench.json.
Exits 1 when a command fails or a target is missed (the targets are the project's, issue 27:
never loosened here); exit 0 means every row met its target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable  # the venv's python: `make bench` and the README run it as .venv/bin/python
BIN = Path(PY).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
RENDER = [PY, "-m", "tunisia_report", "render"]
PASS = [PY, "-c", "pass"]

IN_PROCESS_PDF = """
import json, sys, time
import nbformat
from tunisia_report.export import notebook_to_pdf
nb = nbformat.read(sys.argv[1], as_version=4)
notebook_to_pdf(nb)  # warm-up: imports, pandoc and Typst binaries in the page cache
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    notebook_to_pdf(nb)
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


IN_PROCESS_FORMATS = """
import json, sys, time
from pathlib import Path
import nbformat
from tunisia_report.export import notebook_to_docx, notebook_to_html, notebook_to_pdf
from tunisia_report.export.downloads import write_downloads
from tunisia_report.paths import DATA_DIR
from tunisia_report.render.index import write_index
nb = nbformat.read(sys.argv[1], as_version=4)
folder = Path(sys.argv[3])  # in the bench's own folder, removed with it
folder.mkdir(parents=True, exist_ok=True)

def today():
    notebook_to_html(nb)
    notebook_to_pdf(nb)

def new():
    notebook_to_docx(nb)
    write_downloads(DATA_DIR, folder)
    write_index(folder)

today(), new()  # warm-up: imports, binaries in the page cache
times = {"today": [], "new": []}
for _ in range(int(sys.argv[2])):
    for name, step in (("today", today), ("new", new)):
        start = time.perf_counter()
        step()
        times[name].append(time.perf_counter() - start)
print(json.dumps(times))
"""


class CommandFailed(Exception):
    """A benchmarked command exited non-zero."""


@dataclass
class Row:
    """One line of the table; times in seconds."""

    row: str
    name: str
    measured: list[float]
    baseline: list[float] | None
    baseline_name: str
    target: str
    met: bool | None  # None: not applicable (no target, or the baseline is not installed)
    note: str = ""
    floor: list[float] | None = None  # the measured floor (row 0), for a second ratio
    peak_mb: float | None = None  # peak memory of the largest process, for the scale rows

    @property
    def floor_ratio(self) -> float | None:
        if not self.floor:
            return None
        return statistics.median(self.measured) / statistics.median(self.floor)

    @property
    def ratio(self) -> float | None:
        if not self.baseline:
            return None
        return statistics.median(self.measured) / statistics.median(self.baseline)

    def to_json(self) -> dict:
        data = asdict(self)
        data["measured"] = summary(self.measured)
        data["baseline"] = summary(self.baseline)
        data["ratio"] = None if self.ratio is None else round(self.ratio, 4)
        data["floor"] = summary(self.floor)
        data["floor_ratio"] = None if self.floor_ratio is None else round(self.floor_ratio, 4)
        data["ratio_of"] = "medians (measured / baseline)"
        return data


def summary(times: list[float] | None) -> dict | None:
    if not times:
        return None
    return {"min": round(min(times), 4), "median": round(statistics.median(times), 4),
            "times": [round(t, 4) for t in times]}


def run(argv: list[str]) -> subprocess.CompletedProcess:
    """Run a command from the repository root; raise CommandFailed with its last lines."""
    proc = subprocess.run(argv, cwd=ROOT, env=ENV, capture_output=True, text=True)
    if proc.returncode:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-8:])
        raise CommandFailed(f"{shlex.join(map(str, argv))} exited {proc.returncode}:\n{tail}")
    return proc


def alternate(steps: dict[str, list[list[str]]], reps: int):
    """Time each step (commands run one after another) `reps` times, interleaved.

    Returns times and stdouts by step name.
    """
    names = list(steps)
    times: dict[str, list[float]] = {n: [] for n in names}
    outputs: dict[str, list[str]] = {n: [] for n in names}
    for rep in range(reps):
        shift = rep % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            out = "".join(run(argv).stdout for argv in steps[name])
            times[name].append(time.perf_counter() - start)
            outputs[name].append(out)
    return times, outputs


def ratio_row(row: str, name: str, measured, baseline, baseline_name: str, limit: float,
              note: str = "") -> Row:
    ratio = statistics.median(measured) / statistics.median(baseline)
    return Row(row, name, measured, baseline, baseline_name, f"ratio <= {limit}",
               ratio <= limit, note)


def cold(tmp: Path, argv: list[str]) -> list[list[str]]:
    """`argv` with an empty chart store of its own: a cold render reuses only what it drew."""
    store = tmp / "chart-store"
    return [["rm", "-rf", str(store)], ["env", f"TUNISIA_CHART_STORE={store}", *argv]]


FLOOR = """
import contextlib, io, json, sys, time
start = time.perf_counter()
from pathlib import Path
import nbformat
from IPython.core.interactiveshell import InteractiveShell
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
from tunisia_report.export import notebook_to_docx, notebook_to_html, notebook_to_pdf
from tunisia_report.export.downloads import write_downloads
from tunisia_report.paths import DATA_DIR
from tunisia_report.render.index import write_index
from tunisia_report.render.kernels import RESET
notebooks = json.loads(sys.argv[1])  # [[path, {parameter: value}], ...] as the render runs them
out = Path(sys.argv[3])
shell = InteractiveShell.instance()
cells = 0
for path, parameters in notebooks:
    nb = parameterize_notebook(load_notebook_node(path), parameters)  # as papermill does
    with contextlib.chdir(Path(path).parent), contextlib.redirect_stdout(io.StringIO()):
        for cell in nb.cells:
            if cell.cell_type == "code":
                shell.run_cell(cell.source, store_history=False).raise_error()
                cells += 1
        shell.run_cell(RESET, store_history=False).raise_error()
nb = nbformat.read(sys.argv[2], as_version=4)  # the render's executed report: the same outputs
(out / "report.html").write_text(notebook_to_html(nb), encoding="utf-8")
(out / "report.pdf").write_bytes(notebook_to_pdf(nb))
(out / "report.docx").write_bytes(notebook_to_docx(nb))
write_downloads(DATA_DIR, out)
write_index(out)
print(json.dumps({"seconds": time.perf_counter() - start, "notebooks": len(notebooks),
                  "cells": cells}))
"""


def floor_notebooks(tmp: Path, figures: Path) -> list:
    """The default render's notebooks in order with the parameters it gives each (its figures
    into `figures`)."""
    from tunisia_report.parameters import notebook_parameters
    from tunisia_report.render.plan import Options, plan

    job = plan(Options(output_dir=tmp / "render-j1"))[0]
    out = []
    for nb in job.notebooks:
        params = dict(job.parameters.get(nb.name, {}))
        if "figures_dir" in {p.name for p in notebook_parameters(nb)}:
            params["figures_dir"] = str(figures)
        out.append([str(nb), params])
    return out


def floor_row(tmp: Path, reps: int) -> Row:
    """Row 0: the render's own work in one process, no kernel, no papermill: import the stack,
    run every notebook's code cells in one IPython shell with the render's parameters (the
    dataset loaded and validated, every chart drawn and saved as the render draws it, wide and
    for a phone, every text and citation written), with an empty chart store as the render
    rows have; then write every format the render writes of its executed report: HTML, PDF,
    Word, the downloads and the index. What a render takes beyond it is kernels, papermill,
    processes and files."""
    executed = tmp / "render-j1" / "report.ipynb"
    if not executed.exists():
        run([*RENDER, "--force", "--output-dir", str(tmp / "render-j1")])
    out = tmp / "floor"
    out.mkdir(parents=True, exist_ok=True)
    notebooks = json.dumps(floor_notebooks(tmp, out / "figures"))
    argv = [PY, "-c", FLOOR, notebooks, str(executed), str(out)]
    times, outputs = alternate({"floor": cold(tmp, argv)}, reps)
    done = json.loads(outputs["floor"][0])
    return Row("0", "floor: one process, no kernel", times["floor"], None, "-",
               "none (the measure of the others)", None,
               f"{done['notebooks']} notebooks' {done['cells']} code cells in one shell, cold "
               "chart store; HTML + PDF + DOCX + downloads + index written")


def papermill_floor(tmp: Path) -> list[list[str]]:
    """The plain papermill CLI on the default render's notebooks, with its parameters."""
    from tunisia_report.parameters import declared_parameters, read_notebook
    from tunisia_report.render.plan import Options, plan

    job = plan(Options(output_dir=tmp / "render-j1"))[0]
    out = tmp / "papermill"
    out.mkdir(parents=True, exist_ok=True)
    commands = []
    for nb in job.notebooks:
        argv = ["env", "TUNISIA_CHART_STORE=off",  # bare papermill: every chart drawn again
                str(BIN / "papermill"), str(nb), str(out / nb.name), "--cwd", str(nb.parent),
                "-k", "python3", "--no-progress-bar"]
        params = {k: v for k, v in job.parameters.get(nb.name, {}).items() if k != "figures_dir"}
        if params:
            argv += ["-y", json.dumps(params)]  # JSON is YAML
        if "figures_dir" in {p.name for p in declared_parameters(read_notebook(nb))}:
            argv += ["-p", "figures_dir", str(tmp / "pm-figures")]
        commands.append(argv)
    return commands


def render_rows(tmp: Path, reps: int, floor: Row | None = None) -> list[Row]:
    """Rows 1 and 1b: a cold forced render, `--jobs 1` and the default job count (one per
    core), against papermill alone and against the floor."""
    force = [*RENDER, "--force", "--output-dir"]
    floor_times = floor.measured if floor else None
    pm = papermill_floor(tmp)
    times, _ = alternate({"jobs1": cold(tmp, [*force, str(tmp / "render-j1"), "--jobs", "1"]),
                          "default": cold(tmp, [*force, str(tmp / "render-j2")]),
                          "papermill": pm}, reps)
    baseline = f"papermill CLI, the {len(pm)} notebooks in turn, same parameters"
    note = ("validate + execute + every format (HTML, PDF, DOCX, downloads), vs execute only; "
            "cold chart store")
    rows = []
    for row, name, key, floor_limit in (("1", "render --force --jobs 1", "jobs1", 1.5),
                                        ("1b", f"render --force (default: --jobs "
                                               f"{os.cpu_count()})", "default", 1.25)):
        new = ratio_row(row, name, times[key], times["papermill"], baseline, 0.6, note)
        new.floor = floor_times
        new.target = f"ratio <= 0.6; <= {floor_limit} x floor"
        new.met = bool(new.met and new.floor_ratio is not None
                       and new.floor_ratio <= floor_limit)
        rows.append(new)
    return rows


EDITED_NOTEBOOK = ROOT / "notebooks" / "report.ipynb"


def edit_row(tmp: Path, reps: int, forced: Row | None = None) -> Row:
    """Row 1c: the edit loop. A sentence added to a Markdown cell of report.ipynb, then a render
    into a folder that was up to date: only that notebook and its exports run again (the cache
    is per notebook). Each rep adds another sentence; the notebook is restored afterwards."""
    render = [*RENDER, "--output-dir", str(tmp / "edit")]
    run(render)  # up to date before the first edit
    original = EDITED_NOTEBOOK.read_bytes()
    times, outputs = [], []
    try:
        for rep in range(reps):
            nb = json.loads(original)
            prose = [c for c in nb["cells"] if c["cell_type"] == "markdown"
                     and "remove-cell" not in c.get("metadata", {}).get("tags", [])]
            cell = next((c for c in prose if not c.get("metadata", {}).get("tags")), prose[0])
            cell["source"] = "".join(cell["source"]) + f"\n\nAn edited sentence ({rep + 1})."
            EDITED_NOTEBOOK.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
            start = time.perf_counter()
            outputs.append(run(render).stdout)
            times.append(time.perf_counter() - start)
    finally:
        EDITED_NOTEBOOK.write_bytes(original)
    alone = sum("running report.ipynb" in out for out in outputs)
    row = Row("1c", "render after a one-sentence edit in report.ipynb", times,
              forced.measured if forced else None, "row 1 (render --force --jobs 1)",
              "ratio <= 0.5", None, f"{alone} of {reps} reps ran report.ipynb alone; warm "
              "chart store, as `make report`")
    row.met = alone == reps and (row.ratio is None or row.ratio <= 0.5)
    return row


def preview_rows(tmp: Path, reps: int) -> list[Row]:
    """Rows 7a and 7b: `preview` on copies of report.ipynb and 01_casualties.ipynb. 7a: a
    sentence added to a Markdown cell of the report, from the save to the new page published
    (no kernel: the last run's outputs and expression values reused); 7b: a comment added to a
    code cell of 01_casualties.ipynb, which alone runs again."""
    import urllib.request

    folder = tmp / "preview"
    shutil.copytree(ROOT / "notebooks", folder)
    report, casualties = folder / "report.ipynb", folder / "01_casualties.ipynb"
    proc = subprocess.Popen([PY, "-m", "tunisia_report", "preview", "--port", "0",
                             "--notebook", str(report), "--notebook", str(casualties)],
                            cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)

    def status() -> dict:
        with urllib.request.urlopen(base + "_preview/status", timeout=30) as response:
            return json.loads(response.read())

    def published(after: int, limit: float = 900) -> dict:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            now = status()
            if now["version"] > after:
                return now
            time.sleep(0.02)
        raise CommandFailed("preview: no new page within 15 minutes")

    def edit(path: Path, kind: str, text: str) -> None:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if c["cell_type"] == kind
                    and not c.get("metadata", {}).get("tags"))
        cell["source"] = "".join(cell["source"]) + text
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    try:
        base = proc.stdout.readline().split()[1]
        first = published(0)
        if first.get("error"):
            raise CommandFailed(f"preview: the first render failed: {first['error']}")
        words, code, reused, alone = [], [], 0, 0
        for rep in range(reps):
            for kind, path, text, times in (
                    ("markdown", report, f"\n\nA sentence added ({rep + 1}).", words),
                    ("code", casualties, f"\n# an edit ({rep + 1})", code)):
                version = status()["version"]
                start = time.perf_counter()
                edit(path, kind, text)
                now = published(version)
                times.append(time.perf_counter() - start)
                if now.get("error"):
                    raise CommandFailed(f"preview: {now['error']}")
                reused += now["reused"] == ["report.ipynb"] and kind == "markdown"
                alone += now["ran"] == ["01_casualties.ipynb"] and kind == "code"
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return [Row("7a", "preview: a sentence added to report.ipynb, save to page", words, None,
                "-", "median < 2 s", statistics.median(words) < 2.0 and reused == reps,
                f"{reused} of {reps} reps without a kernel"),
            Row("7b", "preview: a code edit in 01_casualties.ipynb, save to page", code, None,
                "-", "runs that notebook alone", alone == reps,
                f"{alone} of {reps} reps ran 01_casualties.ipynb alone")]


def noop_row(tmp: Path, reps: int) -> Row:
    """Row 3: a render with nothing changed, into row 1's output folder."""
    noop = [*RENDER, "--output-dir", str(tmp / "render-j1")]
    run(noop)  # renders again only if the inputs changed since row 1 (someone's edit)
    times, outputs = alternate({"noop": [noop], "pass": [PASS]}, reps)
    again = sum("up to date" not in out for out in outputs["noop"])
    note = "absolute target; ratio for reference"
    if again:
        note += (f"; {again} of {reps} reps rendered again: the inputs changed during the "
                 "bench (concurrent edits?)")
    return Row("3", "no-op render", times["noop"], times["pass"], "python -c pass",
               "median <= 150 ms", statistics.median(times["noop"]) <= 0.150, note)


def pandoc_dir() -> str:
    """The folder of the pandoc that the pypandoc_binary wheel ships (LaTeX export needs it)."""
    code = "import os, pypandoc; print(os.path.dirname(pypandoc.get_pandoc_path()))"
    return run([PY, "-c", code]).stdout.strip()


def latex_failure(notebook: Path, out: Path) -> str:
    """Why nbconvert's LaTeX PDF fails on `notebook` ('' when it works)."""
    proc = subprocess.run([str(BIN / "jupyter"), "nbconvert", str(notebook), "--output-dir",
                           str(out), "--to", "pdf", *LATEX_OPTIONS], cwd=ROOT, env=ENV,
                          capture_output=True, text=True)
    if proc.returncode == 0:
        return ""
    errors = re.findall(r"! (LaTeX Error: [^\\\n]+)", proc.stderr)
    return errors[0] if errors else proc.stderr.strip().splitlines()[-1]


# Without Inkscape, nbconvert cannot turn SVG outputs into PDF; the PNG of each chart is used.
LATEX_OPTIONS = ["--SVG2PDFPreprocessor.enabled=False"]


def pdf_rows(tmp: Path, reps: int, inner_reps: int) -> list[Row]:
    """Row 2: nbconvert to PDF through Typst vs LaTeX; 2b: the in-process step alone."""
    executed = tmp / "render-j1" / "report.ipynb"
    name = "nbconvert --to typstpdf"
    baseline = "nbconvert --to pdf (xelatex)"
    notebook, note = executed, ""
    if shutil.which("xelatex", path=ENV["PATH"]):
        ENV["PATH"] = f"{pandoc_dir()}{os.pathsep}{ENV['PATH']}"
        failure = latex_failure(executed, tmp / "pdf-latex-probe")
        if failure:
            notebook = tmp / "render-j1" / "01_casualties.ipynb"
            note = (f"LaTeX fails on report.ipynb ({failure}); both timed on "
                    f"{notebook.name}, which it can typeset; SVG charts taken as PNG")
    nbconvert = [str(BIN / "jupyter"), "nbconvert", str(notebook), "--output-dir"]
    steps = {"typst": [[*nbconvert, str(tmp / "pdf-typst"), "--to", "typstpdf"]]}
    if shutil.which("xelatex", path=ENV["PATH"]):
        steps["latex"] = [[*nbconvert, str(tmp / "pdf-latex"), "--to", "pdf", *LATEX_OPTIONS]]
    times, _ = alternate(steps, reps)
    if "latex" in steps:
        pdf = ratio_row("2", name, times["typst"], times["latex"], baseline, 0.25, note)
    else:
        pdf = Row("2", name, times["typst"], None, baseline, "ratio <= 0.25", None,
                  "baseline not installed: no xelatex on PATH")
    inner = json.loads(run([PY, "-c", IN_PROCESS_PDF, str(executed), str(inner_reps)]).stdout)
    in_process = Row("2b", "notebook_to_pdf(nb) in-process", inner, None, "-",
                     "median <= 300 ms", statistics.median(inner) <= 0.3,
                     "one Python process, after a warm-up call")
    return [pdf, in_process]


def formats_row(tmp: Path, reps: int) -> Row:
    """Row 2c: what the Word edition, the downloads and the index add to a render's exports:
    in one process, against today's HTML and PDF exports of the same executed report."""
    executed = tmp / "render-j1" / "report.ipynb"
    if not executed.is_file():  # row 1 did not run (or failed): render once for the notebook
        run([*RENDER, "--force", "--jobs", "2", "--output-dir", str(tmp / "render-j1")])
    times = json.loads(run([PY, "-c", IN_PROCESS_FORMATS, str(executed), str(reps),
                            str(tmp / "formats")]).stdout)
    return ratio_row("2c", "DOCX + downloads + index in-process", times["new"], times["today"],
                     "HTML + PDF exports in-process", 0.5,
                     "notebook_to_docx, sources.json/.bib/.ris, data.zip, claims.csv, index.html")


def variants_row(tmp: Path, reps: int) -> Row:
    """Row 4: every edition and the brief against the English report alone, both --jobs 2."""
    cmd = [*RENDER, "--force", "--jobs", "2", "--output-dir"]
    times, _ = alternate({"all": cold(tmp, [*cmd, str(tmp / "variants"), "--all-variants"]),
                          "en": cold(tmp, [*cmd, str(tmp / "english")])}, reps)
    return ratio_row("4", "--all-variants --jobs 2", times["all"], times["en"],
                     "the English report alone, --jobs 2", 2.0, "cold chart store")


PEAK = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], capture_output=True).returncode
seconds = time.perf_counter() - start
# ru_maxrss of waited-for descendants: the largest process of the render (driver or a kernel)
print(code, seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""
SCALE_MEMORY_MB = 1024  # the bound the scale rows are held to: one process under 1 GiB


def scale_rows(tmp: Path, reps: int, one: Row | None = None) -> list[Row]:
    """Rows 6a-6b: the render of a dataset 10 and 100 times the size (every figure, event,
    measure and report repeated): time and peak memory of the largest process."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from scaled_data import scaled_copy

    rows = []
    for label, times_n in (("6a", 10), ("6b", 100)):
        data = scaled_copy(times_n, tmp / f"data-x{times_n}")
        argv = [PY, "-c", PEAK, "env", f"TUNISIA_CHART_STORE={tmp / f'store-x{times_n}'}",
                *RENDER, "--force", "--jobs", "1", "--output-dir", str(tmp / f"scale-x{times_n}"),
                "-p", "data_dir", str(data)]
        measured, peaks = [], []
        for _ in range(reps):
            shutil.rmtree(tmp / f"store-x{times_n}", ignore_errors=True)
            code, seconds, peak = run(argv).stdout.split()
            if code != "0":
                raise CommandFailed(f"the render of the {times_n}x dataset exited {code}")
            measured.append(float(seconds))
            peaks.append(float(peak))
        row = Row(label, f"render --force --jobs 1, dataset x{times_n}", measured,
                  one.measured if one else None, "row 1 (the dataset as it is)",
                  f"ratio <= {times_n}; peak < {SCALE_MEMORY_MB} MB", None,
                  f"peak memory of the largest process {max(peaks):.0f} MB")
        row.peak_mb = max(peaks)
        row.met = (row.ratio is None or row.ratio <= times_n) and row.peak_mb < SCALE_MEMORY_MB
        rows.append(row)
    return rows


def slowest_imports(argv: list[str], count: int = 5) -> str:
    """The `count` imports with the largest cumulative time under -X importtime."""
    stderr = run([PY, "-X", "importtime", *argv]).stderr
    found = re.findall(r"import time:\s+\d+ \|\s+(\d+) \|\s+(\S+)", stderr)
    top = sorted(((int(us), name) for us, name in found), reverse=True)[:count]
    return ", ".join(f"{name} {us / 1000:.1f} ms" for us, name in top)


def startup_rows(tmp: Path, reps: int) -> list[Row]:
    """Row 5: import and --help against an empty interpreter."""
    commands = {"5a": ("import tunisia_report", [PY, "-c", "import tunisia_report"]),
                "5b": ("python -m tunisia_report --help", [PY, "-m", "tunisia_report", "--help"]),
                "5c": ("python -m tunisia_report render --help", [*RENDER, "--help"])}
    steps = {row: [argv] for row, (_, argv) in commands.items()}
    times, _ = alternate({**steps, "pass": [PASS]}, reps)
    slowest = slowest_imports(["-m", "tunisia_report", "render", "--help"])
    return [Row(row, name, times[row], times["pass"], "python -c pass", "none (informational)",
                None, f"slowest imports (cumulative): {slowest}" if row == "5c" else "")
            for row, (name, _) in commands.items()]


def seconds(times: list[float] | None) -> str:
    if not times:
        return "-"
    low, med = min(times), statistics.median(times)
    if med < 1:
        return f"{low * 1000:.0f}/{med * 1000:.0f} ms"
    return f"{low:.2f}/{med:.2f} s"


def cells(row: Row) -> list[str]:
    met = {True: "yes", False: "NO", None: "n/a"}[row.met]
    ratio = "-" if row.ratio is None else f"{row.ratio:.2f}"
    floor = "-" if row.floor_ratio is None else f"{row.floor_ratio:.2f}"
    measured = seconds(row.measured)
    if row.peak_mb is not None:
        measured += f", peak {row.peak_mb:.0f} MB"
    return [f"{row.row} {row.name}", measured, seconds(row.baseline), ratio, floor,
            row.target, met]


HEADER = ["row", "measured min/med", "baseline min/med", "ratio (of medians)", "x floor",
          "target", "met"]


def table(rows: list[Row]) -> str:
    lines = [HEADER, *(cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    out = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
           for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {r.row}: " + "; ".join(filter(None, [
        f"baseline {r.baseline_name}" if r.baseline_name != "-" else "", r.note])) for r in rows]
    return "\n".join([*out, "", "notes:", *notes])


README = ROOT / "docs" / "benchmarks.md"  # the table's page
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def markdown_table(rows: list[Row], info: dict, heavy: int, elapsed: float) -> str:
    """The README's benchmark block: where and how it was measured, then one row per line."""
    lines = [f"Latest run, generated by `make bench` ({info['platform']}, {info['cpu_count']} "
             f"CPUs, Python {info['python']}; {heavy} repetition(s) of each render, "
             f"{elapsed:.0f} s in all; load average {info.get('load_average', ['?'])[0]} at "
             f"the start, {info.get('load_average_end', ['?'])[0]} at the end):", "",
             "| row | measured (min/median) | baseline (min/median) | ratio | × floor | target "
             "| met |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        row_cells = cells(row)
        baseline = row_cells[2] if row.baseline_name in ("", "-") else \
            f"{row.baseline_name}: {row_cells[2]}"
        lines.append("| " + " | ".join([row_cells[0], row_cells[1], baseline, *row_cells[3:]])
                     + " |")
    return "\n".join(lines)


def update_readme(block: str, path: Path = README) -> None:
    """Replace the text between the README's bench markers with `block`."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    path.write_text(f"{head}{README_START}\n{block}\n{README_END}{tail}", encoding="utf-8")


def machine() -> dict:
    return {"platform": platform.platform(), "machine": platform.machine(),
            "cpu_count": os.cpu_count(), "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            # Set, every Python process compiles the package's sources again (measured: 0.06 s
            # of the 0.35 s of CPU of a no-op render): a developer's machine writes them once.
            "PYTHONDONTWRITEBYTECODE": bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, metavar="N",
                        help="repetitions of each command that takes seconds: renders, nbconvert "
                             "(default 3); sub-second commands run 9N")
    parser.add_argument("--quick", action="store_true", help="one repetition (--reps 1)")
    parser.add_argument("--json", type=Path, default=ROOT / "reports" / "bench.json",
                        help="where to write the results (default: reports/bench.json)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary output folder")
    parser.add_argument("--no-readme", action="store_true",
                        help="do not write the table into README.md (a full run does)")
    parser.add_argument("--only", action="append", metavar="SECTION",
                        help="measure only this section (repeatable; e.g. 'new formats'); "
                             "the README keeps its table")
    args = parser.parse_args(argv)
    heavy = 1 if args.quick else max(1, args.reps)
    light = 9 * heavy  # 3 reps of the renders take about 6 minutes on 2 cores: the budget
    found: dict[str, Row] = {}
    sections = [("the floor", floor_row, (heavy,)),
                ("renders and the papermill baseline",
                 lambda tmp, reps: render_rows(tmp, reps, found.get("0")), (heavy,)),
                ("edit to report",
                 lambda tmp, reps: edit_row(tmp, reps, found.get("1")), (heavy,)),
                ("no-op render", noop_row, (light,)),
                ("PDF step", pdf_rows, (heavy, light)),
                ("new formats", formats_row, (light,)),
                ("variants", variants_row, (heavy,)),
                ("scale", lambda tmp, reps: scale_rows(tmp, reps, found.get("1")), (1,)),
                ("start-up", startup_rows, (light,)),
                ("preview", preview_rows, (heavy,))]
    if args.only:
        unknown = set(args.only) - {label for label, _, _ in sections}
        if unknown:
            parser.error(f"--only: unknown {', '.join(sorted(unknown))}; sections: "
                         + ", ".join(label for label, _, _ in sections))
        sections = [s for s in sections if s[0] in args.only]
        args.no_readme = True
    info = machine()
    print(f"{info['platform']}, {info['cpu_count']} CPUs, Python {info['python']}, "
          f"load {info['load_average']}; ratios are of medians")
    if info["PYTHONDONTWRITEBYTECODE"]:
        print("note: PYTHONDONTWRITEBYTECODE is set: each command compiles the package again "
              "(the start-up and no-op rows are slower than on a developer's machine)")
    tmp = Path(tempfile.mkdtemp(prefix="tunisia-bench-"))
    rows: list[Row] = []
    failures = []
    started = time.perf_counter()
    try:
        for label, measure, reps in sections:
            print(f"... {label} ({'/'.join(map(str, reps))} reps)", flush=True)
            try:
                new = measure(tmp, *reps)
            except CommandFailed as exc:
                failures.append(str(exc))
                print(f"error: {exc}", file=sys.stderr, flush=True)
                continue
            for row in new if isinstance(new, list) else [new]:
                rows.append(row)
                found[row.row] = row
                print("  " + " | ".join(cells(row)) + (f"  ({row.note})" if row.note else ""),
                      flush=True)
    finally:
        if args.keep:
            print(f"outputs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.perf_counter() - started
    rows.sort(key=lambda r: r.row)
    print(f"\n{table(rows)}\n\n{elapsed:.0f} s in all; "
          f"{sum(r.met is False for r in rows)} target(s) missed")
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    result = {"machine": info, "reps": {"seconds_long": heavy, "sub_second": light},
              "ratio": "median measured / median baseline", "elapsed_s": round(elapsed, 1),
              "rows": [r.to_json() for r in rows], "failures": failures}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.json}")
    if not (failures or args.no_readme or args.quick):
        update_readme(markdown_table(rows, info, heavy, elapsed))
        print(f"wrote the table into {README.relative_to(ROOT)}")
    missed = [r.row for r in rows if r.met is False]
    if missed:
        print(f"missed: {', '.join(missed)}", file=sys.stderr)
    return 1 if failures or missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
