"""Read a notebook's `parameters` cell and check given parameters against it, before any kernel.

A parameter is a top-level assignment in the cell tagged `parameters`, with an optional
annotation and a trailing comment as its help. The help may declare constraints:
``(one of: a, b, c)`` restricts a value (or each item of a list) to those choices,
``(range: 1 to 10)`` bounds a number, ``ISO date`` requires a YYYY-MM-DD string,
``(on or after: other)`` orders it after another parameter of the notebook (given or default),
``(not empty)`` refuses a blank text or an empty list and ``(at most 150 characters)`` bounds a
text's length (the length the PDF's title block and running header are checked to typeset).

Only the standard library is imported here: checking is fast and needs no kernel.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tunisia_report.exceptions import NotebookError, ParameterError

CHOICES_RE = re.compile(r"\(one of: ([^)]*)\)")
RANGE_RE = re.compile(r"\(range: (-?[\d.]+) to (-?[\d.]+)\)")
AFTER_RE = re.compile(r"\(on or after: (\w+)\)")
LENGTH_RE = re.compile(r"\(at most (\d+) characters\)")
NOT_EMPTY = "(not empty)"
TYPES = {"str": str, "int": int, "float": float, "bool": bool, "list": list, "dict": dict}


@dataclass
class Param:
    """One declared parameter: name, type, default, help and constraints."""

    name: str
    type_name: str
    default: object
    help: str = ""
    choices: list[str] = field(default_factory=list)
    bounds: tuple[float, float] | None = None
    after: str | None = None  # the name of a parameter this one may not precede
    max_length: int | None = None  # of a text, in characters
    not_empty: bool = False  # a blank text or an empty list is refused

    @property
    def is_date(self) -> bool:
        return "ISO date" in self.help

    def describe(self) -> str:
        """What a value must look like, in words."""
        what = "an ISO date string YYYY-MM-DD" if self.is_date else self.type_name
        if self.choices:
            what += " with values from: " + ", ".join(self.choices)
        if self.bounds:
            what += f" between {self.bounds[0]:g} and {self.bounds[1]:g}"
        if self.not_empty:
            what = ("a non-empty " if self.type_name.startswith("list") else "a non-blank ") + what
        if self.max_length:
            what += f" of at most {self.max_length} characters"
        return what


def parameters_cell(nb: dict) -> dict | None:
    """The cell tagged `parameters`, or None."""
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


def cell_source(cell: dict) -> str:
    """A cell's source as one string (nbformat stores it as a string or a list of lines)."""
    src = cell.get("source") or ""
    return "".join(src) if isinstance(src, list) else str(src)


def _type_name(annotation: ast.expr | None, default: object) -> str:
    if annotation is not None:
        return ast.unparse(annotation)
    return type(default).__name__ if default is not None else "object"


def declared_parameters(nb: dict, shown: str = "the notebook") -> list[Param]:
    """Every parameter the notebook (named `shown` in an error) declares, in order; a
    NotebookError when its parameters cell is not Python."""
    cell = parameters_cell(nb)
    if cell is None:
        return []
    source = cell_source(cell)
    lines = source.splitlines()
    params = []
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError) as exc:  # ValueError: a NUL byte in the source
        line = f", line {exc.lineno}" if getattr(exc, "lineno", None) else ""
        reason = getattr(exc, "msg", None) or str(exc)
        raise NotebookError(f"{shown}: parameters cell{line}: expected Python assignments, "
                            f"got a syntax error ({reason})") from None
    for node in body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, annotation, value = node.target.id, node.annotation, node.value
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name)):
            name, annotation, value = node.targets[0].id, None, node.value
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except (ValueError, TypeError, SyntaxError, RecursionError):
            default = None  # not a literal: only the annotation tells the type
        rest = lines[node.end_lineno - 1][node.end_col_offset:]
        help_text = rest.split("#", 1)[1].strip() if "#" in rest else ""
        choices = CHOICES_RE.search(help_text)
        bounds = RANGE_RE.search(help_text)
        after = AFTER_RE.search(help_text)
        length = LENGTH_RE.search(help_text)
        params.append(Param(
            name=name,
            type_name=_type_name(annotation, default),
            default=default,
            help=help_text,
            choices=[c.strip() for c in choices.group(1).split(",")] if choices else [],
            bounds=(float(bounds.group(1)), float(bounds.group(2))) if bounds else None,
            after=after.group(1) if after else None,
            max_length=int(length.group(1)) if length else None,
            not_empty=NOT_EMPTY in help_text,
        ))
    return params


MAX_NOTEBOOK_BYTES = 50_000_000  # a notebook read before any kernel; ours are < 100 kB


def read_notebook(path: Path) -> dict:
    """The notebook's JSON, without importing nbformat; a NotebookError (a UsageError) naming
    the file when it cannot be read or is no Jupyter notebook."""
    shown = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_NOTEBOOK_BYTES + 1)
    except OSError as exc:
        raise NotebookError(f"{shown}: expected a readable Jupyter notebook, got "
                            f"{(exc.strerror or str(exc)).lower()}") from None
    if len(raw) > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"{shown}: expected a Jupyter notebook of at most "
                            f"{MAX_NOTEBOOK_BYTES:,} bytes, got a larger file")
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise NotebookError(f"{shown}: expected a Jupyter notebook (JSON), got text that is "
                            f"not JSON{where}") from None
    if not (isinstance(nb, dict) and isinstance(nb.get("cells"), list)
            and all(isinstance(c, dict) for c in nb["cells"])):
        raise NotebookError(f"{shown}: expected a Jupyter notebook, got JSON without a list "
                            "of cells")
    return nb


