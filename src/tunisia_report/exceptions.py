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
