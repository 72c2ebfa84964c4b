"""Draw each chart once per set of inputs: a content-addressed store of what a chart call made.

An entry holds the chart's files (PNG and SVG, as `save` writes them), the bundle `show`
displays, its `FigureInfo` and its table. Its key has two parts:
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
chart takes 0.3-1.5 s).

The store lives in `.cache/charts/` and is safe to delete (`make clean` does). It is bounded:
after each write, entries unused for `MAX_AGE_DAYS` go, then the least recently used until the
store holds at most `MAX_BYTES` (measured: the English report's render stores 91 entries,
39 MB; the bound keeps the charts of all three editions for several data versions).
`TUNISIA_CHART_STORE=off` turns it off (the tests compare outputs with and without it);
`TUNISIA_CHART_STORE=DIR` puts it in DIR (the tests and the benchmark give renders their own).

Two processes of one render (the report and an analysis notebook, in two workers) often want
the same chart at the same time: the first claims it (`<key>.claim`, holding its process id)
and draws it, the second waits for its entry instead of drawing it too (`drawing`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile
import time
from pathlib import Path

from tunisia_report.paths import CACHE_DIR, PACKAGE_DIR, ROOT

STORE_DIR = CACHE_DIR / "charts"
SWITCH = "TUNISIA_CHART_STORE"  # "off": draw every chart; a folder: the store's place
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints"}
MAX_BYTES = 512 * 1024 * 1024
MAX_AGE_DAYS = 30
STALE_TMP_S = 3600  # a partial write older than this belongs to a render that died
CLAIM_WAIT_S = 300  # longest wait for another process's drawing before drawing it here
POLL_S = 0.05


def enabled() -> bool:
    return os.environ.get(SWITCH, "on") != "off"


def store_dir() -> Path:
    setting = os.environ.get(SWITCH, "on")
    return STORE_DIR if setting in ("on", "", "off") else Path(setting)


def _tree_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(directory).rglob("*")):
        if path.is_file() and not IGNORED_PARTS & set(path.parts):
            digest.update(str(path.relative_to(directory)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def code_digest() -> str:
    """The package's files and the pinned requirements."""
    requirements = ROOT / "requirements.txt"
    extra = requirements.read_bytes() if requirements.is_file() else b""
    return hashlib.sha256(_tree_digest(PACKAGE_DIR).encode() + extra).hexdigest()


def data_digest(data_dir: Path) -> str:
    return _tree_digest(data_dir)


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def key(name: str, options: dict, data_dir: Path, lang: str) -> str:
    """The digest of every input of one chart call but the data's tables (`tables_key`)."""
    import matplotlib

    style = {k: repr(v) for k, v in sorted(matplotlib.rcParams.items())}
    descriptor = Path(data_dir).resolve() / "datapackage.json"
    parts = {"chart": name, "options": options, "descriptor": _file_digest(descriptor),
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
        parts["tables"][name] = (_file_digest(file) if file is not None and file.is_file()
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
        _write_atomically(store_dir() / f"{chart_key}.tables",
                          json.dumps([names, *sets]).encode())


def get(entry_key: str) -> dict | None:
    """The stored entry, or None (missing, or unreadable: then it is drawn again)."""
    if not enabled():
        return None
    path = store_dir() / f"{entry_key}.pickle"
    try:
        entry = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: the last to go when the store is pruned
    return entry


@contextlib.contextmanager
def drawing(entry_key: str, lookup=None):
    """Within: the stored entry (after waiting while another process draws it), or None, and
    then this process holds the claim to draw it (and `put` it) until the block ends. A claim
    whose process has ended, or older than `CLAIM_WAIT_S`, is taken over. `lookup()` finds
    the entry (by default `get(entry_key)`; a chart's is `find`)."""
    lookup = lookup or (lambda: get(entry_key))
    entry = lookup()
    if entry is not None or not enabled():
        yield entry
        return
    claim = store_dir() / f"{entry_key}.claim"
    deadline = time.monotonic() + CLAIM_WAIT_S
    while True:
        try:
            claim.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            entry = lookup()
            if entry is not None:
                yield entry
                return
            if not _claim_alive(claim) or time.monotonic() > deadline:
                with contextlib.suppress(OSError):
                    claim.unlink()
                continue
            time.sleep(POLL_S)
            continue
        except OSError:  # a store that cannot be written: draw without a claim
            yield None
            return
        with os.fdopen(fd, "w") as handle:
            handle.write(str(os.getpid()))
        break
    try:
        yield lookup()  # drawn meanwhile by the claim's previous holder, or None
    finally:
        with contextlib.suppress(OSError):
            claim.unlink()


def _claim_alive(claim: Path) -> bool:
    """Whether the process that wrote `claim` still runs (an empty claim is being written)."""
    try:
        text = claim.read_text()
    except OSError:
        return False
    if not text:
        return True
    try:
        os.kill(int(text), 0)
    except ProcessLookupError:
        return False
    except (ValueError, PermissionError):
        return True
    return True


def put(entry_key: str, entry: dict) -> None:
    """Store an entry atomically (a concurrent reader sees all of it or nothing). The store
    only saves time: an entry that cannot be written (a full disk) is left out, and its partial
    file removed; the chart is drawn again next time."""
    if not enabled():
        return
    path = store_dir() / f"{entry_key}.pickle"
    if _write_atomically(path, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)):
        prune(path.parent)


def _write_atomically(path: Path, payload: bytes) -> bool:
    """Write through a temporary file beside `path`; False (and nothing left) on an OSError."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
    return True


def prune(directory: Path, max_bytes: int = MAX_BYTES, max_age_days: float = MAX_AGE_DAYS,
          now: float | None = None) -> list[Path]:
    """Remove entries (and lists of tables) unused for `max_age_days`, then the least recently
    used entries until the store holds at most `max_bytes`, and partial writes of dead renders;
    return what was removed."""
    now = time.time() if now is None else now
    entries, removed = [], []
    for path in Path(directory).iterdir():
        try:
            info = path.stat()
        except OSError:  # removed meanwhile by a concurrent prune
            continue
        if path.suffix == ".tmp":
            if now - info.st_mtime > STALE_TMP_S:
                removed.append(path)
        elif path.suffix == ".pickle":
            entries.append((info.st_mtime, info.st_size, path))
        elif path.suffix == ".tables" and now - info.st_mtime > max_age_days * 86400:
            removed.append(path)
    entries.sort(reverse=True)  # most recently used first
    total = 0
    for mtime, size, path in entries:
        total += size
        if total > max_bytes or now - mtime > max_age_days * 86400:
            removed.append(path)
    for path in removed:
        with contextlib.suppress(OSError):
            path.unlink()
    return removed
