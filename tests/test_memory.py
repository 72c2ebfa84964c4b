"""The driver's peak at scale (bench row 6b): Typst's memo cache is aged after each layout pass
once the passes have grown the process's memory, and what an export step leaves in reference
cycles is freed before the next step begins.

No kernel here: a two-line Typst document and export steps that are plain functions.
"""

from __future__ import annotations

import gc
import logging
import weakref
from pathlib import Path

import pytest

from tunisia_report.export import typst_pdf
from tunisia_report.render.task import Task, run_steps


@pytest.mark.parametrize(("after_mb", "aged"), [(-1, True), (typst_pdf.EVICT_AFTER_MB, False)],
                         ids=["grown", "small"])
def test_typst_memo_cache_is_aged_after_each_pass_once_memory_has_grown(
        tmp_path, monkeypatch, caplog, after_mb, aged):
    """compile_typst ages the cache once per query (a query never evicts), the last one too,
    once the passes have raised the peak memory by EVICT_AFTER_MB; a small document's passes
    (a few MB) keep it, for the next PDF of the process."""
    made = typst_pdf.memo_evictor
    calls = []

    def counting():
        evict = made()
        return lambda: (calls.append(1), evict())

    monkeypatch.setattr(typst_pdf, "memo_evictor", counting)
    monkeypatch.setattr(typst_pdf, "EVICT_AFTER_MB", after_mb)
    main = tmp_path / "main.typ"
    main.write_text('#set document(title: [A title])\n= Heading\nText.\n', encoding="utf-8")
    with caplog.at_level(logging.DEBUG, logger=typst_pdf.log.name):
        pdf = typst_pdf.compile_typst(main, tmp_path, 0)
    assert pdf.startswith(b"%PDF")
    passes = next(r.args[0] for r in caplog.records if "charts placed" in r.getMessage())
    assert passes >= 1
    assert len(calls) == (passes if aged else 0)


def test_the_memo_evictor_compiles_again_and_again():
    """Each eviction compiles its empty document anew (typst-py forgets an in-memory main file
    once it has compiled it: a second bare compile raised "file not found")."""
    evict = typst_pdf.memo_evictor()
    for _ in range(3):
        evict()


def test_an_export_steps_reference_cycles_are_freed_before_the_next_step(tmp_path):
    """With Python's collector off, a cycle the first step leaves is gone when the second runs."""

    class Node:
        pass

    left: list[weakref.ref] = []
    seen: list[bool] = []

    def first() -> bytes:
        node = Node()
        node.itself = node
        left.append(weakref.ref(node))
        return b"first"

    def second() -> bytes:
        seen.append(left[0]() is None)
        return b"second"

    task = Task("report", Path("report.ipynb"), tmp_path, tmp_path, tmp_path, {}, (), None,
                tmp_path)
    steps = {"a": (tmp_path / "a.txt", first), "b": (tmp_path / "b.txt", second)}
    gc.disable()
    try:
        files = run_steps(task, steps, None)
    finally:
        gc.enable()
    assert [f.name for f in files] == ["a.txt", "b.txt"]
    assert seen == [True]
