"""Geometry for maps: country polygons read from GeoJSON, borders two countries share, and
points for labels. NumPy and matplotlib paths only; nothing is downloaded.

Coordinates are (longitude, latitude) in degrees.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path

import numpy as np

from tunisia_report.paths import GEOJSON

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


def signed_area(ring: Ring) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def polygon_path(polygon: Polygon):
    """A matplotlib Path for one polygon: exterior counter-clockwise, holes clockwise, so that
    holes stay empty under the non-zero fill rule."""
    from matplotlib.path import Path as MplPath

    vertices, codes = [], []
    for i, ring in enumerate(polygon):
        clockwise = signed_area(ring) < 0
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


_LABEL_POINTS: dict[tuple, np.ndarray] = {}  # `label_points` kept per process


def label_points(polygons: list, extent, step: float = 0.05, inside: bool = True) -> np.ndarray:
    """Visible points inside (or outside) the polygons, best first: farthest from their
    outlines and from the map's edge.

    Kept per process by the polygons' bytes and the arguments: a map drawn wide and for a
    phone, in every edition, asks the same question (about 1.5 s of CPU for the locator map's
    four names, measured)."""
    digest = hashlib.sha1()
    for polygon in polygons:
        for ring in polygon:
            digest.update(np.ascontiguousarray(ring, dtype=float).tobytes() + b"|")
        digest.update(b"#")
    key = (digest.hexdigest(), tuple(float(v) for v in extent), float(step), bool(inside))
    if key not in _LABEL_POINTS:
        _LABEL_POINTS[key] = _label_points(polygons, extent, step, inside)
    return _LABEL_POINTS[key].copy()


def _label_points(polygons: list, extent, step: float, inside: bool) -> np.ndarray:
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


def compound_path(polygons):
    """One Path of all the polygons, for point-in-country tests."""
    from matplotlib.path import Path as MplPath

    return MplPath.make_compound_path(*(polygon_path(p) for p in polygons))


def visible_centre(country: dict, extent) -> tuple[float, float] | None:
    """Centre of the country's vertices inside the map, or None if none are."""
    x0, x1, y0, y1 = extent
    v = np.concatenate([p[0] for p in country["polygons"]])
    v = v[(v[:, 0] >= x0) & (v[:, 0] <= x1) & (v[:, 1] >= y0) & (v[:, 1] <= y1)]
    return (float(v[:, 0].mean()), float(v[:, 1].mean())) if len(v) else None


def centroid(country: dict) -> np.ndarray:
    """Area-weighted centroid of a country's exteriors (lon, lat; planar, fine at this scale)."""
    total, moment = 0.0, np.zeros(2)
    for polygon in country["polygons"]:
        ring = polygon[0]
        x, y = ring[:, 0], ring[:, 1]
        cross = x[:-1] * y[1:] - x[1:] * y[:-1]
        total += cross.sum() / 2
        moment += [((x[:-1] + x[1:]) * cross).sum() / 6, ((y[:-1] + y[1:]) * cross).sum() / 6]
    return moment / total


# A number of degrees ('36,81°'), and one with its hemisphere ('36.81° N', '36,81° شمالاً'):
# the runs a right-to-left line must keep whole (`style.isolate`).
DEGREES = re.compile(r"[\d.,]+°")
DEGREES_WORD = re.compile(r"[\d.,]+° [^\s,\u060c]+")


def degrees(value: float) -> str:
    """A number of degrees to a hundredth at most (about a kilometre, as precise as a place on
    these maps can be), as the edition writes decimals (CLDR)."""
    from babel.numbers import format_decimal

    from tunisia_report.text.i18n import edition

    return format_decimal(round(value, 2), format="0.##", locale=edition().locale,
                          numbering_system="default")
