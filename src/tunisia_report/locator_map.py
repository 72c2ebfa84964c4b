"""The locator map: Tunisia, its borders with Algeria and Libya, and the places the article names.

Matplotlib only, from the project's own GeoJSON (Natural Earth); nothing is downloaded.
Equirectangular: x is longitude, y latitude, with aspect 1/cos(mean latitude).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tunisia_report import style
from tunisia_report.display import FigureInfo
from tunisia_report.exceptions import ReportError
from tunisia_report.narrative import source_line
from tunisia_report.paths import GEOJSON

if TYPE_CHECKING:
    from tunisia_report.charts import Chart

FOCUS = "TUN"
NEIGHBOURS = ("DZA", "LBY")  # the borders the article speaks of
EXTENT = (5.8, 15.2, 30.0, 38.4)  # lon min, lon max, lat min, lat max
SEA_NAME = "Mediterranean Sea"
MAP_SOURCE_ID = "natural-earth-10m"
KM_PER_DEGREE = 111.32  # along a meridian; along a parallel, times cos(latitude)
MARKERS = {"city": "o", "mountain": "^"}

Ring = np.ndarray  # (n, 2) lon, lat; closed (first point == last point)
Polygon = list  # [exterior ring, *hole rings]


def read_countries(path: Path | str = GEOJSON) -> dict[str, dict]:
    """{iso_a3: {"name": ..., "polygons": [[exterior, *holes], ...]}} from a GeoJSON file."""
    collection = json.loads(Path(path).read_text(encoding="utf-8"))
    countries = {}
    for feature in collection["features"]:
        geometry, props = feature["geometry"], feature["properties"]
        parts = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                 else geometry["coordinates"])
        polygons = [[np.asarray(ring, dtype=float) for ring in polygon] for polygon in parts]
        countries[props["iso_a3"]] = {"name": props["name"], "polygons": polygons}
    return countries


def _signed_area(ring: Ring) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def polygon_path(polygon: Polygon):
    """A matplotlib Path for one polygon: exterior counter-clockwise, holes clockwise, so that
    holes stay empty under the non-zero fill rule."""
    from matplotlib.path import Path as MplPath

    vertices, codes = [], []
    for i, ring in enumerate(polygon):
        clockwise = _signed_area(ring) < 0
        if clockwise == (i == 0):
            ring = ring[::-1]
        vertices.append(ring)
        codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(vertices), codes)


def shared_border(country: dict, neighbour: dict, tol: float = 1e-6) -> list[np.ndarray]:
    """The boundary two countries share, as polylines (lon, lat): the edges of the first
    country's rings whose two ends are consecutive vertices of a ring of the second, within tol."""
    other = [ring for polygon in neighbour["polygons"] for ring in polygon]
    points = np.concatenate(other)
    offsets = np.cumsum([0] + [len(r) for r in other])
    lines: list[list] = []
    for polygon in country["polygons"]:
        for ring in polygon:
            # index (in `points`) of the neighbour vertex each vertex coincides with, or -1
            dist = np.abs(ring[:, None, :] - points[None, :, :]).max(axis=2)
            nearest = dist.argmin(axis=1)
            match = np.where(dist[np.arange(len(ring)), nearest] <= tol, nearest, -1)
            current: list = []
            for k in range(len(ring) - 1):
                a, b = match[k], match[k + 1]
                shared = a >= 0 and b >= 0 and _adjacent(a, b, offsets)
                if shared:
                    if not current:
                        current = [ring[k]]
                    current.append(ring[k + 1])
                elif current:
                    lines.append(current)
                    current = []
            if current:
                lines.append(current)
    return _merge([np.asarray(line) for line in lines], tol)


def _adjacent(a: int, b: int, offsets) -> bool:
    """Whether two indices into the concatenated rings are neighbours on the same ring."""
    ring = int(np.searchsorted(offsets, a, side="right")) - 1
    start, end = offsets[ring], offsets[ring + 1]
    if not (start <= b < end):
        return False
    n = end - start - 1  # closed ring: last vertex repeats the first
    i, j = (a - start) % n, (b - start) % n
    return (i - j) % n in (1, n - 1)


def _merge(lines: list[np.ndarray], tol: float) -> list[np.ndarray]:
    """Join polylines where one ends where another starts (a border crossing a ring's start)."""
    lines = list(lines)
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(lines):
            for j, b in enumerate(lines):
                if i != j and np.abs(a[-1] - b[0]).max() <= tol:
                    lines[i] = np.concatenate([a, b[1:]])
                    del lines[j]
                    merged = True
                    break
            if merged:
                break
    return lines


