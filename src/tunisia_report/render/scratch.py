"""One temporary folder per render, removed however the render ends.

Kernel connection files (their HMAC keys), the kernels' sockets and the PDF step's scratch
folders all go to the system's temporary folder. A render points that folder (``TMPDIR``, and
Python's ``tempfile``, which its workers and kernels inherit) at a folder of its own, removed as
the render ends, by SIGINT and SIGTERM too (they unwind the stack, see `processes`). A render
killed with SIGKILL cannot remove it: it holds an advisory lock (``flock``) on the folder, which
the system releases with the process, so the next render removes every such folder no one holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

PREFIX = "tunisia-report-run-"
LOCK_NAME = ".lock"
YOUNG_S = 60  # a folder without its lock yet may be one being created right now


@contextlib.contextmanager
def render_scratch():
    """Within: temporary files go to a folder of this render's own (yielded)."""
    base = Path(tempfile.gettempdir())
    remove_stale(base)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=base))
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    saved = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = str(folder), str(folder)
    try:
        yield folder
    finally:
        if saved[0] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[0]
        tempfile.tempdir = saved[1]
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def remove_stale(base: Path) -> list[Path]:
    """Remove the scratch folders in `base` whose render has ended; return them."""
    removed = []
    for folder in sorted(Path(base).glob(PREFIX + "*")):
        try:
            fd = os.open(folder / LOCK_NAME, os.O_RDWR)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > YOUNG_S:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
            continue
        except OSError:  # another user's, or not a folder: not ours to judge
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a render is running
        else:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(fd)
    return removed
