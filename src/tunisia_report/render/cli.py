"""The `render` command: validate the data, execute the notebooks, export the report.

Exit codes: 0 done (or nothing to do), 1 invalid data or a failed notebook or export,
2 a bad parameter, variant or option (before any kernel starts), 130/143 interrupted by SIGINT/
SIGTERM. Heavy libraries load only once there is work to do.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser(
        "render", help="validate the data and render the report",
        description="Validate the data, execute the notebooks with papermill and export "
                    "the report to HTML, PDF and Word. Unchanged inputs are not rendered again.")
    p.add_argument("--params", type=Path, metavar="FILE.yaml",
                   help="YAML file of parameters (as papermill's -f)")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUE"), help="a parameter (as papermill's -p)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--variant", help="render the variant notebooks/params/NAME.yaml "
                       "into OUTPUT_DIR/NAME/")
    which.add_argument("--all-variants", action="store_true",
                       help="render every variant, each into OUTPUT_DIR/NAME/")
    p.add_argument("--variants-dir", type=Path, default=None, metavar="DIR",
                   help="folder of variant YAML files (default: notebooks/params/)")
    p.add_argument("--notebook", type=Path, action="append",
                   help="render only this notebook (repeatable), exporting each")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="run up to N notebooks at once (default: one per CPU core)")
    p.add_argument("--formats", default="html,pdf,docx",
                   help="export formats, comma-separated, from: html, pdf, docx; '' for none")
    p.add_argument("--force", action="store_true", help="render even if nothing changed")
    p.add_argument("--strict", action="store_true",
                   help="fail on a paragraph the edition's catalogue does not translate "
                        "(without it, the paragraph shows in English and is named on stderr)")
    p.add_argument("--output-dir", type=Path, default=None, metavar="DIR",
                   help="where reports go (default: reports/)")
    p.add_argument("--execution-timeout", type=float, default=None, metavar="SECONDS",
                   help="fail a cell that runs longer than this")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print only errors (no progress, no summary)")
    p.add_argument("--help-notebook", action="store_true",
                   help="list each notebook's parameters with types and help, and exit")
    p.add_argument("--list-variants", action="store_true", help="list the variants and exit")
    p.set_defaults(func=cmd_render)


def options_from(args: argparse.Namespace):
    """Build render Options from the parsed flags; raise ReportError on bad input."""
    from tunisia_report.exceptions import UsageError
    from tunisia_report.paths import PARAMS_DIR, REPORTS_DIR
    from tunisia_report.render.plan import EXPORT_SUFFIX, Options
    from tunisia_report.render.variants import read_yaml_mapping, variant_names

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = [f for f in formats if f not in EXPORT_SUFFIX]
    if unknown:
        raise UsageError(f"--formats: unknown {', '.join(unknown)}; choose from "
                         f"{', '.join(EXPORT_SUFFIX)}")
    if args.jobs is None:
        args.jobs = os.cpu_count() or 1
    if args.jobs < 1:
        raise UsageError(f"--jobs: expected a number of at least 1, got {args.jobs}")
    if args.execution_timeout is not None and not args.execution_timeout > 0:
        raise UsageError("--execution-timeout: expected a number of seconds above 0, got "
                         f"{args.execution_timeout:g}")
    params = read_yaml_mapping(args.params) if args.params else {}
    cli = dict(args.parameter)
    params.update(cli)
    variants_dir = args.variants_dir or PARAMS_DIR
    variants = None
    if args.all_variants:
        variants = variant_names(variants_dir)
    elif args.variant:
        variants = [args.variant]
    return Options(variants=variants, params=params, cli_names=set(cli),
                   notebooks=args.notebook, formats=formats, jobs=args.jobs, force=args.force,
                   output_dir=(args.output_dir or REPORTS_DIR).resolve(),
                   timeout=args.execution_timeout, variants_dir=variants_dir,
                   strict=args.strict)


def cmd_render(args: argparse.Namespace) -> int:
    from tunisia_report.exceptions import Interrupted
    from tunisia_report.render.processes import interruptible
    from tunisia_report.render.progress import Reporter

    if args.list_variants:
        return list_variants(args.variants_dir)
    if args.help_notebook:
        return help_notebook(args.notebook)
    reporter = Reporter(mode="quiet" if args.quiet else None)
    try:
        with interruptible():
            return _render(args, reporter)
    except Interrupted as exc:  # every process ended and the staging folder removed on the way
        reporter.finish()
        print(exc, file=sys.stderr)
        return exc.exit_code


def _render(args: argparse.Namespace, reporter) -> int:
    from tunisia_report.exceptions import DataValidationError, Interrupted, ReportError, WriteError
    from tunisia_report.render import cache
    from tunisia_report.render.lock import output_lock
    from tunisia_report.render.plan import data_dirs, plan

    try:
        options = options_from(args)
        jobs = plan(options)
        check_output_dir(options.output_dir, data_dirs(jobs))
        make_output_dir(options.output_dir)
    except ReportError as exc:  # a bad parameter, variant or option: a UsageError, exit 2
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    with output_lock(options.output_dir, _shown(options.output_dir)):
        digests = cache.Digests()  # the outputs as they are now that the folder is ours
        for job in jobs:
            job.fresh = (set() if options.force
                         else cache.fresh_notebooks(job.out_dir, job.keys, digests))
        digests.save()
        todo = [j for j in jobs if j.stale]
        for job in jobs:
            if job not in todo:
                reporter.say(f"{job.name}: up to date, nothing to do ({_shown(job.out_dir)}; "
                             "--force renders again)")
            elif job.fresh:
                reporter.say(f"{job.name}: {len(job.fresh)} of {len(job.notebooks)} notebooks "
                             f"up to date; running {', '.join(p.name for p in job.stale)}")
        if not todo:
            from tunisia_report.render.index import index_is_current

            if not index_is_current(options.output_dir):
                write_index(options.output_dir)
            return 0
        warn_uncommitted(todo)
        from tunisia_report.dataset.validate import validate
        from tunisia_report.render.run import Renderer
        from tunisia_report.render.scratch import render_scratch

        try:
            with render_scratch():
                renderer = Renderer(options, reporter)
                renderer.warm(todo)  # the first kernel starts as the data is validated
                try:
                    for data_dir in data_dirs(todo):
                        validate(data_dir)
                except DataValidationError as exc:
                    renderer.close()  # bad data: the kernel ends unused, nothing rendered
                    print(f"error: {exc}\nnothing was rendered.", file=sys.stderr)
                    return exc.exit_code
                done = renderer.run(todo)
        except Interrupted:
            raise
        except OSError as exc:  # a write no step named (a full disk): one line, no traceback
            exc = WriteError("the render's temporary files", (exc.strerror or str(exc)).lower())
            return _failed_write(exc, reporter)
        except WriteError as exc:
            return _failed_write(exc, reporter)
        except ReportError as exc:
            reporter.finish()
            print(f"error: {exc}\nthe previous outputs were left untouched.", file=sys.stderr)
            return exc.exit_code
        try:
            index = write_index(options.output_dir)
        except OSError as exc:
            reporter.finish()
            print(f"error: {(exc.strerror or str(exc)).lower()} while writing "
                  f"{_shown(options.output_dir / 'index.html')}; the report was published, the "
                  "index is the previous one", file=sys.stderr)
            return 1
    for job, files in done:
        listed = [f for f in files if f.parent == job.out_dir]
        if index.parent == job.out_dir:
            listed.append(index)
        reporter.say(f"{job.name}: wrote {', '.join(_shown(f) for f in listed)}")
    if all(index.parent != job.out_dir for job, _ in done):  # variants: the index above them
        reporter.say(f"index: wrote {_shown(index)}")
    return 0


def _failed_write(exc, reporter) -> int:
    """Say in one line what could not be written, and that nothing was published."""
    reporter.finish()
    print(f"error: {exc}; the previous outputs are untouched", file=sys.stderr)
    return exc.exit_code


def check_output_dir(path: Path, data_dirs: list[Path]) -> None:
    """Raise a UsageError when the output folder is, holds or lies inside one of the project's
    inputs (notebooks/, data/, src/) or a data folder the render reads: a render would
    overwrite them, or change the data it is keyed on."""
    from tunisia_report.exceptions import UsageError
    from tunisia_report.paths import DATA_DIR, NOTEBOOKS_DIR, ROOT

    out = Path(path).resolve()
    inputs = [NOTEBOOKS_DIR, DATA_DIR, ROOT / "src", *data_dirs]
    for folder in (Path(p).resolve() for p in inputs):
        if out == folder or folder in out.parents or out in folder.parents:
            how = ("is" if out == folder else "lies inside" if folder in out.parents
                   else "holds")
            raise UsageError(f"--output-dir: expected a folder apart from the render's inputs, "
                             f"got {_shown(out)}, which {how} {_shown(folder)}")
def write_index(output_dir: Path) -> Path:
    """Write the output folder's index.html, listing every edition in it (see
    `render.index`); return its path."""
    from tunisia_report.render.index import write_index as write

    return write(Path(output_dir))


def make_output_dir(path: Path) -> None:
    """Create the output folder and check it can be written, or raise a UsageError saying why."""
    import tempfile

    from tunisia_report.exceptions import UsageError

    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise UsageError(f"--output-dir: expected a folder that can be created, got {path} "
                         f"({reason})") from None
    try:
        tempfile.TemporaryFile(dir=path).close()
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise UsageError(f"--output-dir: expected a folder that can be written, got {path} "
                         f"({reason})") from None


def warn_uncommitted(jobs) -> None:
    """Say when a notebook's parameter defaults differ from the committed ones (see
    `parameters.uncommitted_defaults`): the render uses them, but should not do so silently."""
    from tunisia_report.parameters import uncommitted_defaults

    for path in sorted({p for job in jobs for p in job.stale}):
        changed = uncommitted_defaults(path)
        if changed:
            print(f"warning: {_shown(path)}: parameters differ from the last commit "
                  f"({'; '.join(changed)}); this render uses them. Commit them, or "
                  f"`git checkout {_shown(path)}` to render with the committed ones.",
                  file=sys.stderr)


def _shown(path: Path) -> str:
    from tunisia_report.dataset.files import display_path

    return display_path(path)


def list_variants(variants_dir: Path | None) -> int:
    from tunisia_report.paths import PARAMS_DIR
    from tunisia_report.render.variants import load_variant, variant_names

    variants_dir = variants_dir or PARAMS_DIR
    for name in variant_names(variants_dir):
        print(f"{name}: {load_variant(name, variants_dir)['description']}")
    return 0


def help_notebook(notebooks: list[Path] | None) -> int:
    from tunisia_report.exceptions import UsageError
    from tunisia_report.parameters import describe_notebook, notebook_parameters
    from tunisia_report.render.plan import default_notebooks

    for path in notebooks or default_notebooks():
        try:
            print(describe_notebook(path.name, notebook_parameters(path)))
        except UsageError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return exc.exit_code
    return 0
