"""Skip the notebooks of a render whose inputs have not changed. Standard library only, so the
check is fast.

Each notebook of a job has its own key (its source, its parameters and exports, the data it
reads, the package's code): an edit to one notebook runs that notebook and its exports again,
not the others. The output folder's `.render.json` records each notebook's key and outputs.

A file's digest is read back from the last one made (`digests.json` in the store of computed
results) while its size and modification time are those it had then, as git's index does: a
no-op render then hashes no file (measured: 170 distinct files, inputs and outputs; the
no-op's median went from 206 to 183 ms, 20 paired runs). A file modified less than `RACY_NS`
before its digest was made is read again (a second change within the file system's clock step
would keep its time), and so is every file when the store is off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

from tunisia_report import store
from tunisia_report.paths import PACKAGE_DIR, REQUIREMENTS
from tunisia_report.store import file_digest

IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints"}
# Environment variables that change output bytes: the PDF's dates; which pandoc writes it.
OUTPUT_ENVIRONMENT = ("SOURCE_DATE_EPOCH", "PYPANDOC_PANDOC")


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in Path(directory).rglob("*")
                  if p.is_file() and not IGNORED_PARTS & set(p.parts))


STAMPS_NAME = "digests.json"  # in the store: path -> [size, mtime_ns, made_ns, digest]
RACY_NS = 1_000_000_000
MAX_STAMPS = 20_000


class Digests:
    """Folder listings and file digests, each made once: one plan keys every notebook of every
    job from the same data and package files (measured: 650 files hashed for the 5 notebooks
    of a no-op render, 130 of them distinct), and a digest whose file has not changed since it
    was made is read back (see the module's docstring). Make one per plan, so a long-lived
    process (the preview) sees the files as they are now; `save` keeps its digests."""

    def __init__(self):
        self._files: dict[Path, list[Path]] = {}
        self._digests: dict[Path, str] = {}
        self._stamps = _read_stamps()
        self._made = False

    def files(self, directory: Path) -> list[Path]:
        if directory not in self._files:
            self._files[directory] = _files(directory)
        return self._files[directory]

    def digest(self, path: Path) -> str:
        if path not in self._digests:
            self._digests[path] = self._stamped(Path(path))
        return self._digests[path]

    def _stamped(self, path: Path) -> str:
        info = path.stat()
        stamp = self._stamps.get(str(path))
        if (isinstance(stamp, list) and len(stamp) == 4 and stamp[:2] == [info.st_size,
                                                                          info.st_mtime_ns]
                and info.st_mtime_ns < stamp[2] - RACY_NS):
            return stamp[3]
        made = time.time_ns()
        digest = file_digest(path)
        self._stamps[str(path)] = [info.st_size, info.st_mtime_ns, made, digest]
        self._made = True
        return digest

    def save(self) -> None:
        """Keep the digests made for the next process (the newest `MAX_STAMPS`)."""
        if not self._made or not store.enabled():
            return
        stamps = self._stamps
        if len(stamps) > MAX_STAMPS:
            newest = sorted(stamps, key=lambda p: stamps[p][2], reverse=True)[:MAX_STAMPS]
            stamps = {p: stamps[p] for p in newest}
        store.write_atomically(store.store_dir() / STAMPS_NAME, json.dumps(stamps).encode())
        self._made = False


def _read_stamps() -> dict:
    if not store.enabled():
        return {}
    try:
        stamps = json.loads((store.store_dir() / STAMPS_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamps if isinstance(stamps, dict) else {}


def input_key(notebooks: list[Path], settings: dict, data_dirs: list[Path],
              digests: Digests | None = None) -> str:
    """One digest of everything a notebook's run reads: the notebooks, settings, every data
    folder, the package's code, the requirements and the environment variables that change
    outputs. `digests`: shared by the keys of one plan (see `Digests`)."""
    digests = digests or Digests()
    digest = hashlib.sha256()
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    environment = {name: os.environ.get(name) for name in OUTPUT_ENVIRONMENT}
    digest.update(json.dumps(environment, sort_keys=True).encode())
    data = [path for data_dir in data_dirs for path in digests.files(Path(data_dir))]
    inputs = [*notebooks, *data, *digests.files(PACKAGE_DIR), REQUIREMENTS]
    for path in inputs:
        digest.update(str(path).encode())
        digest.update(digests.digest(Path(path)).encode())
    return digest.hexdigest()


RECORD_NAME = ".render.json"


def record_path(out_dir: Path) -> Path:
    """Where a render into `out_dir` records its notebooks' keys and outputs."""
    return Path(out_dir) / RECORD_NAME


def read_record(out_dir: Path) -> dict:
    """The record of the last render into `out_dir`: {notebook: {"key", "outputs"}}; empty when
    there is none, and, with a warning, when it cannot be read (a render then runs everything)."""
    path = record_path(out_dir)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(record, dict) and "notebooks" not in record and "key" in record:
            return {}  # one key for the whole render, as renders before per-notebook keys wrote
        notebooks = record["notebooks"]
        if not all(isinstance(entry["key"], str) and isinstance(entry["outputs"], dict)
                   for entry in notebooks.values()):
            raise TypeError("an entry without a key or outputs")
        return notebooks
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        print(f"warning: {path}: unreadable render record ({type(exc).__name__}: {exc}); "
              "rendering as if there were none", file=sys.stderr)
        return {}


def fresh_notebooks(out_dir: Path, keys: dict[str, str], digests: Digests) -> set[str]:
    """The notebooks (by file name) whose last render into `out_dir` had the same key and whose
    outputs are untouched. `digests`: one for every job of the render (the caller saves it)."""
    record = read_record(out_dir)
    fresh = set()
    for name, key in keys.items():
        entry = record.get(name)
        if entry is None or entry["key"] != key:
            continue
        if all(os.path.exists(path) and digests.digest(Path(path)) == digest
               for path, digest in entry["outputs"].items()):
            fresh.add(name)
    return fresh


def remember(out_dir: Path, keys: dict[str, str], outputs: dict[str, list[Path]]) -> None:
    """Record the notebooks just rendered (their keys and output digests), keeping the entries
    of the job's other notebooks from the last render, less any file a notebook just rendered
    now writes (a figure file has one writer, see `run.one_writer_each`); drop notebooks the
    job no longer has."""
    previous = read_record(out_dir)
    claimed = {str(p) for files in outputs.values() for p in files}
    notebooks = {name: {**previous[name], "outputs": {
        path: digest for path, digest in previous[name]["outputs"].items() if path not in claimed}}
        for name in keys if name in previous}
    for name, files in outputs.items():
        notebooks[name] = {"key": keys[name],
                           "outputs": {str(p): file_digest(p) for p in sorted(set(files))}}
    path = record_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"notebooks": dict(sorted(notebooks.items()))}, indent=1))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)  # a write that failed half-way (a full disk)
