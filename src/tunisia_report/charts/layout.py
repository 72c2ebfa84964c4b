"""Where a chart's words landed, as drawn: each text's box, and the collisions between a text
and another text, a mark or a line.

A collision is one of:
- two texts whose boxes overlap;
- a text over a point (a scatter's circle, a line's marker): the mark's disc and the box meet;
- a text crossed by an outline: a line (a border, a dashed span, a month's bar) or the edge of
  a shape (a bar, a country) runs through the box. A text wholly inside a shape (a number on
  its tile, a place name inside its country) or wholly outside it is fine.
Leader lines (an annotation's arrow), grid lines, ticks and spines are not marks: they are
meant to meet text. `tests/test_chart_layout.py` holds every chart of every edition to none.
"""

from __future__ import annotations

from tunisia_report.charts import style

SHRINK_PX = 1.0  # a text's box is its glyphs' extent plus leading: grant each edge this much


def text_boxes(fig) -> list[tuple[object, object]]:
    """(text artist, its box in display pixels) for every text drawn: the figure's, each
    axes' titles, labels, annotations, legends and the tick labels within the view."""
    from matplotlib.text import Text

    fig.draw_without_rendering()  # laid out as drawn, without rasterizing
    renderer = fig.canvas.get_renderer()
    texts = list(fig.texts)
    for legend in fig.legends:
        texts += legend.get_texts()
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += list(ax.texts)
        texts += [ax.title, ax._left_title, ax._right_title]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
        if ax.axison:
            for axis in (ax.xaxis, ax.yaxis):
                texts.append(axis.label)
                for tick in axis._update_ticks():  # the ticks in view, as drawn
                    texts += [label for label in (tick.label1, tick.label2)
                              if label.get_visible()]
    boxes = []
    for text in texts:
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = Text.get_window_extent(text, renderer)  # an annotation's text, not its arrow
        if box.width > 0 and box.height > 0:
            boxes.append((text, box.padded(-SHRINK_PX)))
    return boxes


def _marks(fig):
    """(artist, kind, geometry in display pixels, clip box or None): 'disc' (x, y, radius)
    for each point, 'outline' (a Path) for each line or shape."""
    from matplotlib.patches import FancyArrowPatch

    px_per_pt = fig.dpi / 72
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for artist in [*ax.lines, *ax.collections, *ax.patches]:
            if not artist.get_visible() or isinstance(artist, FancyArrowPatch):
                continue
            clip = artist.get_clip_box() if artist.get_clip_on() else None
            for kind, geometry in _shapes(artist, px_per_pt):
                yield artist, kind, geometry, clip
        for annotation, path in _leaders(ax):
            yield annotation, "outline", path, None


def _leaders(ax):
    """(annotation, its leader line in display pixels) for each annotation of ax drawn with an
    arrow: a line that must cross no other label (its own label is where it starts)."""
    for text in ax.texts:
        arrow = getattr(text, "arrow_patch", None)
        if arrow is not None and text.get_visible() and text.get_text().strip():
            yield text, arrow.get_transform().transform_path(arrow.get_path())


def _shapes(artist, px_per_pt):
    """(kind, geometry) of each mark an artist draws."""
    from matplotlib.collections import LineCollection, PathCollection, PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.path import Path

    if isinstance(artist, Line2D):
        xy = artist.get_transform().transform(artist.get_xydata())
        if artist.get_marker() not in (None, "None", "none", "", " "):
            radius = artist.get_markersize() / 2 * px_per_pt
            for x, y in xy:
                yield "disc", (x, y, radius)
        if artist.get_linestyle() not in ("None", "none", "", " ") and len(xy) > 1:
            yield "outline", Path(xy)
    elif isinstance(artist, PathCollection):  # a scatter
        offsets = artist.get_offset_transform().transform(artist.get_offsets())
        sizes = artist.get_sizes()
        for k, (x, y) in enumerate(offsets):
            area = sizes[k % len(sizes)] if len(sizes) else 36
            yield "disc", (x, y, area ** 0.5 / 2 * px_per_pt)
    elif isinstance(artist, LineCollection | PolyCollection):
        transform = artist.get_transform()
        for path in artist.get_paths():
            yield "outline", transform.transform_path(path)
    elif isinstance(artist, Patch):
        yield "outline", artist.get_transform().transform_path(artist.get_path())


def _describe(text) -> str:
    return repr(" ".join(text.get_text().split()))


def collisions(fig) -> list[str]:
    """Every collision (see the module's docstring), each in words: "'Tunis: 35' overlaps
    'Kasserine: 4'", "'Kasserine: 4' is crossed by a Line2D"."""
    boxes = text_boxes(fig)
    found = []
    for i, (text, box) in enumerate(boxes):
        for other, other_box in boxes[i + 1:]:
            if _overlap(box, other_box):
                found.append(f"{_describe(text)} overlaps {_describe(other)}")
    for artist, kind, geometry, clip in _marks(fig):
        for text, whole in boxes:
            if text is artist:  # an annotation's own leader line starts at its words
                continue
            box = whole if clip is None else _clipped(whole, clip)
            if box is None:  # the mark is clipped away where the text is
                continue
            if _meets(kind, geometry, box):
                found.append(f"{_describe(text)} "
                             + ("is over a mark of " if kind == "disc" else "is crossed by ")
                             + (artist.get_gid() or type(artist).__name__))
    return sorted(set(found))


