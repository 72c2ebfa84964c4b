"""Draw each chart once per set of inputs: its entries in the store of computed results
(`tunisia_report.store`), which hold the chart's files (PNG and SVG, as `save` writes them), the
bundle `show` displays, its `FigureInfo` and its table. An entry's key has two parts:
- `key`: everything but the data's tables that decides those bytes: the chart's name and
  options, the data's descriptor (datapackage.json), the package's code (its templates and
  catalogues included), the pinned requirements, matplotlib's rcParams, the edition's language
  and the environment variables that change outputs;
- the bytes of the tables the chart read as it was drawn (`dataset.tables.reading`: its
  resources, through kept results too, and an edition's translations). The store keeps, per
  `key`, each set of tables a drawing read (`<key>.tables`); a lookup tries them all. An edit
  to a table the chart did not read leaves its entry found: editing the claims redraws no
  timeline. This is sound because a chart reads only its dataset's tables: given the same
  bytes in what it read, it reads the same tables again and draws the same chart.
So the report notebook reads what an analysis notebook drew (measured: drawing and saving a
chart takes 0.3-1.5 s), and two processes wanting one chart at once draw it once
(`tunisia_report.store.computing`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from tunisia_report.store import (
    code_digest,
    enabled,
    file_digest,
    get,
    put,
    store_dir,
    tree_digest,
    write_atomically,
)

ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


def data_digest(data_dir: Path) -> str:
    return tree_digest(data_dir)


def key(name: str, options: dict, data_dir: Path, lang: str) -> str:
    """The digest of every input of one chart call but the data's tables (`tables_key`)."""
    import matplotlib

    style = {k: repr(v) for k, v in sorted(matplotlib.rcParams.items())}
    descriptor = Path(data_dir).resolve() / "datapackage.json"
    parts = {"chart": name, "options": options, "descriptor": file_digest(descriptor),
             "code": code_digest(), "style": style, "lang": lang,
             "environment": {n: os.environ.get(n) for n in ENVIRONMENT}}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def tables_key(chart_key: str, data_dir: Path, names) -> str:
    """The key of the entry drawn for `chart_key` from these tables of the data folder as they
    are now: each resource's file, or every file for a name that is not a resource's."""
    data_dir = Path(data_dir).resolve()
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r.get("name"): r.get("path") for r in descriptor.get("resources", [])}
    parts = {"chart": chart_key, "tables": {}}
    for name in sorted(names):
        path = paths.get(name)
        file = data_dir / path if isinstance(path, str) else None
        parts["tables"][name] = (file_digest(file) if file is not None and file.is_file()
                                 else data_digest(data_dir))
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _table_sets(chart_key: str) -> list[list[str]]:
    try:
        sets = json.loads((store_dir() / f"{chart_key}.tables").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [s for s in sets if isinstance(s, list)] if isinstance(sets, list) else []


def find(chart_key: str, data_dir: Path) -> dict | None:
    """The entry drawn for `chart_key` from tables whose bytes are those of `data_dir` now, or
    None."""
    for names in _table_sets(chart_key):
        entry = get(tables_key(chart_key, data_dir, names))
        if entry is not None:
            with contextlib.suppress(OSError):
                os.utime(store_dir() / f"{chart_key}.tables")
            return entry
    return None


def keep(chart_key: str, data_dir: Path, names, entry: dict) -> None:
    """Store the entry drawn for `chart_key` from the tables `names` (as `reading` saw them),
    and remember that set of tables for the next `find`."""
    if not enabled():
        return
    names = sorted(names)
    put(tables_key(chart_key, data_dir, names), entry)
    sets = _table_sets(chart_key)
    if names not in sets:
        write_atomically(store_dir() / f"{chart_key}.tables",
                         json.dumps([names, *sets]).encode())
