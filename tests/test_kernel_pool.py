"""The kernel pool hands a notebook's kernel to the next one, reset: the reset leaves the kernel
as a fresh one would be without importing anything the notebook did not, and a kernel no
notebook will take is shut down, not reset. Real kernels."""

from __future__ import annotations

import asyncio

import pytest

from tunisia_report.render.kernels import KernelPool

pytestmark = pytest.mark.slow  # starts kernels


def run(km, code: str) -> str:
    """What `code` prints in the kernel `km` (already started)."""
    printed: list[str] = []

    def keep(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    async def go():
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            await client.execute_interactive(code, timeout=60, output_hook=keep)
        finally:
            client.stop_channels()

    asyncio.run(go())
    return "".join(printed)


CHECK = ("import sys\nprint('names_of_the_notebook' in globals(), "
         "'matplotlib.pyplot' in sys.modules, get_ipython().execution_count)")


def test_a_kernel_given_back_is_reset_and_imports_nothing_its_notebook_did_not(tmp_path):
    pool, fresh = KernelPool(), KernelPool()
    pool.start(tmp_path, imports=False)
    fresh.start(tmp_path, imports=False)
    km, other = pool.take(tmp_path), fresh.take(tmp_path)
    try:
        run(km, "names_of_the_notebook = 1")
        pool.give_back(km, tmp_path, ok=True)  # another notebook follows (`more`)
        assert pool.take(tmp_path) is km
        shown = run(km, CHECK)
        assert shown.split()[:2] == ["False", "False"]
        assert shown == run(other, CHECK)  # what a kernel of its own would print
    finally:
        pool.give_back(km, tmp_path, ok=False)
        fresh.give_back(other, tmp_path, ok=False)
        pool.close()
        fresh.close()


def test_the_kernel_of_the_last_notebook_is_shut_down_not_reset(tmp_path):
    pool = KernelPool()
    pool.start(tmp_path, imports=False)
    km = pool.take(tmp_path)
    pool.more = False  # the render's last notebook
    pool.give_back(km, tmp_path, ok=True)
    assert pool._next == []  # no kernel is being reset for a notebook that will not come
    pool.close()  # waits for the shutdown
    assert not asyncio.run(km.is_alive())


def test_a_kernel_that_answers_late_is_ready_at_its_first_answer(tmp_path, monkeypatch):
    """`wait_for_ready` (kernels.PromptClient) asks once a second while the kernel starts; a
    kernel slow to start then answers each request in turn. Any answer means ready: the three
    requests sent here before the wait stand for a start that took three seconds (waiting for
    the answer to its last request, the wait stayed one answer behind until its timeout)."""
    from tunisia_report.render.kernels import new_manager, shutdown

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))

    km = new_manager()

    async def go():
        await km.start_kernel(cwd=str(tmp_path))
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            for _ in range(3):
                client.kernel_info()
            await client.wait_for_ready(timeout=5)
            reply = await client.execute_interactive("6 * 7", timeout=60)
            return reply["content"]["status"]
        finally:
            client.stop_channels()

    try:
        assert asyncio.run(go()) == "ok"
    finally:
        shutdown(km)
