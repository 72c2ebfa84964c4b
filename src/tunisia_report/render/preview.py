"""Live preview: the HTML report re-rendered as its inputs are saved (`make preview`).

`Preview` keeps, for each notebook it shows, the last executed notebook and the last good page.
`watch` polls the inputs: the notebooks, the data folder and the message catalogues. A saved
notebook whose code cells are unchanged and whose Markdown cells ask only for expression values
already known (`reuse_outputs`) is exported again from the executed notebook's outputs, with no
kernel; an edit to code runs that notebook alone; a data file or a catalogue runs every notebook
shown. A failed render keeps the last good page and shows its error above it (`pages`). The
server (`preview_server`) reloads the browser when a new page is published.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tunisia_report.display import EXPRESSIONS_KEY
from tunisia_report.paths import DATA_DIR, PACKAGE_DIR
from tunisia_report.text.prose import expressions, source

LOCALE_DIR = PACKAGE_DIR / "locale"
POLL_S = 0.1  # how often the inputs are looked at
INJECTED_TAG = "injected-parameters"


def _code_cells(nb) -> list[dict]:
    return [c for c in nb["cells"] if c.get("cell_type") == "code"
            and INJECTED_TAG not in (c.get("metadata") or {}).get("tags", [])]


def known_values(nb) -> dict[str, dict]:
    """Every expression an executed notebook's Markdown cells evaluated -> its stored result."""
    values = {}
    for cell in nb["cells"]:
        for entry in (cell.get("metadata") or {}).get(EXPRESSIONS_KEY) or []:
            if (entry.get("result") or {}).get("status") == "ok":
                values[entry["expression"]] = entry["result"]
    return values


def reuse_outputs(executed, edited):
    """`edited` (a notebook as saved) with the outputs and expression values of `executed` (its
    last run), or None when that needs a kernel: a code cell added, removed or changed, or an
    expression whose value the run did not compute. Markdown and raw cells may change freely."""
    import nbformat

    old_code, new_code = _code_cells(executed), _code_cells(edited)
    if [source(c) for c in old_code] != [source(c) for c in new_code]:
        return None
    values = known_values(executed)
    injected = [c for c in executed["cells"]
                if INJECTED_TAG in (c.get("metadata") or {}).get("tags", [])]
    ran = iter(old_code)
    cells = []
    for cell in edited["cells"]:
        if cell.get("cell_type") == "code":
            cells.append(copy.deepcopy(next(ran)))
            if "parameters" in (cell.get("metadata") or {}).get("tags", []):
                cells.extend(copy.deepcopy(injected))
            continue
        cell = copy.deepcopy(cell)
        found = expressions(source(cell)) if cell.get("cell_type") == "markdown" else []
        if any(e not in values for e in found):
            return None
        cell.setdefault("metadata", {}).pop(EXPRESSIONS_KEY, None)
        if found:
            cell["metadata"][EXPRESSIONS_KEY] = [{"expression": e, "result": values[e]}
                                                 for e in found]
        cells.append(cell)
    nb = copy.deepcopy({k: v for k, v in executed.items() if k != "cells"})
    nb["cells"] = cells
    return nbformat.from_dict(nb)


@dataclass
class Update:
    """What one round of changes did: the notebooks re-run with a kernel, those exported from
    their last run's outputs, how long it took, and the error if it failed."""

    ran: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None