def notebook_parameters(path: Path) -> list[Param]:
    """The parameters the notebook at `path` declares (see `declared_parameters`)."""
    return declared_parameters(read_notebook(path), str(path))


def uncommitted_defaults(path: Path) -> list[str]:
    """Parameters whose default in the notebook on disk differs from its last commit, each as
    ``name: committed -> working``; empty outside git or for a notebook git does not track.

    An edit in JupyterLab saved to a tracked notebook would otherwise become, silently, the
    default of the next ``make report``.
    """
    import subprocess

    path = Path(path).resolve()
    try:
        proc = subprocess.run(["git", "show", f"HEAD:./{path.name}"], cwd=path.parent,
                              capture_output=True, check=False)
    except OSError:  # no git
        return []
    if proc.returncode != 0:
        return []
    try:
        committed = {p.name: p.default for p in declared_parameters(json.loads(proc.stdout))}
    except (ValueError, NotebookError):  # the committed version is no notebook: nothing to say
        return []
    working = {p.name: p.default for p in notebook_parameters(path)}
    return [f"{name}: {committed.get(name)!r} -> {working.get(name)!r}"
            for name in sorted(committed.keys() | working.keys())
            if committed.get(name) != working.get(name)]


def _fits_type(value: object, type_name: str) -> bool:
    base = type_name.split("[", 1)[0].strip()
    if base in ("object", "Any"):
        return True
    expected = TYPES.get(base)
    if expected is None:
        return True
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if not isinstance(value, expected):
        return False
    inner = type_name[len(base) + 1:-1].strip() if "[" in type_name else ""
    if expected is list and inner in TYPES:
        return all(_fits_type(item, inner) for item in value)
    return True


def check_value(param: Param, value: object, notebook: str) -> object:
    """Return the value if it fits the parameter, else raise ParameterError."""
    def fail(found: str):
        raise ParameterError(param.name, notebook, param.describe(), found)

    if not _fits_type(value, param.type_name):
        fail(f"{value!r} ({type(value).__name__})")
    if param.is_date:
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            fail(repr(value))
    if param.choices:
        items = value if isinstance(value, list) else [value]
        bad = [item for item in items if item not in param.choices]
        if bad:
            fail(", ".join(repr(b) for b in bad))
    if param.bounds and not param.bounds[0] <= value <= param.bounds[1]:
        fail(repr(value))
    if param.not_empty and isinstance(value, str | list) and not (
            value.strip() if isinstance(value, str) else value):
        fail(repr(value))
    if param.max_length and isinstance(value, str) and len(value) > param.max_length:
        fail(f"{len(value):,} characters")
    return value


def coerce_cli_value(text: str, param: Param) -> object:
    """Turn a `-p name value` string into the parameter's type (YAML syntax for non-strings)."""
    if param.type_name == "str":
        return text
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def check_parameters(given: dict, notebooks: dict[str, list[Param]],
                     from_cli: set[str] = frozenset()) -> dict[str, dict]:
    """Split given parameters among the notebooks that declare them, checking every value.

    `notebooks` maps a notebook's display name to its declared parameters. A name no notebook
    declares is an error naming the accepted names. Returns {notebook: {name: value}}.
    """
    per_notebook: dict[str, dict] = {nb: {} for nb in notebooks}
    for name, value in given.items():
        owners = [nb for nb, params in notebooks.items() if any(p.name == name for p in params)]
        if not owners:
            import difflib

            shown = ", ".join(notebooks) or "(no notebooks)"
            accepted = sorted({p.name for params in notebooks.values() for p in params})
            found = f"'{name}', which no notebook declares"
            close = difflib.get_close_matches(name, accepted, n=1)
            if close:
                found += f" (did you mean '{close[0]}'?)"
            raise ParameterError(name, shown, "a declared parameter name", found, accepted)
        for nb in owners:
            param = next(p for p in notebooks[nb] if p.name == name)
            if name in from_cli and isinstance(value, str):
                value = coerce_cli_value(value, param)
            per_notebook[nb][name] = check_value(param, value, nb)
    for nb, params in notebooks.items():
        check_order(params, per_notebook[nb], nb)
    return per_notebook


def check_order(params: list[Param], given: dict, notebook: str) -> None:
    """Raise ParameterError when a value precedes the one it must come on or after."""
    values = {p.name: given.get(p.name, p.default) for p in params}
    for param in params:
        if param.after is None or param.after not in values:
            continue
        value, other = values[param.name], values[param.after]
        if value is not None and other is not None and value < other:
            raise ParameterError(param.name, notebook,
                                 f"a value on or after {param.after} ({other})", repr(value))


def describe_notebook(name: str, params: list[Param]) -> str:
    """A `--help-notebook` style listing of one notebook's parameters."""
    if not params:
        return f"{name}: no cell tagged 'parameters'"
    lines = [f"{name}:"]
    for p in params:
        lines.append(f"  {p.name}: {p.type_name} (default {p.default!r})")
        if p.help:
            lines.append(f"      {p.help}")
    return "\n".join(lines)
