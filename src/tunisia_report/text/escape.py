"""Make text from the dataset safe to place in Markdown or HTML: it shows literally."""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~^$@&\"])")


def markdown(text: str) -> str:
    """Escape every Markdown (and embedded HTML) special character with a backslash."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def html_text(text: str) -> str:
    """Escape text for an HTML element or attribute."""
    return html.escape(str(text), quote=True)
