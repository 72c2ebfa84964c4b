"""The house style for every chart, in one place, and deterministic figure files."""

from __future__ import annotations

import io
from contextlib import AbstractContextManager, contextmanager

from tunisia_report.text.i18n import edition

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

# A4 text width is about 16 cm: charts are 6.3 in wide, so font sizes are final sizes.
FIG_WIDTH_IN = 6.3
# A phone's variant of each chart (the HTML shows it on a narrow screen, report.css): in a
# 390 px screen's column (about 330 px) a chart this wide keeps its smallest text (SMALL_PT)
# at 9 CSS px or more; the PDF and Word keep the 6.3 in chart.
PHONE_WIDTH_IN = 3.9
# Chart heights come in three steps so that pages look alike.
HEIGHT_SMALL_IN = 2.8
HEIGHT_MEDIUM_IN = 4.0
HEIGHT_TALL_IN = 5.2
# Title block above and source line below the plotting area, in inches.
TITLE_SPACE_IN = 0.42
SOURCE_SPACE_IN = 0.34
MARGIN_IN = 0.06

# The document's own colours around the charts (headings, rules, secondary text). The Typst
# and CSS templates in export/templates spell them too; a test holds those copies to these.
DOCUMENT_COLOURS = {"accent": "#0b3d63", "muted": "#56606b", "hairline": "#a3adb8"}

TEXT = "#222222"
MUTED = "#5A5A5A"  # secondary text: attributions, source lines (contrast > 6:1 on white)
RULE = "#BDBDBD"  # hairlines and separators
PANEL = "#F3F3F3"  # tile and panel backgrounds
SMALL_PT = 8  # the smallest text anywhere
LABEL_PT = 8.5
TITLE_PT = 11
NUMBER_PT = 22  # headline numbers in tiles

# One colour per category, the same in every chart.
FIGURE_CATEGORY_COLOURS = {
    "casualties": PALETTE["vermillion"],
    "political-violence": PALETTE["purple"],
    "counter-terrorism": PALETTE["blue"],
    "context": PALETTE["grey"],
}
EVENT_CATEGORY_COLOURS = {
    "assassination": PALETTE["purple"],
    "attack": PALETTE["vermillion"],
    "politics": PALETTE["orange"],
    "security-operation": PALETTE["blue"],
    "diplomacy": PALETTE["green"],
    "publication": PALETTE["black"],
    "other": PALETTE["grey"],
}

# A verdict's badge: white text on these, each at least 7:1 (WCAG AAA; a test checks). Never
# colour alone: the badge always carries the verdict's word (`text.verdict_words`).
VERDICT_COLOURS = {
    "accurate": "#1B5E20",
    "nearly-right": "#0D4F7A",
    "outdated": "#5B4636",
    "revised": "#8A3F00",
    "inaccurate": "#9E1B1B",
    "unverifiable": "#4A4F55",
}

# The locator map.
MAP_SEA = "#EAF3F8"
MAP_SEA_TEXT = "#3D6E8C"
MAP_LAND = "#E2E2E2"
MAP_LAND_EDGE = "#FFFFFF"
MAP_FOCUS = "#F6D9A6"  # Tunisia: a light tint of the palette's orange
MAP_FOCUS_EDGE = "#7A5A1E"
MAP_BORDER_COLOURS = {"DZA": PALETTE["blue"], "LBY": PALETTE["vermillion"]}
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
    "savefig.pad_inches": 0.04,  # charts keep their own margin: tight crops stay within width
    "svg.hashsalt": SVG_HASHSALT,
    "svg.fonttype": "path",
    "text.parse_math": False,  # text from the dataset may hold '$': show it literally
}


def rc() -> dict:
    """The house style in the active edition: its font, if the edition brings one (Amiri for
    Arabic, read from its pip package and registered by path: no system font is assumed).
    Matplotlib shapes Arabic itself (libraqm) and lays it out right to left."""
    font = edition().font_files()
    if not font:
        return RC
    from matplotlib import font_manager

    for path in font:
        if path not in _REGISTERED:
            font_manager.fontManager.addfont(str(path))
            _REGISTERED.add(path)
    return {**RC, "font.family": edition().font}