def _compass(dx: float, dy: float) -> str:
    names = ["east", "north-east", "north", "north-west", "west", "south-west", "south",
             "south-east"]
    return names[round(math.degrees(math.atan2(dy, dx)) / 45) % 8]


def label_points(polygons: list, extent, step: float = 0.05, inside: bool = True) -> np.ndarray:
    """Visible points inside (or outside) the polygons, best first: farthest from their
    outlines and from the map's edge."""
    from matplotlib.path import Path as MplPath

    x0, x1, y0, y1 = extent
    xs, ys = np.meshgrid(np.arange(x0, x1, step), np.arange(y0, y1, step))
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    within = np.zeros(len(grid), dtype=bool)
    for polygon in polygons:
        within |= MplPath(polygon[0]).contains_points(grid)
        for hole in polygon[1:]:
            within &= ~MplPath(hole).contains_points(grid)
    candidates = grid[within == inside]
    if not len(candidates):
        return candidates
    scale = np.array([math.cos(math.radians((y0 + y1) / 2)), 1.0])
    edge = np.minimum.reduce([candidates[:, 0] - x0, x1 - candidates[:, 0],
                              candidates[:, 1] - y0, y1 - candidates[:, 1]])
    vertices = np.concatenate([r for p in polygons for r in p])
    vertices = vertices[(vertices[:, 0] > x0 - 1) & (vertices[:, 0] < x1 + 1)
                        & (vertices[:, 1] > y0 - 1) & (vertices[:, 1] < y1 + 1)]
    nearest = np.full(len(candidates), np.inf)
    for chunk in np.array_split(vertices, max(1, len(vertices) // 500)):
        d = np.hypot(*((candidates[:, None, :] - chunk[None, :, :]) * scale).transpose(2, 0, 1))
        nearest = np.minimum(nearest, d.min(axis=1))
    return candidates[np.argsort(-np.minimum(nearest, edge), kind="stable")]


def _area_label(ax, renderer, points, text, avoid, inside=None, **kw) -> bool:
    """Write text at the first of the points (best first) where it stays inside the map and
    overlaps nothing in avoid; return whether it found one."""
    frame = ax.get_window_extent(renderer)
    for x, y in points[:400]:
        label = ax.text(x, y, text, ha="center", va="center", zorder=5, **kw)
        box = label.get_window_extent(renderer)
        fits = inside is None or inside.contains_points(
            ax.transData.inverted().transform(box.corners())).all()
        if fits and _within(box, frame) and not _overlaps(box, avoid):
            avoid.append(box)
            return True
        label.remove()
    return False


def _compound(polygons):
    """One Path of all the polygons, for point-in-country tests."""
    from matplotlib.path import Path as MplPath

    return MplPath.make_compound_path(*(polygon_path(p) for p in polygons))


def _visible_centre(country: dict, extent) -> tuple[float, float] | None:
    """Centre of the country's vertices inside the map, or None if none are."""
    x0, x1, y0, y1 = extent
    v = np.concatenate([p[0] for p in country["polygons"]])
    v = v[(v[:, 0] >= x0) & (v[:, 0] <= x1) & (v[:, 1] >= y0) & (v[:, 1] <= y1)]
    return (float(v[:, 0].mean()), float(v[:, 1].mean())) if len(v) else None


def _within(box, frame) -> bool:
    return frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


def _overlaps(box, boxes) -> bool:
    return any(box.overlaps(other) for other in boxes)


def _place_label(ax, renderer, x, y, text, avoid, **kw):
    """Put a label beside (x, y) at the first offset that overlaps nothing in `avoid`."""
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    offsets = [(7, 0, "left", "center"), (-7, 0, "right", "center"), (0, 7, "center", "bottom"),
               (0, -8, "center", "top"), (6, 5, "left", "bottom"), (-6, 5, "right", "bottom"),
               (6, -6, "left", "top"), (-6, -6, "right", "top")]
    frame = ax.get_window_extent(renderer)
    for dx, dy, ha, va in offsets:
        label = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha,
                            va=va, path_effects=halo, **kw)
        box = label.get_window_extent(renderer)
        if _within(box, frame) and not _overlaps(box, avoid):
            avoid.append(box)
            return label
        label.remove()
    label = ax.annotate(text, (x, y), xytext=offsets[0][:2], textcoords="offset points",
                        ha="left", va="center", path_effects=halo, **kw)
    avoid.append(label.get_window_extent(renderer))
    return label


def _coordinates(lat: float, lon: float) -> str:
    """'36.806° N, 10.181° E' at the precision stored."""
    return (f"{abs(lat):g}° {'N' if lat >= 0 else 'S'}, "
            f"{abs(lon):g}° {'E' if lon >= 0 else 'W'}")


def locator_map(data, *, geojson_path: Path | str | None = None,
                extent: tuple[float, float, float, float] = EXTENT) -> Chart:
    """Tunisia between Algeria and Libya, the shared borders highlighted, named places marked."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, PathPatch

    from tunisia_report.charts import Chart

    countries = read_countries(geojson_path or GEOJSON)
    for iso in (FOCUS, *NEIGHBOURS):
        if iso not in countries:
            raise ReportError(f"{iso} is not in the map data {geojson_path or GEOJSON}")
    places = data.places.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    table = places[["place_id", "name", "kind", "latitude", "longitude"]].copy()
    borders = {iso: shared_border(countries[FOCUS], countries[iso]) for iso in NEIGHBOURS}
    x0, x1, y0, y1 = extent
    mid_lat = (y0 + y1) / 2
    focus_name = countries[FOCUS]["name"]
    title = f"{focus_name} and the borders the article speaks of"
    credit = str(data.source(MAP_SOURCE_ID)["citation"]).split(". ")[0].rstrip(".") + "."
    with style.context():
        fig = style.new_figure(style.HEIGHT_TALL_IN)
        bottom, top = style.frame(fig, title, source_line(data))
        fig.text(1 - style.MARGIN_IN / style.FIG_WIDTH_IN, style.MARGIN_IN / fig.get_figheight(),
                 credit, ha="right", va="bottom", fontsize=style.SMALL_PT, color=style.MUTED,
                 gid=style.FRAME_GIDS[2])  # the document's source line carries it too
        map_h = top - bottom - 0.02
        map_w_in = map_h * fig.get_figheight() * (x1 - x0) * math.cos(math.radians(mid_lat)) \
            / (y1 - y0)
        ax = fig.add_axes((0.085, bottom + 0.035, map_w_in / style.FIG_WIDTH_IN, map_h - 0.02))
        ax.set_facecolor(style.MAP_SEA)
        for iso, country in countries.items():
            focus = iso == FOCUS
            for polygon in country["polygons"]:
                ax.add_patch(PathPatch(polygon_path(polygon),
                                       facecolor=style.MAP_FOCUS if focus else style.MAP_LAND,
                                       edgecolor=style.MAP_FOCUS_EDGE if focus else "white",
                                       linewidth=0.6 if focus else 0.8, zorder=2 if focus else 1,
                                       gid=f"country-{iso}"))
        for iso, lines in borders.items():
            ax.add_collection(LineCollection(lines, colors=style.MAP_BORDER_COLOURS[iso],
                                             linewidths=2.6, capstyle="round", zorder=3,
                                             gid=f"border-{iso}"))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(1 / math.cos(math.radians(mid_lat)))
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
        for spine in ax.spines.values():
            spine.set_color(style.MUTED)
            spine.set_linewidth(0.6)
        ax.set_xticks(range(math.ceil(x0 / 2) * 2, int(x1) + 1, 2))
        ax.set_yticks(range(math.ceil(y0 / 2) * 2, int(y1) + 1, 2))
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:g}°E")
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:g}°N")
        ax.tick_params(labelsize=style.SMALL_PT, length=2, colors=style.MUTED)
        renderer = fig.canvas.get_renderer()
        avoid = []
        for row in places.itertuples():
            ax.plot(row.longitude, row.latitude, marker=MARKERS.get(row.kind, "s"),
                    color=style.TEXT, markersize=5, markeredgecolor="white",
                    markeredgewidth=0.8, zorder=6)
            avoid.append(ax.transData.transform_bbox(_point_box(row.longitude, row.latitude)))
        for row in places.itertuples():
            _place_label(ax, renderer, row.longitude, row.latitude,
                         style.wrap(fig, row.name, 1.2, style.LABEL_PT), avoid,
                         fontsize=style.LABEL_PT, color=style.TEXT, zorder=7,
                         gid=f"place-{row.place_id}", linespacing=1.1)
        for iso, country in countries.items():
            focus = iso == FOCUS
            kw = {"fontsize": 9 if focus else style.SMALL_PT,
                  "fontweight": "bold" if focus else "normal",
                  "color": style.TEXT if focus else style.MUTED, "gid": f"name-{iso}"}
            name = country["name"].upper()
            if not _area_label(ax, renderer, label_points(country["polygons"], extent), name,
                               avoid, inside=_compound(country["polygons"]), **kw):
                visible = _visible_centre(country, extent)  # too small to hold its name
                if visible is not None:
                    _place_label(ax, renderer, *visible, name, avoid, **kw)
        land = [polygon for country in countries.values() for polygon in country["polygons"]]
        _area_label(ax, renderer, label_points(land, extent, step=0.1, inside=False), SEA_NAME,
                    avoid, fontsize=style.SMALL_PT, fontstyle="italic", color=style.MAP_SEA_TEXT)
        _scale_bar(ax, x0 + 0.35, y0 + 0.45, mid_lat)
        side_x = 0.085 + map_w_in / style.FIG_WIDTH_IN + 0.03  # the column right of the map
        handles = [Patch(facecolor=style.MAP_FOCUS, edgecolor=style.MAP_FOCUS_EDGE,
                         label=focus_name)]
        handles += [Line2D([], [], color=style.MAP_BORDER_COLOURS[iso], linewidth=2.6,
                           label=f"Border with {countries[iso]['name']}")
                    for iso in NEIGHBOURS]
        handles += [Line2D([], [], marker=MARKERS.get(k, "s"), color=style.TEXT,
                           linestyle="none", markersize=5, label=str(k).capitalize())
                    for k in dict.fromkeys(places["kind"])]
        fig.legend(handles=handles, loc="upper left",
                   bbox_to_anchor=(side_x, top - 0.02), fontsize=style.SMALL_PT,
                   handlelength=1.6, labelspacing=0.9, borderaxespad=0)
        notes = fig.add_axes((side_x, bottom + 0.035, 0.98 - side_x, 0.3))
        notes.set_axis_off()
        width = notes.get_position().width * style.FIG_WIDTH_IN
        lines = ["Places the article names, at the coordinates recorded for them:"]
        lines += [f"{r.name}: {_coordinates(r.latitude, r.longitude)}"
                  for r in places.itertuples()]
        lines += [f"Scale true at {mid_lat:g}°N."]
        text = "\n".join(style.wrap(fig, line, width, style.SMALL_PT) for line in lines)
        notes.text(0, 0, text, va="bottom", ha="left", fontsize=style.SMALL_PT,
                   color=style.MUTED, linespacing=1.3, transform=notes.transAxes)
    centre = _centroid(countries[FOCUS])
    scale = np.array([math.cos(math.radians(centre[1])), 1.0])
    directions = {iso: _compass(*((np.concatenate(borders[iso]).mean(axis=0) - centre) * scale))
                  for iso in NEIGHBOURS}
    alt = (f"Locator map of {focus_name}, longitude {x0:g}° to {x1:g}° E, latitude {y0:g}° to "
           f"{y1:g}° N. {focus_name}'s borders with "
           + " and ".join(f"{countries[iso]['name']} (to the {directions[iso]})"
                          for iso in NEIGHBOURS)
           + " are highlighted. Marked: "
           + "; ".join(f"{r.name} ({_coordinates(r.latitude, r.longitude)})"
                       for r in places.itertuples()) + ".")
    caption = (f"{focus_name}'s borders with "
               + " and ".join(countries[iso]["name"] for iso in NEIGHBOURS)
               + ", and the places the article names that can be located.")
    info = FigureInfo(label="locator-map", title=title, caption=caption,
                      source=f"{source_line(data)}. Map: {credit}", alt=alt)
    return Chart(fig, info, table)


def _centroid(country: dict) -> np.ndarray:
    """Area-weighted centroid of a country's exteriors (lon, lat; planar, fine at this scale)."""
    total, moment = 0.0, np.zeros(2)
    for polygon in country["polygons"]:
        ring = polygon[0]
        x, y = ring[:, 0], ring[:, 1]
        cross = x[:-1] * y[1:] - x[1:] * y[:-1]
        total += cross.sum() / 2
        moment += [((x[:-1] + x[1:]) * cross).sum() / 6, ((y[:-1] + y[1:]) * cross).sum() / 6]
    return moment / total


def _point_box(x, y, r=0.08):
    from matplotlib.transforms import Bbox

    return Bbox([[x - r, y - r], [x + r, y + r]])


def _scale_bar(ax, x, y, lat: float, km: int = 200) -> None:
    """A 0–km bar at (x, y), its length true at latitude lat."""
    length = km / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    half = length / 2
    for i, colour in enumerate((style.TEXT, "white")):
        ax.add_patch(_rect(x + i * half, y, half, 0.09, colour))
    ax.add_patch(_rect(x, y, length, 0.09, "none", edge=style.TEXT))
    for dx, text in ((0, "0"), (half, f"{km // 2}"), (length, f"{km} km")):
        ax.text(x + dx, y + 0.16, text, ha="center", va="bottom", fontsize=style.SMALL_PT,
                color=style.TEXT, zorder=6)


def _rect(x, y, w, h, face, edge="none"):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, facecolor=face, edgecolor=edge, linewidth=0.6, zorder=6)

