"""Execute one notebook with papermill, report progress per cell, and make the result stable."""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Callable
from pathlib import Path

from tunisia_report.exceptions import ExecutionError, ExpressionError, Interrupted, WriteError

ENGINE_NAME = "tunisia_report"
ProgressCallback = Callable[[int, int], None]  # (cell index, cell count)


def _engine(progress: ProgressCallback | None, running: dict):
    """A papermill engine that evaluates Markdown cells' inline expressions (`ExpressionEngine`),
    records the running cell in `running["cell"]` and calls `progress` as each cell starts.

    It writes the notebook once, when it ends (papermill) or fails (here: papermill gives the
    engine the output path only with `request_save_on_cell_execute`), not as each cell starts
    and completes: those writes took 3.7 s of a 22 s render (cProfile of
    the driver: 153 `nbformat.writes` of a notebook growing to 3 MB of chart images)."""
    from tunisia_report.export.evaluate import expression_engine

    class ProgressEngine(expression_engine()):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            total = len(nb_man.nb.cells)
            original = nb_man.cell_start

            def cell_start(cell, cell_index=None, **kw):
                running["cell"] = cell_index
                if progress is not None:
                    progress(cell_index or 0, total)
                return original(cell, cell_index, **kw)

            nb_man.cell_start = cell_start
            save = nb_man.save
            nb_man.save = lambda **kw: None
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except Interrupted:
                raise  # its staging folder is about to go
            except Exception:
                save()  # a timeout or a dead kernel: the partly executed notebook, to keep
                raise
            finally:
                nb_man.save = save

    return ProgressEngine


def stabilise(nb, rename: dict[str, str] | None = None) -> None:
    """Remove what differs between two runs of the same inputs: timings, random ids, paths.

    `rename` maps temporary paths given as parameters to the final paths they stand for.
    """
    from tunisia_report.parameters import RECORD_MIME

    records = [o["data"][RECORD_MIME].get(part, {}) for cell in nb.cells
               for o in cell.get("outputs", []) if RECORD_MIME in o.get("data", {})
               for part in ("given", "parameters")]
    for old, new in (rename or {}).items():
        params = nb.metadata.get("papermill", {}).get("parameters", {})
        for values in [params, *records]:  # the run's record says what the metadata says
            for name, value in values.items():
                if value == old:
                    values[name] = new
        for cell in nb.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.source = cell.source.replace(repr(old), repr(new)).replace(
                    f'"{old}"', f'"{new}"')
    nb.metadata.get("papermill", {}).update(
        {"start_time": None, "end_time": None, "duration": None, "input_path": None,
         "output_path": None})
    for index, cell in enumerate(nb.cells):
        pm = cell.metadata.get("papermill")
        if pm:
            pm.update({"start_time": None, "end_time": None, "duration": None})
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        elif "id" in cell and not cell["id"]:
            cell["id"] = f"cell-{index}"


def execute(source: Path, target: Path, parameters: dict, cwd: Path,
            timeout: float | None = None, progress: ProgressCallback | None = None,
            kept_at: Path | None = None, rename: dict[str, str] | None = None, km=None,
            give_back=None):
    """Execute `source` into `target` with `parameters`; raise ExecutionError on failure.

    On failure the partly executed notebook is written to `kept_at` (if given). `km`: a kernel
    already started in `cwd` (see `kernels`); after the notebook it goes to `give_back(km, ok)`
    if given (the pool resets it for the next notebook), else it is shut down.
    """
    import nbformat
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError

    running: dict = {"cell": None}
    papermill_engines.register(ENGINE_NAME, _engine(progress, running))
    # papermill's logger (nbclient logs through it) has no handler, so Python would print its
    # errors ("Timeout waiting for execute reply") beside ours: every failure is ours to say.
    logging.getLogger("papermill").addHandler(logging.NullHandler())
    from tunisia_report.render.kernels import log_tail, new_manager, shutdown

    if km is None:  # papermill starts it (an ipc kernel: see `kernels.new_manager`)
        km, give_back = new_manager(), None
    ok = False
    try:
        nb = papermill.execute_notebook(
            str(source), str(target), parameters=parameters, engine_name=ENGINE_NAME,
            cwd=str(cwd), progress_bar=False, request_save_on_cell_execute=bool(kept_at),
            execution_timeout=timeout, record_timing=False, kernel_name="python3",
            # The kernel's own log (a TCP-encryption notice at start, the interrupt that
            # jupyter_client sends before every shutdown) says nothing about the notebook.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            km=km,
        )
        ok = True
    except PapermillExecutionError as exc:
        if exc.ename == "OSError" and exc.evalue.startswith(f"[Errno {errno.ENOSPC}]"):
            _keep(target, kept_at)  # a full disk, met by the notebook's own writes (its charts)
            raise WriteError(f"the files of cell {exc.cell_index} of {source.name}",
                             os.strerror(errno.ENOSPC).lower()) from None
        reason = f"{exc.ename}: {exc.evalue}"
        raise ExecutionError(source.name, exc.cell_index, reason, _keep(target, kept_at)) from None
    except ExpressionError as exc:
        raise ExecutionError(source.name, exc.cell_index, str(exc).split(": ", 1)[1],
                             _keep(target, kept_at)) from None
    except CellTimeoutError:
        reason = f"the cell ran longer than the execution timeout of {timeout:g} s"
        raise ExecutionError(source.name, running["cell"], reason,
                             _keep(target, kept_at)) from None
    except DeadKernelError as exc:
        raise ExecutionError(source.name, None, f"the kernel died ({exc})",
                             _keep(target, kept_at)) from None
    except RuntimeError as exc:  # jupyter_client: "Kernel died before replying to kernel_info"
        said = log_tail(km)
        reason = f"the kernel failed: {exc}" + (f" (its log: {said})" if said else "")
        raise ExecutionError(source.name, running["cell"], reason,
                             _keep(target, kept_at)) from None
    finally:
        if give_back is not None:
            give_back(km, ok)
        else:
            shutdown(km, wait=False)
    stabilise(nb, rename)
    nbformat.write(nb, str(target))
    return nb


def _keep(target: Path, kept_at: Path | None) -> str | None:
    """Move the partly executed notebook where the user can debug it."""
    if kept_at is None or not Path(target).exists():
        return None
    Path(kept_at).parent.mkdir(parents=True, exist_ok=True)
    Path(target).replace(kept_at)
    return str(kept_at)
