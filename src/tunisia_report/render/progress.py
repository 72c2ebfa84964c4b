"""Progress of a render on stderr, in one of three modes.

- "live" (stderr is a terminal): a status line redrawn in place, naming each running step (a
  notebook and its cell, or an export), how far it is and its elapsed time; each finished step
  leaves a line of its own above it.
- "plain" (stderr is a pipe or a file: CI, logs): one line per finished step, nothing redrawn.
- "quiet" (`--quiet`): nothing but errors, which the caller prints itself.

A step is a notebook's run ("run") or one of its exports ("html", "pdf", "docx", "downloads").
Worker processes send the same events through a queue (`listen`).
"""

from __future__ import annotations

import shutil
import sys
import threading
import time

MODES = ("live", "plain", "quiet")
STEP_NAMES = {"run": "run", "html": "HTML", "pdf": "PDF", "docx": "Word",
              "downloads": "downloads"}


def _seconds(value: float) -> str:
    return f"{value:.1f} s"


class TaskProgress:
    """What a running task reports: `cell(i, n)` as each cell starts, `begin(step)` and
    `end(step)` around each step. Calls `send(kind, step, cell, cells)`."""

    def __init__(self, send):
        self.send = send

    def __call__(self, cell: int, cells: int) -> None:  # papermill's per-cell callback
        self.send("cell", "run", cell, cells)

    def begin(self, step: str) -> None:
        self.send("begin", step, 0, 0)

    def end(self, step: str) -> None:
        self.send("end", step, 0, 0)


class Reporter:
    """Draws progress on `stream` (stderr) in `mode` (default: live on a terminal, else
    plain); `say` writes lasting summary lines to stdout, except in quiet mode."""

    def __init__(self, stream=None, mode: str | None = None, enabled: bool | None = None,
                 clock=time.monotonic):
        self.stream = stream or sys.stderr
        if mode is None and enabled is not None:  # the older switch: live or nothing
            mode = "live" if enabled else "quiet"
        if mode is None:
            mode = "live" if _isatty(self.stream) else "plain"
        if mode not in MODES:
            raise ValueError(f"progress mode: expected one of {', '.join(MODES)}, got {mode!r}")
        self.mode, self.clock = mode, clock
        self.enabled = mode == "live"  # kept for callers that ask whether a line is drawn
        self.lock = threading.RLock()
        self.active: dict[tuple, dict] = {}  # (number, step) -> label, started, cell, cells
        self.finished = 0
        self.total = 0
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()

    # Events -------------------------------------------------------------------------------
    def event(self, number: int, total: int, job: str, name: str, kind: str, step: str,
              cell: int = 0, cells: int = 0) -> None:
        """One event of task `number` (of `total`): a step begins or ends, or a cell starts."""
        with self.lock:
            self.total = max(self.total, total)
            key = (number, step)
            if kind == "begin" or key not in self.active:
                self.active[key] = {"job": job, "name": name, "step": step,
                                    "started": self.clock(), "cell": 0, "cells": 0}
            entry = self.active[key]
            if kind == "cell":
                entry["cell"], entry["cells"] = cell + 1, cells
            elif kind == "end":
                del self.active[key]
                if step == "run":
                    self.finished += 1
                self._lasting(self._done_text(number, entry))
            self._draw()

    def task(self, number: int, total: int, task) -> TaskProgress:
        """The progress object of one task run in this process."""
        return TaskProgress(lambda kind, step, cell, cells: self.event(
            number, total, task.job, task.source.name, kind, step, cell, cells))

    def start(self, number: int, total: int, task) -> None:
        """A notebook's run begins (its kernel starting)."""
        self.event(number, total, task.job, task.source.name, "begin", "run")
        self._start_ticker()

    def cell_callback(self, number: int, total: int, task) -> TaskProgress:
        return self.task(number, total, task)

    def listen(self, queue, total: int) -> threading.Thread:
        """Apply events sent by worker processes, (number, job, name, kind, step, cell,
        cells), until a None arrives."""
        self.total = total
        self._start_ticker()

        def loop():
            while (message := queue.get()) is not None:
                number, job, name, kind, step, cell, cells = message
                self.event(number, total, job, name, kind, step, cell, cells)
        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        return thread

    # Output -------------------------------------------------------------------------------
    def _what(self, entry: dict) -> str:
        step = entry["step"]
        what = f"{entry['job']}: {entry['name']}"
        return what if step == "run" else f"{what}: {STEP_NAMES.get(step, step)}"

    def _running_text(self, entry: dict, now: float) -> str:
        step, elapsed = entry["step"], _seconds(now - entry["started"])
        if step != "run":
            how = "writing"
        elif entry["cells"]:
            how = f"cell {entry['cell']}/{entry['cells']}"
        else:
            how = "starting the kernel"
        return f"{self._what(entry)}: {how}, {elapsed}"

    def _done_text(self, number: int, entry: dict) -> str:
        elapsed = _seconds(self.clock() - entry["started"])
        if entry["step"] == "run":
            cells = f"{entry['cells']} cells" if entry["cells"] else "ran"
            return (f"[{self.finished}/{self.total} done] {self._what(entry)}: {cells} in "
                    f"{elapsed}")
        return f"{self._what(entry)}: written in {elapsed}"

    def _lasting(self, text: str) -> None:
        if self.mode == "quiet":
            return
        if self.mode == "live":
            self.stream.write("\r\033[K")
        self.stream.write(text + "\n")
        self.stream.flush()

    def _draw(self) -> None:
        if self.mode != "live" or not self.active:
            return
        now = self.clock()
        parts = [self._running_text(e, now) for e in self.active.values()]
        text = f"[{self.finished}/{self.total} done] " + " | ".join(parts)
        width = shutil.get_terminal_size((100, 20)).columns - 1
        if len(text) > width:
            text = text[:max(width - 1, 1)] + "…"
        self.stream.write("\r\033[K" + text)
        self.stream.flush()

    def _start_ticker(self) -> None:
        """On a terminal, redraw twice a second so elapsed times move during a long step."""
        if self.mode != "live" or self._ticker is not None:
            return

        def tick():
            while not self._stop.wait(0.5):
                with self.lock:
                    self._draw()
        self._ticker = threading.Thread(target=tick, daemon=True)
        self._ticker.start()

    def finish(self) -> None:
        self._stop.set()
        with self.lock:
            self.active.clear()
            if self.mode == "live":
                self.stream.write("\r\033[K")
                self.stream.flush()

    def say(self, text: str) -> None:
        """A line that stays (a summary), written to stdout; nothing in quiet mode."""
        self.finish()
        if self.mode != "quiet":
            print(text, flush=True)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
