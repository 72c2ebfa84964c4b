"""Helpers the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

PYTHON = sys.executable


def read_table(data_dir: Path, table: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of data_dir/<table>.csv."""
    with (data_dir / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_table(data_dir: Path, table: str, header: list[str], rows: list[list[str]]) -> None:
    """Write data_dir/<table>.csv as the dataset's files are written."""
    with (data_dir / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def set_cell(data_dir: Path, table: str, key: str, field: str, value: str) -> None:
    """Change one cell of data_dir/<table>.csv, in the row whose first column is key."""
    header, rows = read_table(data_dir, table)
    column = header.index(field)
    hits = [row for row in rows if row[0] == key]
    assert len(hits) == 1, key
    hits[0][column] = value
    write_table(data_dir, table, header, rows)


def figure_texts(fig) -> list[str]:
    """Every text drawn in the figure, newlines read as spaces."""
    return [t.get_text().replace("\n", " ") for t in fig.findobj(lambda a: hasattr(a, "get_text"))
            if t.get_text()]


def stop_process(proc, timeout: float = 30) -> None:
    """Terminate a server the test started; kill it if it does not end within `timeout`."""
    import subprocess

    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def report_cell(cell_id: str) -> dict:
    """A cell of notebooks/report.ipynb, by id."""
    import json

    from tunisia_report.paths import REPORT_NOTEBOOK

    cells = json.loads(REPORT_NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return next(c for c in cells if c.get("id") == cell_id)


def prose_output(cell: dict, data, lang: str = "en", **options) -> dict:
    """A Markdown cell as the exports show it (the narrative output's mimebundle), its
    expressions evaluated in-process against `data` as the kernel evaluates them (`ref`)."""
    import copy

    import nbformat

    from tunisia_report.display import EXPRESSIONS_KEY
    from tunisia_report.export.prose import ProseCells
    from tunisia_report.report import content, inline
    from tunisia_report.text import i18n
    from tunisia_report.text.prose import expressions, source

    cell = nbformat.from_dict(copy.deepcopy(cell))
    with i18n.language(lang):
        namespace = {"ref": lambda spec, note=True: inline.resolve(data, spec, content.VALUES,
                                                                    note=note)}
        cell.metadata[EXPRESSIONS_KEY] = [
            {"expression": e, "result": {"status": "ok", "metadata": {},
                                         "data": eval(e, namespace)._repr_mimebundle_()}}
            for e in expressions(source(cell))]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb, _ = ProseCells(lang=lang, notebook="report.ipynb", **options).preprocess(nb, {})
    return nb.cells[0].outputs[0]["data"] if nb.cells and nb.cells[0].get("outputs") else {}


RENDER_OWN = {".render.json", ".render.lock", "index.html"}  # see render_digests


def render_digests(directory: Path) -> dict[str, str]:
    """The sha256 of each file a render wrote into `directory`, but its own record and lock
    (.render.json, which holds the inputs' key; .render.lock) and the index of the editions
    (index.html: beside the editions' folders in a render of variants); the folder's path
    (the executed notebooks record their figures folder) is read as one placeholder, so two
    renders of the same inputs into two folders compare equal."""
    import hashlib

    folder = str(directory).encode()
    return {str(p.relative_to(directory)):
            hashlib.sha256(p.read_bytes().replace(folder, b"<output-dir>")).hexdigest()
            for p in sorted(directory.rglob("*"))
            if p.is_file() and p.relative_to(directory).parts[0] not in RENDER_OWN}
