"""Run an exported notebook again when its outputs are missing or stale: the export menu and
``jupyter nbconvert`` read the saved file, which may predate a Run All or a parameter edit."""

from __future__ import annotations

import contextvars
import copy
from collections.abc import Mapping

import nbformat
from nbformat import NotebookNode

from tunisia_report.parameters import cell_source, stale_parameters


def has_run(nb: Mapping) -> bool:
    """False for a notebook with code but no output in any code cell (saved before Run All), or
    with a Markdown cell whose inline expressions have no stored values (not run since edited,
    or run without jupyterlab-myst, or by papermill without ``--engine tunisia_report``)."""
    from tunisia_report.export.prose import evaluated
    from tunisia_report.text.prose import is_prose

    cells = nb.get("cells", [])
    code = [c for c in cells if c.get("cell_type") == "code" and cell_source(c).strip()]
    return ((not code or any(c.get("outputs") for c in code))
            and all(evaluated(c) for c in cells if is_prose(c)))


def executed(nb: NotebookNode, resources: Mapping | None, log) -> NotebookNode:
    """`nb` itself if it has run with the parameters it holds; else a copy executed top to
    bottom with its kernel.

    The export menu and ``jupyter nbconvert`` read the saved file: a notebook saved before Run
    All would otherwise export as headings without charts, and one whose parameters were edited
    after its last run as the new title block around the old outputs (`stale_parameters`). Runs
    in the notebook's folder (the ``metadata.path`` nbconvert passes), with the kernel the
    notebook names (``python3``, the project's, by default); a failing cell raises nbclient's
    CellExecutionError.
    """
    stale = stale_parameters(nb)
    if has_run(nb) and not stale:
        return nb
    from nbconvert.preprocessors import ExecutePreprocessor

    from tunisia_report.export.evaluate import EvaluatesMarkdown

    class Runner(EvaluatesMarkdown, ExecutePreprocessor):
        """nbconvert's runner, evaluating Markdown cells' inline expressions."""

    metadata = (resources or {}).get("metadata") or {}
    name = metadata.get("name") or "the notebook"
    if stale:
        log.warning("%s: its outputs were made with other parameters than it now holds (%s): "
                    "running it with its kernel before exporting", name, "; ".join(stale))
    else:
        log.warning("%s has no outputs or unevaluated inline expressions: running it with its "
                    "kernel before exporting", name)
    kernel = (nb.get("metadata", {}).get("kernelspec") or {}).get("name") or "python3"
    runner = Runner(kernel_name=kernel)
    copy_ = nbformat.from_dict(copy.deepcopy(dict(nb)))
    # jupyter_server runs an exporter in a worker thread holding a copy of the server's context,
    # where jupyter_core keeps the server's (running) event loop: nbclient would try to run that
    # loop again ("This event loop is already running"). In a fresh context it makes its own.
    copy_, _ = contextvars.Context().run(
        runner.preprocess, copy_, {"metadata": {"path": metadata.get("path") or "."}})
    return copy_
