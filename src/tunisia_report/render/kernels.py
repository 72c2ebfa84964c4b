"""Warm kernels: the first notebook's kernel starts, and imports the stack, while the driver
validates the data (not for a notebook that does not use the package: `uses_the_package`),
and a worker's kernel runs its next notebooks too, reset between them.

A kernel's start and imports (pandas, matplotlib, the package, the citation styles and
catalogues on first use) cost each notebook about 2 s of CPU on the 2-core machine, five times
per render: the largest part of the gap between the render and its one-process floor (see
benchmarks/README.md). So a kernel whose notebook succeeded is reset (`RESET`: every name the
notebook defined removed, its figures closed, the execution count back to 1) and given the
worker's next notebook; modules stay imported. Each notebook still sees a fresh namespace: the
warm-up and the reset run silently and outside the history, and the `Report` of each notebook
applies its style and edition, so execution counts and outputs are those of a fresh kernel
(tests/test_speedups.py compares every byte with a render whose every notebook has a kernel of
its own). A kernel whose notebook failed is shut down, never reused.

`TUNISIA_KERNEL_POOL=off` turns the pool off (the tests compare outputs with and without it).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import queue
import tempfile
import threading
import time
import uuid
from pathlib import Path

SWITCH = "TUNISIA_KERNEL_POOL"
KERNEL_NAME = "python3"
# As nbclient starts a kernel (no history file), plus our log level (see `execute`).
EXTRA_ARGUMENTS = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=CRITICAL"]
WARM_UP = ("import pandas, matplotlib.figure, matplotlib.backends.backend_agg, "
           "matplotlib.backends.backend_svg, IPython.display, tunisia_report.report.content, "
           "tunisia_report.charts, tunisia_report.dataset.catalogue")
STARTUP_TIMEOUT_S = 60
# Between two notebooks in one kernel: what a fresh kernel would not have (see the docstring).
# The edition's language is module state, which `%reset` keeps: after an Arabic report, the
# next notebook wrote its dates and citations in Arabic (found running 00_dataset.ipynb after
# report.ipynb with lang=ar in one kernel).
# Only what the notebook imported is reset: importing pyplot to close no figure cost a kernel
# that ran a notebook without charts about 0.55 s (pyplot and the i18n module, measured).
RESET = ("import sys as _sys\n"
         "if 'matplotlib.pyplot' in _sys.modules:\n"
         "    _sys.modules['matplotlib.pyplot'].close('all')\n"
         "if 'tunisia_report.text.i18n' in _sys.modules:\n"
         "    _i18n = _sys.modules['tunisia_report.text.i18n']\n"
         "    _i18n.activate(_i18n.SOURCE_LANG)\n"
         "get_ipython().run_line_magic('reset', '-f')\n"
         "get_ipython().execution_count = 1\n")


# A Unix socket's path is at most 107 bytes (108 on Linux with its NUL); a long temporary
# folder's kernels fall back to TCP.
MAX_SOCKET_PATH = 100


def new_manager():
    """A manager for a kernel that talks over Unix sockets (ipc): no TCP port to lose to another
    process between choosing it and binding it (papermill#511). Its connection file, sockets and
    log go to the temporary folder, which a render points at a folder of its own (see
    `scratch`)."""
    stem = os.path.join(tempfile.gettempdir(), f"kernel-{uuid.uuid4().hex[:8]}")
    fits = len(os.fsencode(stem + "-ipc-5")) <= MAX_SOCKET_PATH
    return _manager_class()(kernel_name=KERNEL_NAME, transport="ipc" if fits else "tcp",
                            connection_file=stem + ".json")


def log_tail(km) -> str:
    """The last line a kernel wrote to its log (its stderr), or ""."""
    path = getattr(km, "log_path", None)
    with contextlib.suppress(OSError):
        lines = Path(path).read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return lines[-1].strip() if lines else ""
    return ""


@functools.cache
def _manager_class():
    from jupyter_client import AsyncKernelManager
    from jupyter_client.asynchronous import AsyncKernelClient
    from traitlets import default

    class PromptClient(AsyncKernelClient):
        """jupyter_client's client without the 0.2 s its `wait_for_ready` then spends waiting
        for IOPub to fall quiet: ten times a render (the warm-up, each reset, each notebook's
        nbclient), 2 s of a `--jobs 1` render with both processes idle. Nothing needs the
        quiet: nbclient and the warm-up read only the replies to their own requests."""

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            """Ready: the kernel answered `kernel_info` and IOPub delivers (its status)."""
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                with contextlib.suppress(queue.Empty):
                    reply = await self.get_shell_msg(timeout=1)
                    # Any request's reply: a kernel slow to start answers each request sent
                    # while it started, one a second (matching the last request, the wait
                    # stayed one reply behind until its timeout).
                    if reply["msg_type"] == "kernel_info_reply":
                        with contextlib.suppress(queue.Empty):
                            await self.get_iopub_msg(timeout=0.2)
                            self._handle_kernel_info_reply(reply)
                            return
                if not await self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    class LoggedKernelManager(AsyncKernelManager):
        """A kernel whose stdout and stderr go to a log beside its connection file, never to
        the terminal of the render: a kernel that fails to start (a TCP port taken by another
        process between its choice and its bind) writes a traceback there, and the render says
        what failed in its own words (`log_tail`)."""

        @default("client_factory")
        def _prompt_client(self):
            return PromptClient

        @property
        def log_path(self) -> str:
            return os.path.splitext(self.connection_file)[0] + ".log"

        async def start_kernel(self, **kw):
            fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                await super().start_kernel(**{"stdout": fd, "stderr": fd, **kw})
            finally:
                os.close(fd)  # the kernel has its own copy

    return LoggedKernelManager


def enabled() -> bool:
    return os.environ.get(SWITCH, "on") != "off"


DISPLAY_NAME = "Python 3 (tunisia-report)"


def install_spec(prefix: str) -> str:
    """Install the project's kernel spec into `prefix` (`make` gives the venv's); return where.

    ipykernel's `install` writes the spec into a folder it makes in the temporary folder
    (`tmp…_kernels`), copies it and removes only the spec inside, so each install left an empty
    folder behind; here its temporary folder is one of ours, removed after."""
    from ipykernel.kernelspec import install

    with tempfile.TemporaryDirectory(prefix="tunisia-report-kernelspec-") as folder:
        saved, tempfile.tempdir = tempfile.tempdir, folder
        try:
            return install(kernel_name=KERNEL_NAME, display_name=DISPLAY_NAME, prefix=prefix)
        finally:
            tempfile.tempdir = saved


def uses_the_package(notebook: Path) -> bool:
    """Whether a notebook's code names `tunisia_report` (the project's notebooks do; a test's
    fixture or an analyst's own notebook may not, and gains nothing from `WARM_UP`)."""
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return True
    return any(cell.get("cell_type") == "code" and "tunisia_report" in "".join(cell["source"])
               for cell in cells if isinstance(cell, dict) and "source" in cell)


