"""The one pandoc call of the exporters, and `PandocExporter`, the base of the two exporters that
go through pandoc (`typst_pdf.TypstPDFExporter`, `docx.WordDocxExporter`).

Both read the same prepared notebook with pandoc's ipynb reader and ``filters/notebook.lua``
(which also makes the quotes of the text typographic in the edition's style, every format
alike), with the title block as a metadata file of escaped text (text is text), no user data
folder, and pandoc's errors as `ExportError`s; each subclass adds only its own steps
(`convert`).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from pathlib import Path

import nbformat
from nbconvert.exporters import Exporter

from tunisia_report.exceptions import ExportError
from tunisia_report.export.metadata import ReportMetadata
from tunisia_report.export.preprocess import ReportOptions
from tunisia_report.export.rerun import executed
from tunisia_report.text import escape
from tunisia_report.text.pandoc import pandoc_path

HERE = Path(__file__).resolve().parent
LUA_FILTER = HERE / "filters" / "notebook.lua"
PANDOC_TIMEOUT_S = 300
# What pandoc reads as given, never as Markdown (a language tag, a direction, the quote marks).
VERBATIM = frozenset({"lang", "dir", "quote-open", "quote-close"})
WRITERS = {"typst": "Typst", "docx": "Word"}

log = logging.getLogger(__name__)


def edition_values(meta: ReportMetadata) -> dict[str, str]:
    """The edition's typography for the Lua filter: its double quotation marks."""
    opening, closing = meta.edition.quotes
    return {"quote-open": opening, "quote-close": closing}


def run_pandoc(nb: nbformat.NotebookNode, work: Path, to: str, values: dict, *,
               extra_args: list[str] = (), resource_path: str | None = None,
               env: dict | None = None, logger: logging.Logger | None = None,
               first_filters: list[Path] = ()) -> bytes:
    """pandoc's output (`to`) for a prepared notebook, run in `work`; `values` the metadata;
    `first_filters` run before the report's own Lua filter.

    Text values go in as JSON strings of Markdown-escaped text (pandoc reads metadata as
    Markdown); pandoc's warnings are logged; a failure raises `ExportError` with its stderr.
    """
    logger = logger or log
    meta_file = work / "metadata.json"
    meta_file.write_text(json.dumps({k: v if k in VERBATIM else escape.markdown(v)
                                     for k, v in values.items() if v}), encoding="utf-8")
    args = [pandoc_path(), "--from=ipynb", f"--to={to}",
            *(f"--lua-filter={path}" for path in first_filters), f"--lua-filter={LUA_FILTER}",
            f"--metadata-file={meta_file}", f"--data-dir={work / 'no-user-data'}",
            "--ipynb-output=all", "--wrap=preserve", *extra_args]
    if resource_path:
        args.append(f"--resource-path={os.path.abspath(resource_path)}{os.pathsep}.")
    try:
        proc = subprocess.run(args, input=nbformat.writes(nb).encode("utf-8"),
                              capture_output=True, cwd=work, env=env,
                              timeout=PANDOC_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise ExportError(f"pandoc could not be run: {err}") from err
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise ExportError(f"pandoc failed (exit {proc.returncode}) turning the notebook into "
                          f"{WRITERS.get(to, to)}:\n{stderr}")
    for line in stderr.splitlines():
        logger.warning("pandoc: %s", line)
    return proc.stdout


class PandocExporter(ReportOptions, Exporter):
    """An nbconvert exporter whose output pandoc writes: the `show_code` and `strict` traits,
    the notebook run again first if its outputs are stale, and one file out."""

    def convert(self, nb, resources: dict) -> bytes:
        """The file's bytes for an executed notebook (the subclass's own steps)."""
        raise NotImplementedError

    def from_notebook_node(self, nb, resources=None, **kw):
        """Convert a notebook node to ``(bytes, resources)``."""
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        resources["strict"] = bool(resources.get("strict") or self.strict)
        nb_copy = executed(nb_copy, resources, self.log)
        output = self.convert(nb_copy, resources)
        resources["output_extension"] = self.file_extension
        # One file out: no extracted figures, so jupyter server does not send a zip.
        resources.pop("outputs", None)
        return output, resources
