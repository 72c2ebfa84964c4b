"""One render at a time into an output folder, and no staging folder left behind.

A render holds an advisory lock (``flock``) on ``OUTPUT_DIR/.render.lock`` from before its cache
check to after its publish; a second render into the same folder waits for it, so the result
never depends on who wrote last. The operating system releases the lock when the holder ends,
however it ends (even ``kill -9``). Holding the lock, a render removes every staging folder it
finds there: none can belong to a live render.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
from pathlib import Path

LOCK_NAME = ".render.lock"
STAGING_PREFIX = ".staging-"  # staging folders are OUTPUT_DIR/.staging-<job>-<random>


@contextlib.contextmanager
def output_lock(out_dir: Path, shown: str | None = None):
    """Hold the render lock of `out_dir` (created if need be) and clear its stale staging."""
    out_dir = Path(out_dir)
    fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited (PEP 446)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another render is writing into {shown or out_dir}; waiting for it to finish",
                  file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        remove_stale_staging(out_dir)
        yield
    finally:
        os.close(fd)


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Remove the staging folders in `out_dir` (call with its lock held); return them."""
    stale = sorted(p for p in Path(out_dir).glob(STAGING_PREFIX + "*") if p.is_dir())
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale
