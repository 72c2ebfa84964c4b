"""A copy of the dataset N times its size, for `make bench`'s scale rows.

Every row of the hand-curated tables (figures, events, measures) and of the public record
(reports) is repeated N times, each copy with its own id (`<id>-x<n>`, the first copy keeping
the original id so that every reference still resolves); the other tables are copied as they
are. Quotes stay the article's own, so the copy validates.

    python benchmarks/scaled_data.py N OUT_DIR
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEATED = ("figures", "events", "measures", "reports")


def scaled_copy(times: int, out: Path, source: Path = ROOT / "data") -> Path:
    """Copy `source` into `out` with each table of REPEATED `times` times as long."""
    shutil.copytree(source, out)
    for table in REPEATED:
        path = out / f"{table}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            header, *rows = list(csv.reader(handle))
        copies = [[row[0] if n == 0 else f"{row[0]}-x{n}", *row[1:]]
                  for n in range(times) for row in rows]
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *copies])
    return out


if __name__ == "__main__":
    scaled_copy(int(sys.argv[1]), Path(sys.argv[2]))
