"""Pre-warmed kernels: the next notebook's kernel starts, and imports the stack, while the
current notebook runs.

Each kernel runs one notebook only and is shut down after it, so notebooks stay as independent
as with papermill's own kernels: the warm-up only imports modules (no state is set: the
`Report` of each notebook applies its style and edition), silently and outside the history, so
execution counts and outputs are those of a fresh kernel. Measured on the 2-core machine: a
kernel takes about 1 s to start and import pandas, matplotlib and the package.

`TUNISIA_KERNEL_POOL=off` turns the pool off (the tests compare outputs with and without it).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import tempfile
import threading
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


# A Unix socket's path is at most 107 bytes (108 on Linux with its NUL); a long temporary
# folder's kernels fall back to TCP.
MAX_SOCKET_PATH = 100


def new_manager():
    """A manager for a kernel that talks over Unix sockets (ipc): no TCP port to lose to another
    process between choosing it and binding it (papermill#511). Its connection file and sockets
    go to the temporary folder, which a render points at a folder of its own (see `scratch`)."""
    from jupyter_client import AsyncKernelManager

    stem = os.path.join(tempfile.gettempdir(), f"kernel-{uuid.uuid4().hex[:8]}")
    fits = len(os.fsencode(stem + "-ipc-5")) <= MAX_SOCKET_PATH
    return AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc" if fits else "tcp",
                              connection_file=stem + ".json")


def enabled() -> bool:
    return os.environ.get(SWITCH, "on") != "off"


class WarmKernel:
    """A kernel starting in a background thread; `manager()` waits for it to be warm."""

    def __init__(self, cwd: Path):
        self.cwd = Path(cwd)
        self.km = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, name="warm-kernel", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            asyncio.run(self._warm())
        except BaseException as exc:  # noqa: BLE001 - the notebook then starts its own kernel
            self.error = exc

    async def _warm(self) -> None:
        self.km = new_manager()
        await self.km.start_kernel(cwd=str(self.cwd), extra_arguments=EXTRA_ARGUMENTS)
        client = self.km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=STARTUP_TIMEOUT_S)
            msg_id = client.execute(WARM_UP, silent=True, store_history=False)
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

    if wait:
        stop()
        return
    thread = threading.Thread(target=stop, name="stop-kernel", daemon=True)
    thread.start()
    _stopping.append(thread)


class KernelPool:
    """Keeps kernels warming for the next notebooks: `take` hands over a warm one (or None, and
    papermill starts a kernel) and starts the next; `close` ends what is left.

    `ahead`: how many kernels warm beside the one in use. The next one starts before the
    current one is ready: the dataset notebook runs in 0.6 s, less than a kernel takes to warm
    (1.2 s), and a next kernel started only once the first was ready kept the second notebook
    waiting 0.5 s. Two ahead was no faster: three kernels starting at once on two cores slowed
    the first by 0.6 s (timed per notebook on the 2-core machine)."""

    def __init__(self, ahead: int = 1):
        self.ahead = ahead
        self._next: list[WarmKernel] = []

    def take(self, cwd: Path, more: int = 1):
        """A warm kernel for a notebook run in `cwd`; warm kernels for up to `more` notebooks
        after it (as many as `ahead`)."""
        if not enabled():
            return None
        warm = self._next.pop(0) if self._next else WarmKernel(cwd)
        while len(self._next) < min(self.ahead, more):
            self._next.append(WarmKernel(cwd))
        if warm.cwd == Path(cwd):
            return warm.manager()
        shutdown(warm.manager())
        return WarmKernel(cwd).manager()

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
