"""One exception root for the package; subclasses carry structured detail."""

from __future__ import annotations

from dataclasses import dataclass


class ReportError(Exception):
    """Root of every error this package raises on purpose."""


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


class ParameterError(ReportError):
    """A parameter given to a notebook is unknown or has the wrong type or value."""

    def __init__(self, name: str, notebook: str, expected: str, found: str,
                 accepted: list[str] | None = None):
        self.name, self.notebook, self.expected, self.found = name, notebook, expected, found
        self.accepted = accepted or []
        message = f"parameter '{name}' of {notebook}: expected {expected}, got {found}"
        if self.accepted:
            message += f"\n  accepted names: {', '.join(self.accepted)}"
        super().__init__(message)


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


class VariantError(ReportError):
    """A variant file is missing or malformed."""
