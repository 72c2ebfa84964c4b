"""The `render` command: validate the data, execute the notebooks, export the report."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub) -> None:
    p = sub.add_parser("render", help="validate the data and render the report")
    p.set_defaults(func=cmd_render)


def cmd_render(args: argparse.Namespace) -> int:
    from tunisia_report.exceptions import DataValidationError
    from tunisia_report.paths import DATA_DIR, NOTEBOOKS_DIR, REPORTS_DIR
    from tunisia_report.validate import validate

    try:
        validate(DATA_DIR)
    except DataValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    import papermill

    REPORTS_DIR.mkdir(exist_ok=True)
    for nb in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        print(f"executing {nb.name}")
        papermill.execute_notebook(str(nb), str(REPORTS_DIR / nb.name), cwd=str(NOTEBOOKS_DIR),
                                   progress_bar=False)
    return 0
