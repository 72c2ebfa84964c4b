"""Where each paragraph of the Word report comes from, kept in the DOCX as bookmarks.

pandoc reads each Markdown cell as a Div named by the cell's id; ``filters/origins.lua`` puts
the cell's content in a Div of its own named `bookmark_name` (before ``notebook.lua`` unwraps
the cells), and pandoc's Word writer turns that Div into a bookmark around the cell's
paragraphs. Word and LibreOffice keep bookmarks through editing and saving, so a reviewer's
tracked changes and comments can be traced back to their cell (`render.review`). A claim's
card keeps pandoc's own ``claim-ID`` bookmark (a row of claims.csv); other text, generated from
the data by code cells, sits under its section heading's bookmark.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ORIGINS_FILTER = Path(__file__).resolve().parent / "filters" / "origins.lua"
MARKDOWN_PREFIX = "c_"
_NOT_A_NAME_CHAR = re.compile(r"[^A-Za-z0-9_]")


def bookmark_name(cell_id: str) -> str:
    """A Markdown cell's bookmark, as ``origins.lua`` names it: Word's kind of name (a letter
    first, letters, digits and underscores, at most 40 characters), the id made so, then a
    digest of the id itself (two ids that read alike stay apart)."""
    digest = hashlib.sha1(cell_id.encode("utf-8")).hexdigest()[:6]
    return f"{MARKDOWN_PREFIX}{_NOT_A_NAME_CHAR.sub('_', cell_id)[:28]}_{digest}"