def _overlap(a, b) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


def _clipped(box, clip):
    from matplotlib.transforms import Bbox

    if not _overlap(box, clip):
        return None
    return Bbox.from_extents(max(box.x0, clip.x0), max(box.y0, clip.y0),
                             min(box.x1, clip.x1), min(box.y1, clip.y1))


# Where `place` tries a label, in points from its point: beside it, then above and below, then
# further out (x offset, y offset, horizontal and vertical alignment).
OFFSETS = [(4, 3, "left", "bottom"), (4, -4, "left", "top"), (-4, 3, "right", "bottom"),
           (-4, -4, "right", "top"), (0, 6, "center", "bottom"), (0, -7, "center", "top"),
           (4, 14, "left", "bottom"), (-4, 14, "right", "bottom"), (4, -15, "left", "top"),
           (-4, -15, "right", "top"), (0, 25, "center", "bottom"), (0, -26, "center", "top"),
           (8, 0, "left", "center"), (-8, 0, "right", "center"), (4, 25, "left", "bottom"),
           (-4, 25, "right", "bottom"), (4, -26, "left", "top"), (-4, -26, "right", "top"),
           (0, 36, "center", "bottom"), (0, -37, "center", "top")]


# Where `place` tries a label further out, with a leader line to its point, when no place of
# OFFSETS is free: above or below a crowd, to either side.
LEADER_OFFSETS = [(dx, dy, "left" if dx > 0 else "right", "bottom" if dy > 0 else "top")
                  for dy in (30, -30, 42, -42, 18, -18, 8, -8, 54, -54)
                  for dx in (14, -14, 30, -30, 48, -48, 70, -70)]
LEADER = {"arrowstyle": "-", "color": style.MUTED, "linewidth": 0.5, "shrinkA": 1, "shrinkB": 3}


def place(ax, xy, text: str, offsets=OFFSETS, leader_offsets=(), required=True, **props):
    """Annotate `xy` (data) with `text` at the first of `offsets` where its box stays inside
    the axes and meets no text, mark or line already drawn there (as `collisions` judges),
    else at the first such of `leader_offsets`, with a leader line to its point that crosses
    no text; if none is free, where it meets the fewest, or (not `required`) nowhere. Returns
    the annotation, or None."""
    from matplotlib.text import Text

    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for drawn in ax.texts:
        if hasattr(drawn, "update_positions"):
            drawn.update_positions(renderer)
    taken = [Text.get_window_extent(t, renderer) for t in ax.texts if t.get_text().strip()]
    marks = [(kind, geometry) for artist in [*ax.lines, *ax.collections, *ax.patches]
             if artist.get_visible() for kind, geometry in _shapes(artist, ax.figure.dpi / 72)]
    marks += [("outline", path) for _, path in _leaders(ax)]
    best = None
    tries = [(o, {}) for o in offsets] + [(o, {"arrowprops": LEADER}) for o in leader_offsets]
    for (dx, dy, ha, va), extra in tries:
        label = ax.annotate(text, xy, xytext=(dx, dy), textcoords="offset points", ha=ha,
                            va=va, **props, **extra)
        label.update_positions(renderer)  # where its offset puts it, before any draw
        box = Text.get_window_extent(label, renderer).padded(-SHRINK_PX)
        inside = (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0
                  and box.y1 <= frame.y1)
        met = (sum(_overlap(box, t) for t in taken)
               + sum(_meets(kind, geometry, box) for kind, geometry in marks))
        if extra:  # its leader line may cross no text
            path = label.arrow_patch.get_transform().transform_path(label.arrow_patch.get_path())
            met += sum(path.intersects_bbox(t, filled=False) for t in taken)
        if inside and not met:
            return label
        label.remove()
        score = met + (0 if inside else 100)
        if best is None or score < best[0]:
            best = (score, dx, dy, ha, va, extra)
    if not required:
        return None
    _, dx, dy, ha, va, extra = best  # none is free: the one that meets least
    return ax.annotate(text, xy, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                       **props, **extra)


def _meets(kind, geometry, box) -> bool:
    """Whether a mark (`_shapes`) meets a text's box: a point's disc overlaps it, or a line or
    an outline runs through it."""
    if kind == "disc":
        x, y, r = geometry
        dx = max(box.x0 - x, 0, x - box.x1)
        dy = max(box.y0 - y, 0, y - box.y1)
        return dx * dx + dy * dy < r * r
    return geometry.intersects_bbox(box, filled=False)
