"""A copy of the dataset N times its size, for `make bench`'s scale rows.

Every row of the hand-curated tables (figures, events, measures) and of the public record
(reports) is repeated N times, each copy with its own id (`<id>-x<n>`, the first copy keeping
the original id so that every reference still resolves), and so are their translations (each
edition shows every row in its language); the other tables are copied as they are. Quotes stay
the article's own, so the copy validates.

    python benchmarks/scaled_data.py N OUT_DIR
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEATED = ("figures", "events", "measures", "reports")


def _rewrite(path: Path, copy) -> None:
    """Rewrite a CSV table with each row replaced by the rows `copy(row)` returns."""
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *(c for r in rows
                                                                      for c in copy(r))])


def _id(row_id: str, n: int) -> str:
    return row_id if n == 0 else f"{row_id}-x{n}"


def scaled_copy(times: int, out: Path, source: Path = ROOT / "data") -> Path:
    """Copy `source` into `out` with each table of REPEATED `times` times as long."""
    shutil.copytree(source, out)
    for table in REPEATED:
        _rewrite(out / f"{table}.csv", lambda row: [[_id(row[0], n), *row[1:]]
                                                    for n in range(times)])
    # translations.csv: resource, row_id, field, lang, text
    _rewrite(out / "translations.csv", lambda row: [[row[0], _id(row[1], n), *row[2:]]
                                                    for n in range(times if row[0] in REPEATED
                                                                   else 1)])
    return out


if __name__ == "__main__":
    scaled_copy(int(sys.argv[1]), Path(sys.argv[2]))
