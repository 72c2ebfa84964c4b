"""How charts and narrative reach a notebook's outputs, and from there the HTML and PDF exports.

The contract between the notebooks and the exporters (`tunisia_report.export`):

* a chart is one ``display_data`` output with ``image/svg+xml``, ``image/png``, ``text/plain``
  (the alt text) and ``text/markdown`` (the PNG with its alt text, for JupyterLab); its metadata
  carries ``{"image/png": {"alt": ...}, "image/svg+xml": {"alt": ...},
  "tunisia_report": {"figure": {"label", "title", "caption", "source", "alt"}}}``;
* narrative is one ``display_data`` output with ``text/markdown`` (pandoc Markdown, footnotes as
  ``[^n]``), ``text/html`` (the same text, footnotes as a numbered list) and ``text/plain``.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class FigureInfo:
    """What a reader needs around a chart: a stable label, title, caption, source line, alt text."""

    label: str
    title: str
    caption: str
    source: str
    alt: str


def figure_bundle(fig, info: FigureInfo, dpi: int = 150) -> tuple[dict, dict]:
    """Render a matplotlib figure to (data, metadata) of a display_data output."""
    from tunisia_report.style import figure_bytes

    png = base64.b64encode(figure_bytes(fig, "png", dpi=dpi)).decode("ascii")
    svg = figure_bytes(fig, "svg").decode("utf-8")
    alt = " ".join(info.alt.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    data = {
        # JupyterLab prefers Markdown to SVG and PNG, and only its image carries alt text; the
        # exporters prefer the SVG (nbconvert ranks it above Markdown, pandoc is told to).
        "text/markdown": f"![{alt}](data:image/png;base64,{png})",
        "image/svg+xml": svg,
        "image/png": png,
        "text/plain": info.alt,
    }
    metadata = {
        "image/png": {"alt": info.alt},
        "image/svg+xml": {"alt": info.alt},
        "tunisia_report": {"figure": asdict(info)},
    }
    return data, metadata


def show_figure(fig, info: FigureInfo) -> None:
    """Display a chart in the running notebook with its alt text and caption metadata."""
    from IPython.display import publish_display_data

    data, metadata = figure_bundle(fig, info)
    publish_display_data(data=data, metadata=metadata)
    import matplotlib.pyplot as plt

    plt.close(fig)


def show_text(markdown: str, html: str, plain: str | None = None) -> None:
    """Display narrative as Markdown (for the PDF), HTML (for the browser) and plain text."""
    from IPython.display import publish_display_data

    publish_display_data(
        data={"text/markdown": markdown, "text/html": html, "text/plain": plain or markdown}
    )