class WarmKernel:
    """A kernel starting (and running `WARM_UP` if `imports`) or, given `km`, being reset, in a
    background thread; `manager()` waits for it to be ready."""

    def __init__(self, cwd: Path, km=None, imports: bool = True):
        self.cwd = Path(cwd)
        self.km = km
        self.imports = imports
        self.error: BaseException | None = None
        _manager_class()  # jupyter_client imported by this thread, not beside another's imports
        self._thread = threading.Thread(target=self._start, name="warm-kernel", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            asyncio.run(self._warm())
        except BaseException as exc:  # noqa: BLE001 - the notebook then starts its own kernel
            self.error = exc

    async def _warm(self) -> None:
        code = RESET
        if self.km is None:
            self.km = new_manager()
            await self.km.start_kernel(cwd=str(self.cwd), extra_arguments=EXTRA_ARGUMENTS)
            code = WARM_UP if self.imports else None
        client = self.km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=STARTUP_TIMEOUT_S)
            if code is None:
                return
            msg_id = client.execute(code, silent=True, store_history=False)
            for _ in range(STARTUP_TIMEOUT_S):  # a second at a time: the kernel may be ended
                try:
                    reply = await client.get_shell_msg(timeout=1)
                except queue.Empty:
                    if not await self.km.is_alive():
                        raise RuntimeError("the kernel ended during its warm-up") from None
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            else:
                raise RuntimeError("the kernel's warm-up timed out")
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"warm-up failed: {reply['content'].get('evalue')}")
        finally:
            client.stop_channels()

    def manager(self):
        """The warm kernel's manager, or None if it failed to start (then it is shut down)."""
        self._thread.join()
        if self.error is not None:
            shutdown(self.km)
            return None
        return self.km


