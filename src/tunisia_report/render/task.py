"""One notebook's task: execute it in the job's staging folder, then export it (and, for the
report, write its downloads), each step a named file or a clear WriteError."""

from __future__ import annotations

import contextlib
import gc
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from tunisia_report.exceptions import WriteError
from tunisia_report.parameters import notebook_parameters
from tunisia_report.paths import DATA_DIR
from tunisia_report.render.plan import EXPORT_SUFFIX, REPORT_NAME


@dataclass
class Task:
    """One notebook of one job, executed in a staging folder."""

    job: str
    source: Path
    stage: Path
    figures_stage: Path
    figures_final: Path
    parameters: dict
    formats: tuple[str, ...]
    timeout: float | None
    kept_at: Path
    strict: bool = False  # an untranslated paragraph fails the export
    out_dir: Path | None = None  # where the job's files go (to name them in an error)


@contextlib.contextmanager
def writing(task: Task, name: str):
    """Within: an OSError (a full disk, a quota, a read-only folder) is one WriteError naming
    the file being made, as it will be published, instead of a traceback."""
    try:
        yield
    except OSError as exc:
        from tunisia_report.dataset.files import display_path

        where = display_path(task.out_dir / name) if task.out_dir else name
        raise WriteError(where, (exc.strerror or str(exc)).lower()) from None


def run_task(task: Task, progress=None, pool=None) -> list[Path]:
    """Execute one notebook (and export it when asked) in a kernel of `pool` if given (see
    `kernels`), which gets the kernel back for the next notebook; return the staged files."""
    from tunisia_report.render.execute import execute

    declared = {p.name for p in notebook_parameters(task.source)}
    parameters = dict(task.parameters)
    rename = {}
    if "figures_dir" in declared:
        parameters["figures_dir"] = str(task.figures_stage)
        rename[str(task.figures_stage)] = str(task.figures_final)
    target = task.stage / task.source.name
    cwd = task.source.parent
    # Imported here, as the pool's kernel starts (`take` waits for it), not by the threads
    # below: two threads importing one package whose modules import each other (jupyter_client)
    # can meet a partly made module ("cannot import name 'AsyncKernelManager'").
    import papermill  # noqa: F401 - 0.45 s of a render's path before
    if "html" in task.formats:
        import tunisia_report.export.html  # noqa: F401
    km = pool.take(cwd) if pool is not None else None
    warming = warm_html_export() if "html" in task.formats else None
    try:
        with writing(task, target.name):
            nb = execute(task.source, target, parameters, cwd=cwd, timeout=task.timeout,
                         progress=progress, kept_at=task.kept_at, rename=rename, km=km,
                         give_back=(lambda k, ok: pool.give_back(k, cwd, ok)) if pool else None)
    finally:
        if warming is not None:
            warming.join()
    _step(progress, "end", "run")
    # The exports run one after another (the downloads before them, in the driver): each sets
    # the edition's language (`i18n.language`), which is the process's, so two at once in
    # threads would translate with each other's (a French edition's came out in English).
    steps: dict[str, tuple[Path | None, object]] = {}
    if task.formats:
        from tunisia_report.export import notebook_to_docx, notebook_to_html, notebook_to_pdf
        from tunisia_report.export.downloads import DOWNLOADS

        resources = {"metadata": {"name": task.source.name}, "strict": task.strict}
        # The report's page links to the files written beside it (`run_downloads`).
        page = ({**resources, "downloads": list(DOWNLOADS)} if task.source.name == REPORT_NAME
                else resources)
        writers = {"html": lambda: notebook_to_html(nb, resources=page).encode("utf-8"),
                   "pdf": lambda: notebook_to_pdf(nb, resources=resources),
                   "docx": lambda: notebook_to_docx(nb, resources=resources)}
        for fmt in task.formats:
            steps[fmt] = (target.with_suffix(EXPORT_SUFFIX[fmt]), writers[fmt])
    return [target, *run_steps(task, steps, progress)]


def run_downloads(task: Task, progress=None, made: dict | None = None) -> list[Path]:
    """Beside the report: its data, claims and bibliography (`export.downloads`). They read
    only the data, so the driver writes them while the kernels start and run (see
    `Renderer.downloads`); nothing for another notebook. `made` ((data folder, language) ->
    the files written) lets a render copy what another of its editions wrote from the same
    data in the same language (the brief, the English report's) instead of judging it again."""
    if task.source.name != REPORT_NAME:
        return []
    from tunisia_report.export.downloads import write_downloads

    data_dir = Path(task.parameters.get("data_dir") or DATA_DIR)
    lang = task.parameters.get("lang", "en")

    def write() -> list[Path]:
        if made is not None and (data_dir, lang) in made:
            return [Path(shutil.copyfile(path, task.stage / path.name))
                    for path in made[data_dir, lang]]
        files = write_downloads(data_dir, task.stage, lang)
        if made is not None:
            made[data_dir, lang] = files
        return files

    return run_steps(task, {"downloads": (None, write)}, progress)


def run_steps(task: Task, steps: dict, progress) -> list[Path]:
    """Run the export steps (name -> (the file its bytes go to, or None if the step writes its
    own files and returns them; the step)) in order; return their files."""
    files: list[Path] = []
    for name, (path, make) in steps.items():
        # The cycles the step before left (the HTML export's BeautifulSoup tree of the page)
        # are freed now: left to Python's collector, they sat under the PDF export's peak.
        gc.collect()
        _step(progress, "begin", name)
        shown = path.name if path else "the downloads (claims.csv, data.zip, sources.*)"
        with writing(task, shown):
            if path is None:
                files += make()
            else:
                path.write_bytes(make())
                files.append(path)
        _step(progress, "end", name)
    return files


def _step(progress, kind: str, step: str) -> None:
    """Tell `progress` (a `progress.TaskProgress`, if that is what it is) a step began or
    ended."""
    call = getattr(progress, kind, None)
    if call is not None:
        call(step)


_WARM_PAGE = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
              "cells": [{"cell_type": "markdown", "id": "warm", "metadata": {}, "source": "."}]}


def warm_html_export() -> threading.Thread:
    """Export a one-paragraph page to HTML in a thread of this process, while its kernel runs
    the notebook: what a first HTML export compiles once (the page's templates, the selectors
    it matches) is ready for the notebook's own export. Measured: the report's first HTML
    export 2.06 s, after this (and its imports) 1.23 s. This process writes nothing in a
    language (`i18n`) until its exports, so the page's English is nobody's; the caller joins
    the thread before them. A failure here is the notebook's own export's to report."""
    def warm():
        from tunisia_report.export import notebook_to_html

        with contextlib.suppress(Exception):
            notebook_to_html(_WARM_PAGE)

    thread = threading.Thread(target=warm, name="warm-html-export", daemon=True)
    thread.start()
    return thread
