"""Run the planned jobs: execute each notebook in a staging folder, export, publish atomically.

A job is one variant (or the default render): its notebooks run into a private staging folder
and move into place only when every one of them, and the exports, succeeded. The caller holds
the output folder's lock (`lock`) and the signal handlers (`processes`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from tunisia_report.exceptions import (
    ExecutionError,
    Interrupted,
    PublishError,
    ReportError,
    WriteError,
)
from tunisia_report.paths import CACHE_DIR
from tunisia_report.render import cache
from tunisia_report.render.lock import STAGING_PREFIX
from tunisia_report.render.plan import REPORT_NAME, Job, Options
from tunisia_report.render.task import Task, run_downloads, run_task


def publish(staged: list[Path], stage: Path, job: Job) -> list[Path]:
    """Move staged files into the job's folders, all of them or none; return their final paths.

    Every target is checked first (its folder can be made and written, no folder stands in its
    place); then each is replaced, keeping the file it replaces (a hard link, else a copy) in the
    stage until all are done. A failure on the way (an immutable file, say) puts the previous
    files back. Either way a PublishError names the file that blocked it.
    """
    moves = [(path, publish_target(path.relative_to(stage), job)) for path in staged]
    for _, target in moves:
        reason = blocker(target)
        if reason:
            raise PublishError(target, reason)
    kept = stage / ".previous"
    kept.mkdir(exist_ok=True)
    previous: dict[Path, Path | None] = {}  # target -> its previous file kept aside, or None
    try:
        for number, (path, target) in enumerate(moves):
            target.parent.mkdir(parents=True, exist_ok=True)
            previous[target] = keep_aside(target, kept / str(number))
            os.replace(path, target)
    except OSError as exc:
        restore(previous)
        raise PublishError(target, (exc.strerror or str(exc)).lower()) from None
    return [target for _, target in moves]


def publish_target(rel: Path, job: Job) -> Path:
    """Where a staged file (relative to its stage) goes: figures/<notebook>/... to the job's
    figures folder (see `Renderer.tasks_for`)."""
    if rel.parts[0] == "figures":
        return job.figures_dir / Path(*rel.parts[2:])
    return job.out_dir / rel


def blocker(target: Path) -> str | None:
    """Why `target` could not be replaced, or None when nothing is in the way."""
    if target.is_dir() and not target.is_symlink():
        return "a folder is in its place"
    folder = target.parent
    while not os.path.lexists(folder):
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} cannot be written"
    return None


def keep_aside(target: Path, keep: Path) -> Path | None:
    """Keep the file at `target` as `keep` (a hard link, else a copy); None if there is none."""
    if not os.path.lexists(target):
        return None
    try:
        os.link(target, keep, follow_symlinks=False)
    except OSError:
        shutil.copy2(target, keep, follow_symlinks=False)
    return keep


def restore(previous: dict[Path, Path | None]) -> None:
    """Put back the files `publish` replaced, and remove the ones it added."""
    for target, keep in reversed(previous.items()):
        try:
            if keep is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(keep, target)
        except OSError:
            continue  # the target that failed: never replaced, still the previous file


def staged_files(stage: Path) -> list[Path]:
    return sorted(p for p in stage.rglob("*") if p.is_file())


def owned_files(task: Task) -> list[Path]:
    """What a task wrote in its stage: its executed notebook, its exports (the report's
    downloads among them) and its charts."""
    from tunisia_report.export.downloads import DOWNLOADS

    names = set(DOWNLOADS) if task.source.name == REPORT_NAME else set()
    own = [p for p in task.stage.iterdir()
           if p.is_file() and (p.stem == task.source.stem or p.name in names)]
    figures = staged_files(task.figures_stage) if task.figures_stage.is_dir() else []
    return sorted(own) + figures


def one_writer_each(job: Job, owners: dict[str, list[Path]], stage: Path) -> dict[str, list[Path]]:
    """`owners` (notebook -> the files it staged) with each figure file given to one notebook.

    The report and an analysis notebook may draw the same chart (the key figures): the report's
    copy is the one published, so the figure files match what the report shows, and the other
    notebook's staged copy is removed. Otherwise a file would be whichever notebook ran last,
    and each run would find the other's record stale. A notebook not run again (fresh) writes
    what its record says it wrote. Two notebooks neither of which is the report writing one
    file is a FigureOwnerError, found before anything is published."""
    from tunisia_report.exceptions import FigureOwnerError

    def target(path: Path) -> Path | None:
        rel = path.relative_to(stage)
        return publish_target(rel, job) if rel.parts[0] == "figures" else None

    writers: dict[Path, list[str]] = {}
    for name, files in owners.items():
        for path in files:
            if target(path) is not None:
                writers.setdefault(target(path), []).append(name)
    record = cache.read_record(job.out_dir) if job.fresh else {}
    for name in sorted(job.fresh):
        for path in record.get(name, {}).get("outputs", {}):
            if Path(path) in writers:
                writers[Path(path)].append(name)
    for path, names in writers.items():
        if len(names) > 1 and REPORT_NAME not in names:
            raise FigureOwnerError(path, sorted(names))
    kept: dict[str, list[Path]] = {}
    for name, files in owners.items():
        kept[name] = []
        for path in files:
            names = writers.get(target(path), [name])
            if name != REPORT_NAME and len(names) > 1:
                path.unlink()  # the report's copy is published
            else:
                kept[name].append(path)
    return kept


def remember(job: Job, outputs: dict[str, list[Path]]) -> None:
    """Record the job's published files (`cache.remember`). The record only saves the next
    render's time: one that cannot be written (a full disk) is a warning, and the next render
    of these notebooks runs them again."""
    import sys

    try:
        cache.remember(job.out_dir, job.keys, outputs)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        print(f"warning: {reason} while writing {cache.record_path(job.out_dir)}; the report "
              "was published, and the next render will run its notebooks again",
              file=sys.stderr)


class Renderer:
    """Runs the tasks of several jobs, one after another or in worker processes."""

    def __init__(self, options: Options, reporter):
        self.options, self.reporter = options, reporter
        self.pool = None  # one process: the kernel pool, started by `warm`

    def warm(self, jobs: list[Job]) -> None:
        """Start the first notebook's kernel now (it starts and imports the stack while the
        driver validates the data: about 2 s of CPU off the render's path) when the notebooks
        run in this process; `close` ends it if they never run."""
        from tunisia_report.render.kernels import KernelPool, uses_the_package

        stale = [nb for job in jobs for nb in job.stale]
        if stale and (self.options.jobs <= 1 or len(stale) <= 1):
            self.pool = KernelPool()
            self.pool.start(stale[0].parent, imports=uses_the_package(stale[0]))

    def close(self) -> None:
        """End the kernel `warm` started, unused."""
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def tasks_for(self, job: Job, stage: Path) -> list[Task]:
        """The job's notebooks to run, each with its own figures folder in the stage (so the
        record knows which charts each wrote)."""
        return [
            Task(job.name, nb, stage, stage / "figures" / nb.stem, job.figures_dir,
                 job.parameters.get(nb.name, {}),
                 self.options.formats if nb.name in job.exports else (),
                 self.options.timeout, CACHE_DIR / "failed" / job.name / nb.name,
                 self.options.strict, job.out_dir)
            for nb in job.stale
        ]

    def run(self, jobs: list[Job]) -> list[tuple[Job, list[Path]]]:
        """Render every job; publish those that fully succeeded; raise the first failure."""
        root = Path(self.options.output_dir)
        root.mkdir(parents=True, exist_ok=True)
        stages = {job.name: Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{job.name}-", dir=root))
                  for job in jobs}
        try:
            tasks = [t for job in jobs for t in self.tasks_for(job, stages[job.name])]
            for stage in stages.values():
                (stage / "figures").mkdir()
            failures = self.execute_all(tasks)
            owned = {job.name: one_writer_each(job, {t.source.name: owned_files(t) for t in tasks
                                                     if t.job == job.name}, stages[job.name])
                     for job in jobs if job.name not in failures}  # before any is published
            done = []
            for job in jobs:
                if job.name in failures:
                    continue
                stage, owners = stages[job.name], owned[job.name]
                staged = staged_files(stage)
                final = publish(staged, stage, job)
                moved = dict(zip(staged, final, strict=True))
                remember(job, {name: [moved[p] for p in files] for name, files in owners.items()})
                done.append((job, final))
            if failures:
                raise next(iter(failures.values()))
            return done
        finally:
            self.close()  # a kernel `warm` started that no notebook took (a failure on the way)
            for stage in stages.values():
                shutil.rmtree(stage, ignore_errors=True)

    def downloads(self, tasks: list[Task], failures: dict[str, ReportError]) -> None:
        """Write the report's downloads (`run_downloads`) in this process, while the kernels
        start and run: they were the last step of the report's task, 0.9 s after its
        exports."""
        made: dict = {}
        for number, task in enumerate(tasks, 1):
            if task.job not in failures:
                try:
                    run_downloads(task, self.reporter.task(number, len(tasks), task), made)
                except ReportError as exc:
                    failures[task.job] = exc

    def execute_all(self, tasks: list[Task]) -> dict[str, ReportError]:
        """Execute the tasks; return the first error of each failed job."""
        failures: dict[str, ReportError] = {}
        total = len(tasks)
        if self.options.jobs <= 1 or total <= 1:
            from tunisia_report.render.kernels import KernelPool

            # the next notebook's kernel warms while this one runs (the first: see `warm`)
            pool, self.pool = self.pool or KernelPool(), None
            try:
                self.downloads(tasks, failures)
                for number, task in enumerate(tasks, 1):
                    if task.job in failures:
                        continue
                    progress = self.reporter.task(number, total, task)
                    self.reporter.start(number, total, task)
                    pool.more = number < total  # the last notebook's kernel is not reset
                    try:
                        run_task(task, progress, pool)
                    except Interrupted:
                        raise
                    except ReportError as exc:
                        failures[task.job] = exc
            except BaseException:
                pool.abandon()
                raise
            pool.close()
            return failures
        return self._execute_parallel(tasks, failures)

    def _execute_parallel(self, tasks, failures):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        from tunisia_report.render import ahead

        context = multiprocessing.get_context("spawn")
        queue = context.Queue()  # handed to workers as they start: no Manager process
        ended = Path(tempfile.mkdtemp(prefix="tunisia-report-ended-"))
        listener = self.reporter.listen(queue, len(tasks))
        try:
            with ProcessPoolExecutor(self.options.jobs, mp_context=context,
                                     initializer=_start_worker,
                                     initargs=(queue, os.getpid())) as pool:
                # The longest first (`longest_first`). The numbers stay the tasks' own.
                numbered = sorted(enumerate(tasks, 1), key=lambda item: longest_first(item[1]))
                futures = {pool.submit(_worker, task, n): (n, task) for n, task in numbered}
                # Then, in a worker the analysis notebooks leave idle, the report's charts
                # ahead of its kernel (`ahead`), until the report's task has ended (a file in
                # `ended`); never an error.
                for n, task in numbered:
                    if task.source.name == REPORT_NAME:
                        pool.submit(ahead.in_worker, task.source, task.parameters,
                                    ended / f"{n}.ended")
                self.downloads(tasks, failures)
                for future in as_completed(futures):
                    number, task = futures[future]
                    (ended / f"{number}.ended").touch()
                    try:
                        future.result()
                    except (ExecutionError, WriteError) as exc:
                        failures.setdefault(task.job, exc)
        finally:
            queue.put(None)
            listener.join(timeout=5)
            shutil.rmtree(ended, ignore_errors=True)
        return failures


def longest_first(task: Task) -> tuple:
    """Sort key of the tasks a pool of workers runs: a notebook with exports (the report, in
    each edition) before the short analysis notebooks, so that it runs and exports while they
    run instead of starting last and running alone; and a report of every section before one
    of a few (the brief): with the brief second, `--all-variants` started the French report
    after it, last, alone for 13 s of a 50 s render."""
    sections = task.parameters.get("sections")
    return (not (task.formats or task.source.name == REPORT_NAME),
            len(sections) if isinstance(sections, list) else -1)


_progress_queue = None  # in a worker: where progress messages go
_kernel_pool = None  # in a worker: the kernel warming for its next task


def _start_worker(queue, driver_pid: int) -> None:
    """Initializer of a worker process: keep the progress queue, watch the driver, and end the
    worker's spare kernel when it exits."""
    from multiprocessing.util import Finalize

    from tunisia_report.render.kernels import KernelPool
    from tunisia_report.render.processes import watch_driver

    global _progress_queue, _kernel_pool
    _progress_queue = queue
    _kernel_pool = KernelPool()
    Finalize(_kernel_pool, _kernel_pool.close, exitpriority=10)
    watch_driver(driver_pid)


def _worker(task: Task, number: int) -> None:
    """Entry point of a worker process: run one task, sending progress to the queue."""
    from tunisia_report.render.progress import TaskProgress

    queue = _progress_queue
    progress = TaskProgress(lambda kind, step, cell, cells: queue.put(
        (number, task.job, task.source.name, kind, step, cell, cells)))
    progress.begin("run")
    try:
        run_task(task, progress, _kernel_pool)
    except (ExecutionError, WriteError):
        raise
    except ReportError as exc:  # e.g. an export failure: send it back as plain data
        raise ExecutionError(task.source.name, None, str(exc), None) from None