_REGISTERED: set = set()


def apply() -> None:
    """Apply the house style to matplotlib (and seaborn, which reads the same rcParams)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    matplotlib.rcParams.update(rc())


def context() -> AbstractContextManager:
    """The house style for the duration of a `with` block, leaving global rcParams alone."""
    import matplotlib

    return matplotlib.rc_context(rc())


# --- right to left: the one rule for every chart of the Arabic edition ----------------------
#
# Text and the layout of text are mirrored; axes are not.
# - Mirrored (start at the right): the title and source line, legends (first entry at the
#   right, marker after its words), row labels (at the right of their rows), tiles and text
#   columns, and tables drawn as charts (policy-measures: its columns, the stage track among
#   them, read from the right, as a table in an Arabic page does).
# - Never mirrored: an axis that carries numbers or time. Values grow from left to right, time
#   runs from left to right and the value axis stands at the left, in every edition, as the
#   digits themselves are written and as the Arabic press draws its charts; a map keeps north
#   up and east to the right.
# `x`, `ha` and `legend_order` serve the first; nothing may invert an axis for the edition
# (a test checks every chart in Arabic).


def rtl() -> bool:
    return edition().direction == "rtl"


def x(fraction: float, width: float = 0.0) -> float:
    """A horizontal position (of something `width` wide) in a figure or axes fraction, mirrored
    in a right-to-left edition."""
    return 1 - fraction - width if rtl() else fraction


def ha(align: str) -> str:
    """A horizontal alignment, mirrored in a right-to-left edition ('left' -> 'right')."""
    return {"left": "right", "right": "left"}.get(align, align) if rtl() else align


def isolated_items(line: str) -> str:
    """A source line ('Source: Bechri, The Washington Institute, 23 July 2014') with each of
    its items isolated in a right-to-left edition, so that a date or a Latin publisher reads
    as one run ('23' never drifts from 'جويلية 2014'); each line of a wrapped one alike."""
    if not rtl() or "\u2068" in line:  # left to right, or isolated already
        return line
    import re

    out = []
    for text in line.split("\n"):
        head, colon, rest = text.partition(": ")
        if not colon:
            head, rest = "", text
        # Items end at the edition's comma or semicolon (، ؛), which stay outside, in the
        # line's own direction.
        pieces = re.split(r"([\u060c\u061b] )", rest)
        out.append(f"{head}{colon}" + "".join(piece if k % 2 else isolate(piece)
                                               for k, piece in enumerate(pieces)))
    return "\n".join(out)


def legend_order(handles: list) -> list:
    """A legend's entries in reading order: the first at the right in a right-to-left edition
    (pass `markerfirst=not rtl()` too, so that a marker follows its words)."""
    return handles[::-1] if rtl() else handles


def isolate(text: str) -> str:
    """Text (a date, a publisher, a number with its unit) as one unit in a right-to-left line:
    first-strong isolate ... pop directional isolate, so that neither the Latin words before
    it nor the Arabic after split it (matplotlib lays out lines with FriBidi, which honours
    them). Unchanged in a left-to-right edition."""
    return f"\u2068{text}\u2069" if rtl() and text else text


_WIDTH = [FIG_WIDTH_IN]  # the width charts are drawn at now (`phone` narrows it)


def width() -> float:
    """The width, in inches, of the charts drawn now: FIG_WIDTH_IN, or PHONE_WIDTH_IN within
    `phone()`."""
    return _WIDTH[-1]


def narrow() -> bool:
    """Whether the chart drawn now is a phone's variant (a chart may lay itself out anew)."""
    return width() < FIG_WIDTH_IN


@contextmanager
def phone():
    """Draw charts at PHONE_WIDTH_IN for the duration of a `with` block."""
    _WIDTH.append(PHONE_WIDTH_IN)
    try:
        yield
    finally:
        _WIDTH.pop()


