"""The house style for every chart, in one place, and deterministic figure files."""

from __future__ import annotations

import io

# Okabe–Ito, a colour-blind-safe palette.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#8C8C8C",
}

# A4 text width is about 16 cm: charts are 6.3 in wide.
FIG_WIDTH_IN = 6.3
SVG_HASHSALT = "tunisia-report"

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.hashsalt": SVG_HASHSALT,
    "svg.fonttype": "path",
}


def apply() -> None:
    """Apply the house style to matplotlib (and seaborn, which reads the same rcParams)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    matplotlib.rcParams.update(RC)


def figure_bytes(fig, fmt: str, dpi: int = 150) -> bytes:
    """Render a figure to PNG or SVG bytes that are identical for identical input."""
    import matplotlib

    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata, bbox_inches="tight")
    return buf.getvalue()
