"""The package's one exception tree; subclasses carry structured detail.

    ReportError                      exit 1 unless a subclass says otherwise
    ├── DataValidationError          the dataset breaks its schema or its sources (`problems`)
    ├── DataError                    valid data that a chart or text cannot use (an unknown id)
    │   └── NarrativeError           a template names a placeholder the dataset cannot fill
    ├── UsageError                   exit 2: a bad option, parameter or variant, before any kernel
    │   ├── ParameterError           a notebook parameter is unknown or of the wrong type or value
    │   ├── VariantError             a variant file is missing or malformed
    │   └── NotebookError            a notebook is unreadable, not a notebook, or its
    │                                parameters cell does not parse
    ├── TranslationError             a message catalogue is broken or lacks a message
    ├── ExecutionError               a notebook failed while it ran (notebook, cell, reason)
    ├── ExpressionError              a Markdown cell's inline expression raised (cell, expression)
    ├── UnknownReferenceError        `ref()` names an id, field or kind no dataset has (a typo)
    ├── UntranslatedError            a strict render met paragraphs with no translation
    ├── ExportError                  pandoc or Typst could not make the HTML or PDF
    ├── PublishError                 a finished render could not replace a previous file
    ├── FigureOwnerError             two notebooks of a render write one figure file
    ├── WriteError                   the system refused a write (a full disk): what, and why
    └── Interrupted                  exit 128 + signal: SIGINT or SIGTERM stopped the render
"""

from __future__ import annotations

from dataclasses import dataclass


class ReportError(Exception):
    """Root of every error this package raises on purpose."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One defect found in the dataset: where it is and what was expected."""

    file: str
    row: int | None  # line number in the file (the header is line 1); None for file-level problems
    field: str | None
    expected: str
    found: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} expected {self.expected}, got {self.found}"


class DataValidationError(ReportError):
    """The dataset does not match its schema or its sources; `problems` lists every defect."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the dataset:\n{lines}")


class DataError(ReportError):
    """Valid data that a chart or a text cannot use, e.g. an id it asks for is not there."""


class NarrativeError(DataError, KeyError):
    """A template names a placeholder, an id or a field that the dataset does not have."""

    def __init__(self, placeholder: str, reason: str):
        self.placeholder = placeholder
        super().__init__(f"placeholder {{{placeholder}}}: {reason}")

    def __str__(self) -> str:
        return str(self.args[0])


class UsageError(ReportError):
    """The command was asked for something it cannot do; found before any kernel starts."""

    exit_code = 2


class ParameterError(UsageError):
    """A parameter given to a notebook is unknown or has the wrong type or value."""

    def __init__(self, name: str, notebook: str, expected: str, found: str,
                 accepted: list[str] | None = None):
        self.name, self.notebook, self.expected, self.found = name, notebook, expected, found
        self.accepted = accepted or []
        message = f"parameter '{name}' of {notebook}: expected {expected}, got {found}"
        if self.accepted:
            message += f"\n  accepted names: {', '.join(self.accepted)}"
        super().__init__(message)


class VariantError(UsageError):
    """A variant file is missing or malformed."""


class NotebookError(UsageError):
    """A notebook cannot be read, is no Jupyter notebook, or its parameters cell is not Python."""


class TranslationError(ReportError):
    """A message catalogue (`.po`) is broken, lacks a message, or the language is unknown."""


class ExecutionError(ReportError):
    """A notebook failed while it was executed; names the notebook and the cell."""

    def __init__(self, notebook: str, cell_index: int | None, reason: str, kept_at: str | None):
        self.notebook, self.cell_index, self.reason, self.kept_at = (
            notebook, cell_index, reason, kept_at)
        cell = f" at cell {cell_index}" if cell_index is not None else ""
        kept = f"\n  the partly executed notebook is kept at {kept_at}" if kept_at else ""
        super().__init__(f"{notebook} failed{cell}: {reason}{kept}")

    def __reduce__(self):  # survives the trip back from a worker process
        return (type(self), (self.notebook, self.cell_index, self.reason, self.kept_at))


class ExpressionError(ReportError):
    """A Markdown cell's inline expression raised in the kernel; names the cell."""

    def __init__(self, cell_index: int, cell_id: str | None, expression: str, ename: str,
                 evalue: str):
        self.cell_index, self.cell_id, self.expression, self.ename, self.evalue = (
            cell_index, cell_id, expression, ename, evalue)
        cell = f"Markdown cell {cell_index}" + (f" ({cell_id})" if cell_id else "")
        super().__init__(f"{cell}: the inline expression {{eval}}`{expression}` raised "
                         f"{ename}: {evalue}")

    def __reduce__(self):  # survives the trip back from a worker process
        return (type(self), (self.cell_index, self.cell_id, self.expression, self.ename,
                             self.evalue))


class UnknownReferenceError(ReportError, KeyError):
    """An inline expression's `ref()` names an id, a field or a kind that neither the rendered
    dataset nor the project's has: a typo in the notebook, not missing data."""

    def __init__(self, spec: str, reason: str):
        self.spec, self.reason = spec, reason
        super().__init__(f"unknown reference {spec!r}: {reason}")

    def __str__(self) -> str:  # KeyError's would quote the whole message
        return self.args[0]

    def __reduce__(self):
        return (type(self), (self.spec, self.reason))


class UntranslatedError(ReportError):
    """A strict render met paragraphs the edition's catalogue does not translate."""


class ExportError(ReportError):
    """pandoc or Typst failed to turn a notebook into a report; the message carries their output."""


class PublishError(ReportError):
    """A finished render could not replace one of the previous files; none was replaced."""

    def __init__(self, path, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"could not publish: {path} cannot be replaced ({reason}); "
                         "no file of this render was published")

    def __reduce__(self):
        return (type(self), (self.path, self.reason))


class FigureOwnerError(ReportError):
    """Two notebooks of one render write the same figure file, and neither is the report: the
    file would be whichever ran last, and the render record could never settle."""

    def __init__(self, path, notebooks: list[str]):
        self.path, self.notebooks = path, list(notebooks)
        super().__init__(f"{path} is written by {' and '.join(self.notebooks)}; a figure file "
                         "must have one notebook (rename the chart in one of them); nothing "
                         "was published")

    def __reduce__(self):
        return (type(self), (self.path, self.notebooks))


class WriteError(ReportError):
    """The system refused a write of the render (a full disk, a quota, a read-only folder):
    `what` was being written, `reason` the system's words."""

    def __init__(self, what: str, reason: str):
        self.what, self.reason = what, reason
        super().__init__(f"{reason} while writing {what}")

    def __reduce__(self):
        return (type(self), (self.what, self.reason))


class Interrupted(ReportError):
    """SIGINT or SIGTERM stopped the render: its processes were ended, nothing was published."""

    def __init__(self, signum: int):
        self.signum = signum
        self.exit_code = 128 + signum  # 130 for SIGINT, 143 for SIGTERM, as a shell reports
        super().__init__("render interrupted; previous report kept")

    def __reduce__(self):
        return (type(self), (self.signum,))