_stopping: list[threading.Thread] = []  # kernels being shut down; `KernelPool.close` waits


def shutdown(km, wait: bool = True) -> None:
    """End a kernel at once: its notebook is done (or it was never used). With `wait=False`
    in a background thread (0.1 s a kernel, off the render's path), joined by `close`."""
    if km is None:
        return

    def stop():
        async def shut():
            if km.has_kernel:
                await km.shutdown_kernel(now=True)

        with contextlib.suppress(Exception):
            asyncio.run(shut())
        with contextlib.suppress(OSError, TypeError):
            os.remove(km.log_path)

    if wait:
        stop()
        return
    thread = threading.Thread(target=stop, name="stop-kernel", daemon=True)
    thread.start()
    _stopping.append(thread)


class KernelPool:
    """One warm kernel per worker: `take` hands it over (or None, and papermill starts a
    kernel), `give_back` resets it for the next notebook (or shuts it down if its notebook
    failed), `close` ends it.

    The first kernel starts as soon as the pool exists (`start`), while the driver validates
    the data; a kernel given back is reset at once, in the background, as the notebook's
    exports run."""

    def __init__(self):
        self._next: list[WarmKernel] = []
        self.more = True  # whether a notebook may take a kernel after the running one

    def start(self, cwd: Path, imports: bool = True) -> None:
        """Start warming a kernel for notebooks run in `cwd` (if none is warming), importing
        the stack (`WARM_UP`) if `imports`."""
        if enabled() and not self._next:
            self._next.append(WarmKernel(cwd, imports=imports))

    def take(self, cwd: Path, more: int = 1):
        """A warm kernel for a notebook run in `cwd`. One started now is not warmed up: the
        notebook waits for it either way, and makes its own imports."""
        if not enabled():
            return None
        warm = self._next.pop(0) if self._next else WarmKernel(cwd, imports=False)
        if warm.cwd == Path(cwd):
            return warm.manager()
        shutdown(warm.manager())
        return WarmKernel(cwd, imports=False).manager()

    def give_back(self, km, cwd: Path, ok: bool) -> None:
        """The kernel of a notebook that ended: reset for the next one if it succeeded and
        there is one (`more`), else shut down in the background as the exports run."""
        if km is None:
            return
        if not ok or self._next or not self.more:
            shutdown(km, wait=False)
            return
        self._next.append(WarmKernel(cwd, km))

    def close(self) -> None:
        """End the spare kernels and wait for those shutting down."""
        while self._next:
            shutdown(self._next.pop().manager())
        while _stopping:
            _stopping.pop().join()

    def abandon(self) -> None:
        """On an interrupt: wait for nothing (a warm-up may be waiting on a kernel that the
        signal handler has just ended, see `processes`); the threads are daemons."""
        self._next = []
        _stopping.clear()


if __name__ == "__main__":  # `make`: python -m tunisia_report.render.kernels (into sys.prefix)
    import sys

    install_spec(sys.prefix)
