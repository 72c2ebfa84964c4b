"""Compute each costly result once per set of inputs: a content-addressed store on disk that
every process of a render (and of a test run) shares.

An entry is a pickled value under a key, the digest of every input that decides it; the caller
makes the key (`charts.store` keys a chart by its options and the tables it read;
`text.citations` keys formatted citations by the sources, the style and the edition). Entries
are written atomically, so a reader sees all of one or nothing. Two processes wanting one entry
at once: the first claims it (`<key>.claim`, holding its process id) and computes it, the
second waits for its entry instead of computing it too (`computing`).

The store lives in `.cache/store/` and is safe to delete (`make clean` does). It is bounded:
after each write, entries unused for `MAX_AGE_DAYS` go, then the least recently used until the
store holds at most `MAX_BYTES` (measured: the English report's render stores 91 chart entries,
39 MB; the bound keeps the charts of all three editions for several data versions).
`TUNISIA_CHART_STORE=off` turns it off (the tests compare outputs with and without it);
`TUNISIA_CHART_STORE=DIR` puts it in DIR (the tests and the benchmark give renders their own).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path

from tunisia_report.paths import CACHE_DIR, PACKAGE_DIR, REQUIREMENTS

STORE_DIR = CACHE_DIR / "store"
SWITCH = "TUNISIA_CHART_STORE"  # "off": compute everything; a folder: the store's place
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints"}
MAX_BYTES = 512 * 1024 * 1024
MAX_AGE_DAYS = 30
STALE_TMP_S = 3600  # a partial write older than this belongs to a render that died
CLAIM_WAIT_S = 300  # longest wait for another process's result before computing it here
POLL_S = 0.05


def enabled() -> bool:
    return os.environ.get(SWITCH, "on") != "off"


def store_dir() -> Path:
    setting = os.environ.get(SWITCH, "on")
    return STORE_DIR if setting in ("on", "", "off") else Path(setting)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tree_digest(directory: Path) -> str:
    """One digest of every file under `directory` (names and bytes; caches left out)."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).rglob("*")):
        if path.is_file() and not IGNORED_PARTS & set(path.parts):
            digest.update(str(path.relative_to(directory)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def pinned_requirements() -> bytes:
    """The bytes of requirements.txt (none outside a checkout): a key holds them where pinned
    libraries decide a result."""
    return REQUIREMENTS.read_bytes() if REQUIREMENTS.is_file() else b""


def code_digest() -> str:
    """The package's files and the pinned requirements."""
    return hashlib.sha256(tree_digest(PACKAGE_DIR).encode() + pinned_requirements()).hexdigest()


def get(entry_key: str):
    """The stored entry, or None (missing, or unreadable: then it is computed again)."""
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
def computing(entry_key: str, lookup=None):
    """Within: the stored entry (after waiting while another process computes it), or None,
    and then this process holds the claim to compute it (and `put` it) until the block ends.
    A claim whose process has ended, or older than `CLAIM_WAIT_S`, is taken over. `lookup()`
    finds the entry (by default `get(entry_key)`; a chart's is `charts.store.find`)."""
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
        except OSError:  # a store that cannot be written: compute without a claim
            yield None
            return
        with os.fdopen(fd, "w") as handle:
            handle.write(str(os.getpid()))
        break
    try:
        yield lookup()  # computed meanwhile by the claim's previous holder, or None
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


def put(entry_key: str, entry) -> None:
    """Store an entry atomically (a concurrent reader sees all of it or nothing). The store
    only saves time: an entry that cannot be written (a full disk) is left out, and its partial
    file removed; it is computed again next time."""
    if not enabled():
        return
    path = store_dir() / f"{entry_key}.pickle"
    if write_atomically(path, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)):
        prune(path.parent)


def write_atomically(path: Path, payload: bytes) -> bool:
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
