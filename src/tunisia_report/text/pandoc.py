"""The pandoc every step runs: the one bundled with pypandoc_binary (same output everywhere)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The pandoc bundled with pypandoc_binary, unless PYPANDOC_PANDOC names another."""
    import pypandoc

    bundled = Path(pypandoc.__file__).parent / "files" / "pandoc"
    if not os.environ.get("PYPANDOC_PANDOC") and bundled.is_file():
        return str(bundled)
    return pypandoc.get_pandoc_path()
