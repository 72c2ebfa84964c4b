"""How charts and narrative reach a notebook's outputs, and from there the HTML and PDF exports.

The contract between the notebooks and the exporters (`tunisia_report.export`), defined here once:

* a chart is one ``display_data`` output with ``image/svg+xml``, ``image/png``, ``text/plain``
  (the alt text) and ``text/markdown`` (the PNG with its alt text: JupyterLab shows it, the
  exporters drop it); its metadata carries ``{"image/png": {"alt": ...},
  "image/svg+xml": {"alt": ...}, METADATA_KEY: {FIGURE_KEY: {FIGURE_FIELDS...}}}``
  (see `tunisia_report.charts.base`), and may carry its phone variant as ``PHONE_SVG_MIME``;
* narrative is one ``display_data`` output with ``text/markdown`` (pandoc Markdown, footnotes as
  ``[^n]``), ``text/html`` (the same text, footnotes as a numbered list) and ``text/plain``;
* a Markdown cell's inline expression, MyST's ``{eval}`ref("fig:ID")```, is evaluated through the
  kernel's ``user_expressions`` and its result stored, as jupyterlab-myst stores it, in the cell's
  metadata under EXPRESSIONS_KEY: ``[{"expression": ..., "result": {"status": "ok", "data":
  {"text/plain": ..., INLINE_MIME: {...}}, "metadata": {}}}]``; INLINE_MIME holds the value as
  ``plain``, ``markdown`` and ``html``, its footnote (``note``: the ``row`` it quotes, its
  ``source``, ``full`` and ``short`` forms, each ``plain``/``markdown``/``html``) or why the
  passage is left out (``left_out``).

Standard library only: the exporters import it without the plotting stack.
"""

from __future__ import annotations

METADATA_KEY = "tunisia_report"  # the output metadata namespace of this package
FIGURE_KEY = "figure"  # under METADATA_KEY: the chart's FigureInfo as a dict
FIGURE_FIELDS = ("label", "title", "caption", "source", "alt")  # FigureInfo's fields, in order
FIGURE_NUMBER = "number"  # added to the figure metadata by the exporters
FIGURE_ATTR = "tunisia-report-figure"  # carries the figure metadata (JSON) through pandoc
EXPRESSIONS_KEY = "user_expressions"  # a Markdown cell's evaluated expressions (jupyterlab-myst)
INLINE_MIME = "application/vnd.tunisia-report.inline+json"  # an inline expression's value
# A chart's phone variant (narrower, so its text stays readable on a phone): an SVG beside the
# chart's own in its output; the HTML shows it on a narrow screen, every other export ignores it.
PHONE_SVG_MIME = "application/vnd.tunisia-report.phone-svg+xml"


def show_text(markdown: str, html: str, plain: str | None = None) -> None:
    """Display narrative as Markdown (for the PDF), HTML (for the browser) and plain text."""
    from IPython.display import publish_display_data

    publish_display_data(
        data={"text/markdown": markdown, "text/html": html, "text/plain": plain or markdown}
    )
