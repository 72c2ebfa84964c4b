"""The render's processes end with it: on SIGINT or SIGTERM, and when the driver itself dies.

jupyter_client starts each kernel in a session of its own, so a signal to the render's process
group never reaches the kernels: the driver ends every process it started, however deep, before
it unwinds. A worker watches its driver and ends itself and its kernel when the driver is gone
(killed with -9); a kernel does the same by itself (ipykernel polls ``JPY_PARENT_PID``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

from tunisia_report.exceptions import Interrupted

SIGNALS = (signal.SIGINT, signal.SIGTERM)
WATCH_INTERVAL_S = 0.5  # how often a worker checks that its driver is alive
GRACE_S = 3.0  # how long a process has to end on SIGTERM before SIGKILL


def end_descendants(grace: float = GRACE_S) -> None:
    """Terminate every process this one started (workers, kernels), then kill what remains."""
    import psutil

    try:
        children = [p for p in psutil.Process().children(recursive=True) if not _tracker(p)]
    except psutil.Error:
        return
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()
    psutil.wait_procs(alive, timeout=grace)


def _tracker(process) -> bool:
    """multiprocessing's resource tracker: it ends with the driver, and must outlive the workers
    (killing it first makes it relaunch and print a traceback per semaphore)."""
    import psutil

    try:
        return "multiprocessing.resource_tracker" in " ".join(process.cmdline())
    except psutil.Error:
        return False


def _on_signal(signum, frame):
    for sig in SIGNALS:  # a second Ctrl-C must not interrupt the clean-up
        signal.signal(sig, signal.SIG_IGN)
    end_descendants()
    raise Interrupted(signum)


@contextlib.contextmanager
def interruptible():
    """Within: SIGINT and SIGTERM end every process of the render and raise `Interrupted`, so
    that staging folders are removed as the stack unwinds."""
    previous = {sig: signal.signal(sig, _on_signal) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def watch_driver(driver_pid: int) -> None:
    """In a worker: ignore Ctrl-C (the driver decides) and end this worker, its kernel included,
    as soon as the driver is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch():
        while os.getppid() == driver_pid:
            time.sleep(WATCH_INTERVAL_S)
        end_descendants(grace=1.0)
        os._exit(1)

    threading.Thread(target=watch, name="watch-driver", daemon=True).start()
