"""Read a notebook's `parameters` cell and check given parameters against it, before any kernel.

A parameter is a top-level assignment in the cell tagged `parameters`, with an optional
annotation and a trailing comment as its help. The help may declare constraints:
``(one of: a, b, c)`` restricts a value (or each item of a list) to those choices,
``(range: 1 to 10)`` bounds a number, ``ISO date`` requires a YYYY-MM-DD string,
``(on or after: other)`` orders it after another parameter of the notebook (given or default),
``(not empty)`` refuses a blank text or an empty list and ``(at most 150 characters)`` bounds a
text's length (the length the PDF's title block and running header are checked to typeset).

One contract, two callers: the CLI checks what it is given before any kernel starts
(`check_parameters`), and each notebook checks what it holds right after its parameters cell
(`check_notebook_parameters`), so plain papermill and JupyterLab get the same errors. The values a
notebook ran with are recorded in its outputs (`RECORD_MIME`), so an exporter can tell outputs
made with other parameters than the cell now holds (`stale_parameters`).

Only the standard library is imported here (and PyYAML for a value given as text): checking is
fast and needs no kernel.

Why one module of 480 lines: reading the cell, checking values and recording them are one
contract, each part using the others (the check records what it checked; the record is compared
with what the cell declares), imported by both the CLI and the kernel; split, they would import
each other.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tunisia_report.exceptions import NotebookError, ParameterError, UsageError

CHOICES_RE = re.compile(r"\(one of: ([^)]*)\)")
RANGE_RE = re.compile(r"\(range: (-?[\d.]+) to (-?[\d.]+)\)")
AFTER_RE = re.compile(r"\(on or after: (\w+)\)")
#: The output a notebook's check leaves: the parameters its outputs are made with. JupyterLab has
#: no renderer for it (nothing shows) and the exporters drop it.
RECORD_MIME = "application/vnd.tunisia-report.parameters+json"
LENGTH_RE = re.compile(r"\(at most (\d+) characters\)")
NOT_EMPTY = "(not empty)"
NOT_BLANK = "(not blank)"  # "" may mean a default (the edition's title); spaces alone never do
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
    not_blank: bool = False  # a text of spaces alone is refused ("" is not)

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
        if self.not_empty or self.not_blank:
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
            not_blank=NOT_BLANK in help_text,
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


def project_report_date() -> str | None:
    """The default ``report_date`` of the project's report notebook, if there is one."""
    from tunisia_report.paths import REPORT_NOTEBOOK

    if not REPORT_NOTEBOOK.is_file():
        return None
    dates = [p.default for p in declared_parameters(read_notebook(REPORT_NOTEBOOK))
             if p.name == "report_date"]
    return dates[0] if dates and isinstance(dates[0], str) else None


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
    if param.not_blank and isinstance(value, str) and value and not value.strip():
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


def check_notebook_parameters(namespace: dict, notebook: str) -> dict:
    """Check a notebook's parameters where it runs, right after its parameters cell; return them.

    `namespace` is the notebook's ``globals()``: the parameters cell's values, with papermill's
    injected ones over them. Each declared parameter goes through `check_parameters`, the CLI's
    own check; a value given as text for a parameter that is not text (papermill's
    ``-p sections '["summary"]'``) is read as YAML, as the CLI reads it, and the namespace gets
    the value read. `notebook` names the notebook file, found in the kernel's working folder (the
    notebook's own, in JupyterLab and a render) or in notebooks/. Raises ParameterError.
    """
    path = notebook_path(notebook)
    declared = declared_parameters(read_notebook(path))
    check_injected_names(injected_names(namespace), declared, path.name)
    given = {p.name: namespace[p.name] for p in declared if p.name in namespace}
    try:
        checked = check_parameters(given, {path.name: declared}, set(given))[path.name]
    except ParameterError as exc:
        raise _with_papermill_hint(exc, given, declared) from None
    namespace.update(checked)
    _record(given, checked)
    return checked


INJECTED_HEADER = "# Parameters"  # the first line of the cell papermill injects


def injected_names(namespace: dict) -> list[str]:
    """The names papermill's injected-parameters cell assigned, when that cell ran just before
    the one running now (IPython's ``In``: the current cell last, the injected one before it);
    [] otherwise (JupyterLab's *Run All* without papermill, a plain Python call)."""
    import ast

    history = namespace.get("In")
    if not isinstance(history, list) or len(history) < 2:
        return []
    source = history[-2]
    if not isinstance(source, str) or source.split("\n", 1)[0].strip() != INJECTED_HEADER:
        return []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [target.id for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)]


