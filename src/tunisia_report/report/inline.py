"""`ref`: what a Markdown cell's inline expression calls, ``{eval}`ref("fig:ID")```.

`ref(spec)` keeps the meaning of the narrative's placeholders (`text.narrative`): a figure
(``fig:ID``, ``fig:ID:words|unit|date|attribution|label``), an event's date or title, a place's
name, a measure, a source, or a value the report computes (``ref("n_tables")``, the names of
`content.VALUES`). Its result shows as text in JupyterLab and carries, under
`display.INLINE_MIME`, the Markdown, HTML, plain text and footnote the exporters substitute.
Valid data without what the expression needs gives a value that says so: the exporters replace
its paragraph with "A passage is left out: …", as for a computed text. An expression that the
project's own dataset cannot answer either (an unknown id, field or kind: a typo) is an
`UnknownReferenceError`, which fails the render naming the notebook, the cell and the expression:
a typo must not silently drop a paragraph.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tunisia_report.display import INLINE_MIME
from tunisia_report.exceptions import DataError, NarrativeError, UnknownReferenceError


class Inline:
    """An inline expression's value: text in JupyterLab, the full payload for the exporters."""

    def __init__(self, payload: dict):
        self.payload = payload

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": str(self), INLINE_MIME: self.payload}

    def __str__(self) -> str:
        reason = self.payload.get("left_out")
        return f"[left out: {reason}]" if reason else self.payload["plain"]

    __repr__ = __str__


def resolve(data, spec: str, values: dict, note: bool = True) -> Inline:
    """The value of ``ref(spec)``; `values` maps a computed value's name to its function of the
    dataset. An unknown name, id, field or kind is an error (a typo); data the project's dataset
    has and this one lacks is a left-out passage."""
    from tunisia_report.text import narrative

    if not isinstance(spec, str):
        raise TypeError(f"ref() takes a string such as 'fig:ID', got {spec!r}")
    if ":" not in spec and spec not in values:
        raise NarrativeError(spec, "no such value; computed values: " + ", ".join(sorted(values)))
    try:
        given = {spec: values[spec](data)} if spec in values else None
        return Inline(narrative.inline(data, spec, given, note=note))
    except DataError as exc:
        if spec not in values and not _in_project_data(data, spec):
            raise UnknownReferenceError(spec, str(exc)) from None
        return Inline({"left_out": str(exc)})


def _in_project_data(data, spec: str) -> bool:
    """Whether the project's own dataset answers `spec` (then `data`, another dataset, merely
    lacks it); False for the project's dataset itself."""
    from tunisia_report.text import narrative

    if Path(data.data_dir).resolve() == _project_dir():
        return False
    try:
        narrative.check(_project_data(), spec)
    except DataError:
        return False
    return True


def _project_dir() -> Path:
    from tunisia_report.paths import DATA_DIR

    return DATA_DIR.resolve()


@cache
def _project_data():
    """The project's dataset, loaded once, only when a render of another dataset misses a
    reference."""
    from tunisia_report.dataset import load

    return load(_project_dir(), check=False)
