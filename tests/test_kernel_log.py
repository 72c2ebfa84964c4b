"""A kernel's own output (its stdout and stderr, where a kernel that fails to start writes its
traceback) goes to a log beside its connection file, never to the render's terminal."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from tunisia_report.render.kernels import log_tail, new_manager, shutdown

pytestmark = pytest.mark.slow  # starts a kernel

MARKER = "kernel-stderr-marker"


def run(km, code: str) -> None:
    async def go():
        await km.start_kernel(extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            await client.execute_interactive(code, timeout=60)
        finally:
            client.stop_channels()

    asyncio.run(go())


def test_a_kernels_stderr_goes_to_its_log_and_the_log_goes_with_the_kernel(tmp_path,
                                                                              monkeypatch, capfd):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    km = new_manager()
    try:
        run(km, f"import os; os.write(2, b'{MARKER}\\n'); os.write(1, b'out\\n')")
        assert os.path.dirname(km.log_path) == str(tmp_path)
        assert log_tail(km) == "out"
        assert MARKER in Path(km.log_path).read_text(encoding="utf-8")
    finally:
        shutdown(km)
    captured = capfd.readouterr()
    assert MARKER not in captured.err + captured.out
    assert not os.path.exists(km.log_path)
