"""A real `jupyter server` offers the project's exporters in the export menu and serves them."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import stop_process

FIXTURE = Path(__file__).parent / "fixtures" / "export" / "report_contract.ipynb"
STALE = FIXTURE.with_name("stale_parameters.ipynb")
TOKEN = "tunisia-report-test-token"
START_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 120) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def server(tmp_path):
    """Base URL of a jupyter server rooted at a folder holding the fixture notebook."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(FIXTURE, root / FIXTURE.name)
    port = _free_port()
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        env[name] = str(tmp_path / name.lower())
        Path(env[name]).mkdir()
    # Only the server itself: no JupyterLab, LSP or terminals (faster, nothing reaches out).
    extensions = {"jupyterlab": False, "jupyter_lsp": False, "jupyter_server_terminals": False,
                  "notebook_shim": False}
    config = {"ServerApp": {"jpserver_extensions": extensions}}
    (Path(env["JUPYTER_CONFIG_DIR"]) / "jupyter_server_config.json").write_text(json.dumps(config))
    log_path = tmp_path / "server.log"
    jupyter = Path(sys.executable).with_name("jupyter")
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                str(jupyter),
                "server",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={TOKEN}",
                f"--ServerApp.root_dir={root}",
                *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=root,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter server exited ({proc.returncode}):\n{log_path.read_text()}")
            try:
                if _get(f"{base}/api/status", timeout=5)[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter server not ready in {START_TIMEOUT_S} s:\n"
                            f"{log_path.read_text()}")
            time.sleep(0.25)
        yield base, log_path
    finally:
        stop_process(proc, timeout=20)


def test_server_serves_typstpdf_under_its_nbconvert_name(server):
    base, log_path = server
    try:
        status, headers, pdf = _get(f"{base}/nbconvert/typstpdf/{FIXTURE.name}?download=true")
    except urllib.error.HTTPError as err:
        pytest.fail(f"HTTP {err.code}: {err.read()[:2000]!r}\n{log_path.read_text()}")
    assert status == 200
    assert headers["Content-Type"].startswith("application/pdf")
    assert "report_contract.pdf" in headers.get("Content-Disposition", "")
    assert pdf.startswith(b"%PDF-")


def test_export_menu_offers_the_project_exporters_under_readable_names(server):
    """JupyterLab labels menu entries by these names: "pdf" shows as "PDF", "html" as "HTML"."""
    base, log_path = server
    formats = json.loads(_get(f"{base}/api/nbconvert")[2])
    assert formats["pdf"]["output_mimetype"] == "application/pdf"
    assert formats["html"]["output_mimetype"] == "text/html"
    assert formats["word"]["output_mimetype"].endswith("wordprocessingml.document")
    assert set(formats) == {"pdf", "html", "word", "script"}  # each fetched below


    try:
        _, headers, pdf = _get(f"{base}/nbconvert/pdf/{FIXTURE.name}?download=true")
        _, _, html = _get(f"{base}/nbconvert/html/{FIXTURE.name}?download=true")
        _, word_headers, docx = _get(f"{base}/nbconvert/word/{FIXTURE.name}?download=true")
        _, script_headers, script = _get(f"{base}/nbconvert/script/{FIXTURE.name}?download=true")
    except urllib.error.HTTPError as err:
        pytest.fail(f"HTTP {err.code}: {err.read()[:2000]!r}\n{log_path.read_text()}")
    assert "report_contract.pdf" in headers.get("Content-Disposition", "")
    assert PdfReader(io.BytesIO(pdf)).metadata["/Creator"].startswith("Typst")  # not LaTeX
    assert b"<script" not in html and b'class="report-header"' in html
    assert "report_contract.docx" in word_headers.get("Content-Disposition", "")
    assert docx[:2] == b"PK"  # a Word package
    assert "report_contract.py" in script_headers.get("Content-Disposition", "")
    import ast

    ast.parse(script.decode())  # Python that runs: the code cells, the Markdown as comments


@pytest.mark.slow  # a real kernel
def test_the_export_menu_runs_a_notebook_whose_parameters_changed_since_its_run(server, tmp_path):
    """JupyterLab's menu exports the saved file: outputs made with "alpha" under a parameters
    cell that now says "beta" are run again before the export, never mixed."""
    import nbformat

    from tests.helpers import PYTHON

    base, log_path = server
    notebook = tmp_path / "root" / STALE.name
    shutil.copy(STALE, notebook)
    papermill = Path(PYTHON).with_name("papermill")
    ran = subprocess.run([str(papermill), str(notebook), str(notebook), "--no-progress-bar"],
                         cwd=notebook.parent, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr[-3000:]
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace('"alpha"', '"beta"')  # edited and saved, not run
    nbformat.write(nb, notebook)
    try:
        _, _, html = _get(f"{base}/nbconvert/html/{STALE.name}?download=true", timeout=300)
        _, _, pdf = _get(f"{base}/nbconvert/pdf/{STALE.name}?download=true", timeout=300)
    except urllib.error.HTTPError as err:
        pytest.fail(f"HTTP {err.code}: {err.read()[:2000]!r}\n{log_path.read_text()}")
    assert b"The word is beta." in html and b"The word is alpha" not in html
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "The word is beta." in text and "alpha" not in text
    assert "made with other parameters" in log_path.read_text()
