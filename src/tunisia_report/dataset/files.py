"""The files of a data package: every path it names stays inside its folder, is a regular file,
and is read with a size bound. Every table, stored source and the descriptor itself is read here,
so a new table gets these guarantees by being listed in datapackage.json.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

# The largest file a data package may hold: the largest today is the map (130 kB), a table at its
# row limit (`validate.MAX_ROWS_BY_TABLE`) some megabytes. A device or a runaway file stops here
# rather than filling the memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


class PackageFileError(Exception):
    """A path of the package that cannot be read as its file; `expected` and `found` say why."""

    def __init__(self, expected: str, found: str):
        self.expected, self.found = expected, found
        super().__init__(f"expected {expected}, got {found}")



def display_path(path: Path) -> str:
    """The path as a reader would type it: relative to the working directory when inside it."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel

def path_problem(rel: str) -> str | None:
    """Why `rel`, as written in the package, is not a relative path inside it; None if it is."""
    if not rel:
        return "an empty path"
    if os.path.isabs(rel) or PurePosixPath(rel).is_absolute() or rel.startswith("\\"):
        return f"{rel!r}, an absolute path"
    if ".." in PurePosixPath(rel.replace("\\", "/")).parts:
        return f"{rel!r}, which leaves the data folder through '..'"
    if "\0" in rel:
        return f"{rel!r}, which holds a NUL character"
    return None


def read_package_file(data_dir: Path, rel: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the file at `rel` in the package at `data_dir`; a PackageFileError when the
    path leaves the folder (`..`, absolute, or a symbolic link out), is no regular file, is
    missing, or holds more than `limit` bytes."""
    expected = "a path to a file inside the data folder"
    problem = path_problem(rel)
    if problem:
        raise PackageFileError(expected, problem)
    root = Path(data_dir).resolve()
    path = (root / rel).resolve()
    if root != path and root not in path.parents:
        raise PackageFileError(expected, f"{rel!r}, which resolves outside it (a symbolic link?)")
    try:  # O_NONBLOCK: opening a named pipe must not wait for a writer
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                kind = "a folder" if stat.S_ISDIR(mode) else "a device or other special file"
                raise PackageFileError("a regular file", f"{rel!r}, {kind}")
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise PackageFileError("an existing file", "no such file") from None
    except IsADirectoryError:
        raise PackageFileError("a regular file", f"{rel!r}, a folder") from None
    except OSError as exc:
        raise PackageFileError("a readable file", (exc.strerror or str(exc)).lower()) from None
    if len(raw) > limit:
        raise PackageFileError(f"a file of at most {limit:,} bytes", "a larger file")
    return raw