def check_injected_names(names: list[str], declared: list[Param], notebook: str) -> None:
    """Raise ParameterError for an injected name the notebook does not declare (papermill
    itself only warns, and the notebook would run with the default): the message names the
    closest declared one and lists them all."""
    import difflib

    accepted = sorted(p.name for p in declared)
    for name in names:
        if name in accepted:
            continue
        found = f"'{name}', which {notebook} does not declare"
        close = difflib.get_close_matches(name, accepted, n=1)
        if close:
            found += f" (did you mean '{close[0]}'?)"
        raise ParameterError(name, notebook, "a declared parameter name", found, accepted)


def notebook_path(notebook: str) -> Path:
    """The notebook a kernel runs: `notebook` in the working folder, else in notebooks/."""
    from tunisia_report.paths import NOTEBOOKS_DIR

    for path in (Path(notebook), NOTEBOOKS_DIR / notebook):
        if path.is_file():
            return path.resolve()
    raise UsageError(f"cannot check the parameters of {notebook}: no such notebook in "
                     f"{Path.cwd()} or {NOTEBOOKS_DIR}")


def _with_papermill_hint(exc: ParameterError, given: dict, declared: list[Param]) -> Exception:
    """papermill's ``-p`` reads ``2014`` as a number: say how to pass it as text."""
    param = next((p for p in declared if p.name == exc.name), None)
    value = given.get(exc.name)
    if param is not None and param.type_name == "str" and isinstance(value, int | float):
        return ParameterError(exc.name, exc.notebook, exc.expected,
                              f"{exc.found}; papermill's -p reads it as a number, "
                              f"-r {exc.name} {value} passes it as text", exc.accepted)
    return exc


def comparable(values: dict) -> dict:
    """Values as JSON gives them back (tuples as lists): what a record can be compared with."""
    return json.loads(json.dumps(values, sort_keys=True, default=str))


def _record(given: dict, checked: dict) -> None:
    """Leave in the cell's outputs the parameters this run is made with (see `RECORD_MIME`): as
    given (what the notebook held, to compare with what it holds later) and as checked (what the
    run used: a list given as text, read). Outside IPython there are no outputs to leave it in."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import publish_display_data

    if not InteractiveShell.initialized():
        return
    publish_display_data(data={RECORD_MIME: {"given": comparable(given),
                                             "parameters": comparable(checked)}})


def parameter_record(nb: dict) -> tuple[dict | None, int | None]:
    """The record of the parameters a notebook's outputs were made with (``given``, ``parameters``)
    and the execution count of the cell that left it; (None, None) when no cell did (a notebook
    without the check, or unrun)."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            record = (output.get("data", {}) or {}).get(RECORD_MIME)
            if isinstance(record, dict):
                return record, cell.get("execution_count")
    return None, None


def checked_parameters(nb: dict) -> dict:
    """The parameters the notebook's last run used, as its check read them; {} if unrecorded."""
    record, _ = parameter_record(nb)
    return dict((record or {}).get("parameters") or {})


def current_parameters(nb: dict) -> dict:
    """What a run of `nb` as saved would use: its parameters cell's literal values, with those
    papermill injected (``metadata.papermill.parameters``) over them."""
    try:
        values = {p.name: p.default for p in declared_parameters(nb) if p.default is not None}
    except SyntaxError:  # a half-edited cell: nothing to compare
        values = {}
    injected = ((nb.get("metadata", {}) or {}).get("papermill", {}) or {}).get("parameters")
    return comparable({**values, **(injected or {})})


def stale_parameters(nb: dict) -> list[str]:
    """Why `nb`'s outputs do not belong to the parameters it now holds, one reason a line
    (``lang: outputs made with 'en', the notebook now holds 'fr'``); empty when they do, or when
    nothing was recorded. Outputs of cells run before the check count as stale too."""
    record, count = parameter_record(nb)
    if record is None:
        return []
    recorded = record.get("given") or {}
    current = current_parameters(nb)
    reasons = [f"{name}: outputs made with {recorded[name]!r}, the notebook now holds "
               f"{current[name]!r}" for name in sorted(current.keys() & recorded.keys())
               if current[name] != recorded[name]]
    earlier = [c for c in nb.get("cells", []) if c.get("cell_type") == "code" and c.get("outputs")
               and count is not None and (c.get("execution_count") or count) < count]
    if earlier:
        reasons.append(f"{len(earlier)} cell(s) ran before the parameters were last checked")
    return reasons
