"""JupyterLab's *Save and Export Notebook As* menu for this project: a jupyter_server extension.

JupyterLab labels each entry with the exporter's nbconvert name, first letter capitalised
("Typstpdf", "Reporthtml"); it ignores `export_from_notebook` and knows readable labels only for
nbconvert's own names ("pdf" is shown as "PDF", "html" as "HTML"). So this extension lists the
project's exporters under those names (and Word as "word", shown "Word") and serves them there.
Besides them the menu offers only what works on this project: the executable script (the code
cells as Python). It leaves out LaTeX and LaTeX PDF (they need TeX and Inkscape), WebPDF (a
browser Playwright downloads), Qt PDF and PNG (Qt WebEngine), and Markdown, reStructuredText,
AsciiDoc and Reveal.js (they would show the Markdown cells' `{eval}` expressions unfilled). On
the command line nothing changes (``jupyter nbconvert --to pdf`` is still LaTeX). `make` enables
it with ``jupyter-config/etc/jupyter/jupyter_server_config.d/``.
"""

from __future__ import annotations

import json

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler, path_regex
from jupyter_server.nbconvert.handlers import NbconvertFileHandler
from jupyter_server.utils import url_path_join
from tornado import web

#: Menu name (what JupyterLab shows, capitalised) -> the nbconvert exporter behind it. The
#: script is nbconvert's Python exporter: its generic one names the file .txt when the
#: notebook's metadata, stripped on commit, gives no file extension.
MENU = {"pdf": "typstpdf", "html": "reporthtml", "word": "worddocx", "script": "python"}


def menu_formats() -> dict[str, dict]:
    """What ``GET /api/nbconvert`` answers: menu name -> ``{"output_mimetype": ...}``."""
    from nbconvert.exporters.base import get_exporter

    return {menu: {"output_mimetype": get_exporter(name).output_mimetype}
            for menu, name in sorted(MENU.items())}


class ExportFormatsHandler(APIHandler):
    """``GET /api/nbconvert``: the formats the export menu offers."""

    auth_resource = "nbconvert"

    @web.authenticated
    @authorized
    async def get(self):
        from anyio.to_thread import run_sync

        self.finish(json.dumps(await run_sync(menu_formats)))


class ProjectExportHandler(NbconvertFileHandler):
    """``GET /nbconvert/pdf|html|word|script/PATH``: the exporter behind the menu name."""

    async def get(self, format, path):
        return await super().get(MENU[format], path)


def _jupyter_server_extension_points():
    return [{"module": "tunisia_report.export.server"}]


def _load_jupyter_server_extension(serverapp):
    """Added handlers take precedence over the server's own for the same URL."""
    base = serverapp.web_app.settings["base_url"]
    formats = "|".join(MENU)
    serverapp.web_app.add_handlers(".*$", [
        (url_path_join(base, "/api/nbconvert"), ExportFormatsHandler),
        (url_path_join(base, f"/nbconvert/(?P<format>{formats})") + path_regex,
         ProjectExportHandler),
    ])
