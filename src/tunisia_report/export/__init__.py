"""Export executed report notebooks to PDF (pandoc + Typst), self-contained HTML and Word.

Three nbconvert exporters, `TypstPDFExporter` (``--to typstpdf``), `ReportHTMLExporter` and
`WordDocxExporter` (``--to worddocx``), and three plain functions for in-process use. Importing
this package imports neither nbconvert nor pandoc.
"""

from __future__ import annotations

from typing import Any

from tunisia_report.exceptions import ExportError

#: The HTML page (and the index beside it) loads nothing and runs nothing: images are data URIs,
#: styles are inline. Here, not in `html`, so the index is written without nbconvert.
CONTENT_SECURITY_POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                           "font-src data:; base-uri 'none'; form-action 'none'")


def notebook_to_pdf(nb: Any, *, show_code: bool = False, resources: dict | None = None) -> bytes:
    """Render an executed notebook (a NotebookNode or a dict) to PDF bytes."""
    from tunisia_report.export.typst_pdf import notebook_to_pdf as _to_pdf

    return _to_pdf(nb, show_code=show_code, resources=resources)


def notebook_to_html(nb: Any, *, show_code: bool = False, resources: dict | None = None) -> str:
    """Render an executed notebook (a NotebookNode or a dict) to one self-contained HTML page."""
    from tunisia_report.export.html import notebook_to_html as _to_html

    return _to_html(nb, show_code=show_code, resources=resources)


def notebook_to_docx(nb: Any, *, show_code: bool = False, resources: dict | None = None) -> bytes:
    """Render an executed notebook (a NotebookNode or a dict) to Word (DOCX) bytes."""
    from tunisia_report.export.docx import notebook_to_docx as _to_docx

    return _to_docx(nb, show_code=show_code, resources=resources)


__all__ = ["CONTENT_SECURITY_POLICY", "ExportError", "notebook_to_docx", "notebook_to_html",
           "notebook_to_pdf"]
