"""Progress on a terminal (notebook, cell, how far through the batch); silence otherwise."""

from __future__ import annotations

import sys
import threading


class Reporter:
    """Writes one updating status line to stderr when it is a terminal."""

    def __init__(self, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.lock = threading.Lock()

    def _line(self, text: str) -> None:
        if self.enabled:
            with self.lock:
                self.stream.write("\r\033[K" + text)
                self.stream.flush()

    def start(self, number: int, total: int, task) -> None:
        self._line(f"[{number}/{total}] {task.job}: {task.source.name}: starting the kernel")

    def cell_callback(self, number: int, total: int, task):
        def progress(cell: int, cells: int) -> None:
            self._line(f"[{number}/{total}] {task.job}: {task.source.name}: "
                       f"cell {cell + 1}/{cells}")
        return progress

    def listen(self, queue, total: int) -> threading.Thread:
        """Print progress messages sent by worker processes until a None arrives."""
        def loop():
            finished = 0
            while (message := queue.get()) is not None:
                kind, number, job, name, cell, cells = message
                if kind == "done":
                    finished += 1
                    self._line(f"[{finished}/{total} done] {job}: {name}: finished")
                elif kind == "cell":
                    self._line(f"[{finished}/{total} done] {job}: {name}: "
                               f"cell {cell + 1}/{cells}")
        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        return thread

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def say(self, text: str) -> None:
        """A line that stays (summary), written to stdout."""
        self.finish()
        print(text)