class Preview:
    """The pages of the notebooks shown, kept up to date with their inputs."""

    def __init__(self, notebooks: list[Path], parameters: dict[str, dict], workdir: Path,
                 data_dir: Path | None = None, log=None):
        self.notebooks = [Path(p).resolve() for p in notebooks]
        self.parameters = parameters
        self.workdir = Path(workdir)
        self.data_dir = Path(data_dir or DATA_DIR).resolve()
        self.log = log or (lambda text: None)
        self.executed: dict[str, object] = {}
        self.pages: dict[str, str] = {}  # the last good page of each notebook
        self.error: str | None = None
        self.version = 0
        self.changed = threading.Condition()
        self.last: Update | None = None

    # What is watched ---------------------------------------------------------------------
    def inputs(self) -> dict[Path, tuple[int, int]]:
        """Every watched file -> (modification time, size)."""
        files = list(self.notebooks)
        for folder in (self.data_dir, LOCALE_DIR):
            files += [p for p in folder.rglob("*") if p.is_file()
                      and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                      and p.suffix != ".mo"]
        found = {}
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    # Rendering ---------------------------------------------------------------------------
    def update(self, changed: set[Path] | None = None) -> Update:
        """Bring the pages up to date after `changed` files (None: everything) and publish."""
        started = time.perf_counter()
        done = Update()
        everything = changed is None or any(p not in self.notebooks for p in changed)
        if changed is not None and any(LOCALE_DIR in p.parents for p in changed):
            from tunisia_report.text.i18n import translations

            translations.cache_clear()  # the catalogues are read again
        targets = list(self.notebooks) if everything else [p for p in self.notebooks
                                                           if p in changed]
        try:
            if everything and changed is not None:
                from tunisia_report.dataset.validate import validate

                validate(self.data_dir)
            pages = {}
            for path in targets:
                nb, how = self.notebook(path, reuse=not everything)
                (done.reused if how == "reused" else done.ran).append(path.name)
                pages[path.name] = self.export(nb, path)
                self.executed[path.name] = nb
        except Exception as exc:  # any failure shows on the page; the last good page stays
            done.error = _describe(exc)
        else:
            self.pages.update(pages)
        done.seconds = time.perf_counter() - started
        self.publish(done)
        return done

    def notebook(self, path: Path, reuse: bool):
        """The executed notebook for `path` as saved, and how: "reused" or "ran"."""
        import nbformat

        saved = nbformat.read(str(path), as_version=4)
        previous = self.executed.get(path.name)
        if reuse and previous is not None:
            nb = reuse_outputs(previous, saved)
            if nb is not None:
                return nb, "reused"
        return self.run(path), "ran"

    def run(self, path: Path):
        """Execute the notebook with papermill into the preview's folder (its charts there)."""
        from tunisia_report.parameters import notebook_parameters
        from tunisia_report.render.execute import execute

        parameters = dict(self.parameters.get(path.name, {}))
        if any(p.name == "figures_dir" for p in notebook_parameters(path)):
            parameters["figures_dir"] = str(self.workdir / "figures" / path.stem)
        self.log(f"preview: running {path.name}")
        return execute(path, self.workdir / path.name, parameters, cwd=path.parent)

    def export(self, nb, path: Path) -> str:
        from tunisia_report.export import notebook_to_html

        return notebook_to_html(nb, resources={"metadata": {"name": path.name,
                                                            "path": str(path.parent)}})

    def publish(self, done: Update) -> None:
        with self.changed:
            self.error = done.error
            self.last = done
            self.version += 1
            self.changed.notify_all()

    # The loop ----------------------------------------------------------------------------
    def watch(self, stop: threading.Event, poll: float = POLL_S) -> None:
        """Until `stop` is set: look at the inputs every `poll` seconds; update on a change."""
        seen = self.inputs()
        while not stop.wait(poll):
            now = self.inputs()
            changed = {p for p in now.keys() | seen.keys() if now.get(p) != seen.get(p)}
            if not changed:
                continue
            time.sleep(poll)  # an editor writing in several steps: read the file once settled
            now = self.inputs()
            changed |= {p for p in now.keys() | seen.keys() if now.get(p) != seen.get(p)}
            seen = now
            done = self.update(changed)
            how = (f"error: {done.error}" if done.error else
                   ", ".join([*(f"{n}: words only" for n in done.reused),
                              *(f"{n}: ran" for n in done.ran)]))
            self.log(f"preview: {how} ({done.seconds:.1f} s)")

    def record(self) -> dict:
        """The last update, for the page's status and the benchmark."""
        last = self.last
        return {} if last is None else {"ran": last.ran, "reused": last.reused,
                                        "seconds": round(last.seconds, 3), "error": last.error}


def _describe(exc: Exception) -> str:
    from tunisia_report.exceptions import DataValidationError

    if isinstance(exc, DataValidationError):
        return "\n".join(exc.problems) or str(exc)
    if isinstance(exc, json.JSONDecodeError | ValueError) and "JSON" in type(exc).__name__:
        return f"the notebook is not valid JSON yet ({exc})"
    return str(exc) or type(exc).__name__