def new_figure(height_in: float):
    """A house-style Figure of the width charts are drawn at now (`width`), on an Agg canvas,
    not registered with pyplot."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width(), height_in), facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def wrap(fig, text: str, width_in: float, size: float, **font) -> str:
    """Break text into lines no wider than width_in at this font size, measured, not guessed."""
    import re

    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    prop = FontProperties(size=size, **font)
    lines: list[str] = []
    # An isolated run (`isolate`) is one word: a line never breaks inside it.
    text = re.sub("\u2068[^\u2069]*\u2069", lambda m: m.group(0).replace(" ", "\0"), str(text))
    for word in (w.replace("\0", " ") for w in text.split()):
        trial = f"{lines[-1]} {word}" if lines else word
        width = renderer.get_text_width_height_descent(trial, prop, ismath=False)[0] / fig.dpi
        if lines and width <= width_in:
            lines[-1] = trial
        else:
            lines.append(word)
    return "\n".join(lines)


def text_height(fig, text: str, size: float, props: dict | None = None) -> tuple[float, float]:
    """(height, descent below the baseline) in points of one line of text's box as matplotlib
    draws it in the house font at this size, with props' weight and style (measured on a
    text drawn and removed: Amiri's box is far taller than its font size says)."""
    props = props or {}
    probe = fig.text(0, 0.5, text, fontsize=size, va="baseline",
                     fontweight=props.get("fontweight", "normal"),
                     fontstyle=props.get("fontstyle", "normal"))
    box = probe.get_window_extent(fig.canvas.get_renderer())
    probe.remove()
    scale = 72 / fig.dpi
    return box.height * scale, (fig.bbox.height * 0.5 - box.y0) * scale


FRAME_GIDS = ("frame-title", "frame-source", "frame-credit")


def frame(fig, title: str, source: str) -> tuple[float, float]:
    """Draw the title above and the source line below; return the free (bottom, top) fractions.

    Saved files carry both, to stand alone; in a document, where the exporter prints the
    title and source around the image, `without_frame` hides them.
    """
    height = fig.get_figheight()
    left = x(MARGIN_IN / fig.get_figwidth())
    fig.text(left, 1 - MARGIN_IN / height, title, ha=ha("left"), va="top", fontsize=TITLE_PT,
             fontweight="bold", color=TEXT, gid=FRAME_GIDS[0])
    fig.text(left, MARGIN_IN / height, isolated_items(source), ha=ha("left"), va="bottom",
             fontsize=SMALL_PT, color=MUTED, gid=FRAME_GIDS[1])
    return SOURCE_SPACE_IN / height, 1 - TITLE_SPACE_IN / height


@contextmanager
def without_frame(fig):
    """Hide the title and source line drawn by `frame` for the duration of a `with` block
    (a tight crop then drops the space they took)."""
    texts = [t for t in fig.texts if t.get_gid() in FRAME_GIDS]
    for text in texts:
        text.set_visible(False)
    try:
        yield fig
    finally:
        for text in texts:
            text.set_visible(True)


def figure_bytes(fig, fmt: str, dpi: int = 150, box=None) -> bytes:
    """Render a figure to PNG or SVG bytes that are identical for identical input, cropped to
    `box` (a `tight_box`) if given, else to its own tight box (a draw more)."""
    import matplotlib

    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    buf = io.BytesIO()
    with matplotlib.rc_context({**rc(), "svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata,
                    bbox_inches="tight" if box is None else box)
    return buf.getvalue()


def tight_box(fig, dpi: int):
    """The box `savefig(bbox_inches="tight")` crops to at `dpi` (padded), found by one draw
    without output: a figure saved in two formats is laid out twice, not four times (a draw is
    about a third of a chart's time, measured)."""
    import matplotlib

    with matplotlib.rc_context(rc()):
        saved = fig.dpi
        fig.dpi = dpi
        try:
            fig.draw_without_rendering()
            return fig.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])
        finally:
            fig.dpi = saved


def figure_files(fig, formats: dict[str, int]) -> dict[str, bytes]:
    """The figure in each format at its dpi ({"png": 200, "svg": 200}), all cropped to the
    tight box of the first (`tight_box`)."""
    box = tight_box(fig, next(iter(formats.values())))
    return {fmt: figure_bytes(fig, fmt, dpi, box) for fmt, dpi in formats.items()}
