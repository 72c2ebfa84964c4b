"""Command line: `python -m tunisia_report validate|render ...`.

Imports stay inside the commands, so `--help` and a no-op render start fast.
"""

from __future__ import annotations

import argparse
import sys


def cmd_validate(args: argparse.Namespace) -> int:
    """Check the dataset; print every problem and return 1, or a summary and 0."""
    from tunisia_report.dataset.validate import display_path, validate
    from tunisia_report.exceptions import DataValidationError

    try:
        validate(args.data_dir)
    except DataValidationError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s): the dataset is not valid.", file=sys.stderr)
        return 1
    print(f"{display_path(args.data_dir / 'datapackage.json')}: valid.")
    return 0


# The commands beside `validate`, each in the module that defines its parser (`add_parser`).
COMMANDS = {"render": "tunisia_report.render.cli",
            "preview": "tunisia_report.render.preview_server",
            "review": "tunisia_report.render.review"}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of `validate` and `command` alone: a render imports
    neither the preview's web server nor the review's Word reader (measured: 0.1 s of a no-op
    render's 0.3 s)."""
    import importlib
    from pathlib import Path

    from tunisia_report.paths import DATA_DIR

    parser = argparse.ArgumentParser(
        prog="python -m tunisia_report",
        description="Tunisia's Security-First Policy at a Crossroads: data checks and report.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check the dataset against its schema and sources")
    p.add_argument("data_dir", nargs="?", type=Path, default=DATA_DIR,
                   help="folder holding datapackage.json (default: the project's data/)")
    p.set_defaults(func=cmd_validate)
    for name, module in COMMANDS.items():
        if command in (None, name):
            importlib.import_module(module).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = argv[0] if argv and argv[0] in COMMANDS else None
    args = build_parser(command).parse_args(argv)
    return args.func(args)
