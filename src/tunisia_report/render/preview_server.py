"""The `preview` command: serve the live preview (`preview.Preview`) on 127.0.0.1.

Each page is the report's own HTML with one difference: its Content-Security-Policy also allows
one script from this server, `/_preview/live.js`, which listens to `/_preview/events` (server-sent
events) and reloads the page, keeping its scroll position, when a new render is published. The
published report (`make report`) stays script-free. A failed render shows its error in a box at
the top of the last good page.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SCRIPT_PATH = "/_preview/live.js"
EVENTS_PATH = "/_preview/events"
STATUS_PATH = "/_preview/status"  # the version and the last update, as JSON (for `make bench`)
HEARTBEAT_S = 10
LIVE_JS = """\
(() => {
  "use strict";
  const key = "tunisia-report-preview-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.scrollTo(0, Number(saved));
  }
  const mark = document.querySelector('meta[name="preview-version"]');
  const version = mark ? mark.content : "";
  const events = new EventSource("__EVENTS__");
  events.onmessage = (event) => {
    if (event.data !== version) {
      events.close();
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
    }
  };
})();
""".replace("__EVENTS__", EVENTS_PATH)
_CSP_META = re.compile(r'<meta[^>]*http-equiv="Content-Security-Policy"[^>]*>', re.IGNORECASE)
_CONTENT = re.compile(r'(\bcontent=")([^"]*)(")')
_HEAD_END = re.compile(r"</head>", re.IGNORECASE)
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
ERROR_STYLE = ("margin:0;padding:1em 1.5em;background:#fde8e8;color:#7a1212;"
               "border-bottom:3px solid #b42318;font:14px/1.4 monospace;white-space:pre-wrap")


def preview_csp(csp: str) -> str:
    """The report's policy, plus this server's one script and its events."""
    return f"{csp}; script-src 'self'; connect-src 'self'"


def preview_page(page: str, version: int, error: str | None) -> str:
    """The report's page as the preview serves it (see the module's docstring)."""
    page = _CSP_META.sub(lambda meta: _CONTENT.sub(
        lambda m: m.group(1) + preview_csp(m.group(2)) + m.group(3), meta.group(0), count=1),
        page, count=1)
    head = (f'<meta name="preview-version" content="{version}">'
            f'<script src="{SCRIPT_PATH}" defer></script>')
    page = _HEAD_END.sub(lambda m: head + m.group(0), page, count=1)
    if error:
        box = (f'<pre class="preview-error" role="alert" style="{ERROR_STYLE}">'
               f"The last save did not render; this is the previous page.\n\n"
               f"{html.escape(error)}</pre>")
        page = _BODY.sub(lambda m: m.group(0) + box, page, count=1)
    return page


def waiting_page(error: str | None) -> str:
    """What shows until the first render is done (or when it failed); `preview_page` adds the
    script that reloads it."""
    what = (f"The report did not render:\n\n{html.escape(error)}" if error
            else "Rendering the report; this page reloads when it is ready.")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            f'style-src \'unsafe-inline\'"><title>Preview</title></head><body>'
            f'<pre style="{ERROR_STYLE if error else "font:16px/1.5 sans-serif"}">{what}</pre>'
            f"</body></html>")


def make_handler(preview, stop: threading.Event):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 (the standard library's name)
            path = self.path.split("?", 1)[0]
            if path == SCRIPT_PATH:
                return self.send(LIVE_JS.encode(), "text/javascript; charset=utf-8")
            if path == EVENTS_PATH:
                return self.events()
            if path == STATUS_PATH:
                with preview.changed:
                    status = {"version": preview.version, **preview.record()}
                return self.send(json.dumps(status).encode(), "application/json")
            name = self.notebook_name(path)
            if name is None:
                return self.send(b"not found", "text/plain; charset=utf-8", 404)
            with preview.changed:
                version, error, page = preview.version, preview.error, preview.pages.get(name)
            text = (preview_page(page, version, error) if page is not None else
                    preview_page(waiting_page(error), version, None))
            meta = _CSP_META.search(text)
            csp = _CONTENT.search(meta.group(0)) if meta else None
            return self.send(text.encode("utf-8"), "text/html; charset=utf-8",
                             csp=html.unescape(csp.group(2)) if csp else None)

        def notebook_name(self, path: str) -> str | None:
            names = [p.name for p in preview.notebooks]
            if path in ("/", "/index.html"):
                return names[0]
            stem = Path(path.lstrip("/")).stem
            return next((n for n in names if Path(n).stem == stem), None)

        def send(self, body: bytes, kind: str, status: int = 200, csp: str | None = None):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            if csp:
                self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(body)

        def events(self):
            """Server-sent events: the version now, then each new one."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            sent = None
            try:
                while not stop.is_set():
                    with preview.changed:
                        if preview.version == sent:
                            preview.changed.wait(HEARTBEAT_S)
                        version = preview.version
                    if version != sent:
                        self.wfile.write(f"data: {version}\n\n".encode())
                        sent = version
                    else:
                        self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


class QuietServer(ThreadingHTTPServer):
    """A browser that closes a connection (a reload, a tab closed) is no error to print."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "preview", help="serve the HTML report on 127.0.0.1, re-rendered as you save",
        description="Serve the report's HTML page on 127.0.0.1 and re-render it when a "
                    "notebook, a data file or a message catalogue is saved; the page reloads "
                    "itself. An edit to a Markdown cell's words is shown without running a "
                    "kernel; an edit to code runs that notebook again.")
    p.add_argument("--notebook", type=Path, action="append",
                   help="preview this notebook (repeatable; default: notebooks/report.ipynb)")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUE"), help="a parameter (as papermill's -p)")
    p.add_argument("--port", type=int, default=8000,
                   help="port on 127.0.0.1 (default: 8000; 0 picks a free one)")
    p.set_defaults(func=cmd_preview)


def cmd_preview(args: argparse.Namespace) -> int:
    import signal
    import tempfile

    from tunisia_report.exceptions import ReportError
    from tunisia_report.paths import REPORT_NOTEBOOK
    from tunisia_report.render.plan import Options, plan
    from tunisia_report.render.preview import Preview
    from tunisia_report.render.scratch import render_scratch

    notebooks = args.notebook or [REPORT_NOTEBOOK]
    cli = dict(args.parameter)
    try:
        job = plan(Options(notebooks=notebooks, params=cli, cli_names=set(cli),
                           formats=("html",)))[0]
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    data_dirs = {p.get("data_dir") for p in job.parameters.values()} - {None, ""}
    stop = threading.Event()
    signal.signal(signal.SIGTERM, _interrupt)  # ends as Ctrl+C does: temporary files removed
    with render_scratch(), tempfile.TemporaryDirectory(prefix="preview-") as workdir:
        preview = Preview(job.notebooks, job.parameters, Path(workdir),
                          data_dir=Path(next(iter(data_dirs))) if data_dirs else None,
                          log=lambda text: print(text, file=sys.stderr, flush=True))
        try:
            server = QuietServer(("127.0.0.1", args.port), make_handler(preview, stop))
        except OSError as exc:
            print(f"error: --port: cannot listen on 127.0.0.1:{args.port} "
                  f"({(exc.strerror or str(exc)).lower()})", file=sys.stderr)
            return 2
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"preview: {url} (Ctrl+C stops)", flush=True)
        try:
            done = preview.update()
            print(f"preview: {'error: ' + done.error if done.error else 'ready'} "
                  f"({done.seconds:.1f} s)", file=sys.stderr, flush=True)
            preview.watch(stop)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            with preview.changed:
                preview.changed.notify_all()
            server.shutdown()
            server.server_close()
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt
