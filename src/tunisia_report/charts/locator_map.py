"""The locator map: Tunisia, its borders with Algeria and Libya, and the places the article names.

Matplotlib only, from the project's own GeoJSON (Natural Earth); nothing is downloaded.
Equirectangular: x is longitude, y latitude, with aspect 1/cos(mean latitude).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from tunisia_report.charts import style
from tunisia_report.charts.base import Chart, FigureInfo, rect
from tunisia_report.charts.geo import (
    DEGREES,
    DEGREES_WORD,
    centroid,
    compound_path,
    degrees,
    label_points,
    polygon_path,
    read_countries,
    shared_border,
    visible_centre,
)
from tunisia_report.dataset.gazetteer import REGION
from tunisia_report.exceptions import DataError
from tunisia_report.paths import GEOJSON
from tunisia_report.text.formatting import code_words, credit_words, source_line
from tunisia_report.text.i18n import N_, gettext

FOCUS = "TUN"
NEIGHBOURS = ("DZA", "LBY")  # the borders the article speaks of
EXTENT = REGION  # lon min, lon max, lat min, lat max
SEA_NAME = N_("Mediterranean Sea")
MAP_SOURCE_ID = "natural-earth-10m"
KM_PER_DEGREE = 111.32  # along a meridian; along a parallel, times cos(latitude)
MARKERS = {"city": "o", "mountain": "^"}















def draw_countries(ax, countries: dict, ids: bool = False) -> None:
    """Land and sea as both maps draw them: the focus country in its colour above its
    neighbours; with `ids`, each country's patches carry ``country-ISO-K`` in the SVG (K its
    polygon's number: an id is unique in the page)."""
    from matplotlib.patches import PathPatch

    for iso, country in countries.items():
        focus = iso == FOCUS
        for k, polygon in enumerate(country["polygons"]):
            ax.add_patch(PathPatch(polygon_path(polygon),
                                   facecolor=style.MAP_FOCUS if focus else style.MAP_LAND,
                                   edgecolor=style.MAP_FOCUS_EDGE if focus else "white",
                                   linewidth=0.6 if focus else 0.8, zorder=2 if focus else 1,
                                   gid=f"country-{iso}-{k}" if ids else None))


def _compass(dx: float, dy: float) -> str:
    names = [N_("east"), N_("north-east"), N_("north"), N_("north-west"), N_("west"),
             N_("south-west"), N_("south"), N_("south-east")]
    return gettext(names[round(math.degrees(math.atan2(dy, dx)) / 45) % 8])




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






def _within(box, frame) -> bool:
    return frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


def _overlaps(box, boxes) -> bool:
    return any(box.overlaps(other) for other in boxes)


def _place_label(ax, renderer, x, y, text, avoid, lines=(), **kw):
    """Put a label beside (x, y) at the first offset that overlaps nothing in `avoid` and that
    no coast or border in `lines` (paths in display pixels) crosses."""
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    offsets = [(7, 0, "left", "center"), (-7, 0, "right", "center"), (0, 7, "center", "bottom"),
               (0, -8, "center", "top"), (6, 5, "left", "bottom"), (-6, 5, "right", "bottom"),
               (6, -6, "left", "top"), (-6, -6, "right", "top"), (0, -16, "center", "top"),
               (0, 16, "center", "bottom"), (-4, -12, "right", "top"), (4, -12, "left", "top")]
    frame = ax.get_window_extent(renderer)
    for dx, dy, ha, va in offsets:
        label = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha,
                            va=va, path_effects=halo, **kw)
        box = label.get_window_extent(renderer)
        if (_within(box, frame) and not _overlaps(box, avoid)
                and not any(line.intersects_bbox(box, filled=False) for line in lines)):
            avoid.append(box)
            return label
        label.remove()
    label = ax.annotate(text, (x, y), xytext=offsets[0][:2], textcoords="offset points",
                        ha="left", va="center", path_effects=halo, **kw)
    avoid.append(label.get_window_extent(renderer))
    return label


def _coordinates(lat: float, lon: float) -> str:
    """'36.81° N, 10.18° E': to a hundredth of a degree (about a kilometre, as precise as a
    place on this map can be), in the edition's decimal sign."""
    return gettext("{lat}° {ns}, {lon}° {ew}").format(
        lat=degrees(abs(lat)), ns=gettext("N") if lat >= 0 else gettext("S"),
        lon=degrees(abs(lon)), ew=gettext("E") if lon >= 0 else gettext("W"))



def locator_map(data, *, geojson_path: Path | str | None = None,
                extent: tuple[float, float, float, float] = EXTENT) -> Chart:
    """Tunisia between Algeria and Libya, the shared borders highlighted, named places marked."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.path import Path

    countries = read_countries(geojson_path or GEOJSON)
    for iso in (FOCUS, *NEIGHBOURS):
        if iso not in countries:
            raise DataError(f"{iso} is not in the map data {geojson_path or GEOJSON}")
    places = data.places.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    table = places[["place_id", "name", "kind", "latitude", "longitude"]].copy()
    borders = {iso: shared_border(countries[FOCUS], countries[iso]) for iso in NEIGHBOURS}
    x0, x1, y0, y1 = extent
    mid_lat = (y0 + y1) / 2
    for iso, country in countries.items():
        country["name"] = data.country_name(iso, country["name"])
    focus_name = countries[FOCUS]["name"]
    title = gettext("{country} and the borders the article speaks of").format(country=focus_name)
    credit = credit_words(
        str(data.source(MAP_SOURCE_ID)["citation"]).split(". ")[0].rstrip(".") + ".")
    with style.context():
        # On a phone (`style.narrow`) the map spans the width and its key and notes go below.
        ratio = (y1 - y0) / ((x1 - x0) * math.cos(math.radians(mid_lat)))  # height / width
        narrow_map_in = style.width() - 0.5
        below_in = 2.2 + (0.45 if style.rtl() else 0)  # a phone's key and notes (Amiri's taller)
        fig = style.new_figure(
            style.TITLE_SPACE_IN + narrow_map_in * ratio + below_in + style.SOURCE_SPACE_IN
            if style.narrow() else style.HEIGHT_TALL_IN)
        bottom, top = style.frame(fig, title, source_line(data))
        credit_in = style.MARGIN_IN + (0.17 if style.narrow() else 0)  # a phone's: above
        fig.text(style.x(1 - style.MARGIN_IN / style.width()),
                 credit_in / fig.get_figheight(), credit, ha=style.ha("right"), va="bottom",
                 fontsize=style.SMALL_PT, color=style.MUTED,
                 gid=style.FRAME_GIDS[2])  # the document's source line carries it too
        map_h = top - bottom - 0.02
        map_w_in = map_h * fig.get_figheight() * (x1 - x0) * math.cos(math.radians(mid_lat)) \
            / (y1 - y0)
        map_w = map_w_in / style.width()
        if style.narrow():
            map_w = narrow_map_in / style.width()
            map_h = narrow_map_in * ratio / fig.get_figheight()
            ax = fig.add_axes((style.x(0.1, map_w), top - map_h - 0.01, map_w, map_h))
        else:
            ax = fig.add_axes((style.x(0.085, map_w), bottom + 0.035, map_w, map_h - 0.02))
        ax.set_facecolor(style.MAP_SEA)
        draw_countries(ax, countries, ids=True)
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
        ax.xaxis.set_major_formatter(lambda v, _: f"{degrees(v)}° " + gettext("E"))
        ax.yaxis.set_major_formatter(lambda v, _: f"{degrees(v)}° " + gettext("N"))
        if style.rtl():  # latitudes on the outer side, away from the legend
            ax.yaxis.tick_right()
        ax.tick_params(labelsize=style.SMALL_PT, length=2, colors=style.MUTED)
        renderer = fig.canvas.get_renderer()
        avoid = []
        tooltips = {}
        for row in places.itertuples():
            ax.plot(row.longitude, row.latitude, marker=MARKERS.get(row.kind, "s"),
                    color=style.TEXT, markersize=5, markeredgecolor="white",
                    markeredgewidth=0.8, zorder=6, linestyle="none",
                    gid=f"place-mark-{row.place_id}")
            tooltips[f"place-mark-{row.place_id}"] = [gettext("{place}: {coordinates}").format(
                place=row.name, coordinates=_coordinates(row.latitude, row.longitude))]
            avoid.append(ax.transData.transform_bbox(_point_box(row.longitude, row.latitude)))
        coasts = [ax.transData.transform_path(polygon_path(p))
                  for p in countries[FOCUS]["polygons"]]
        coasts += [ax.transData.transform_path(Path(line)) for lines in borders.values()
                   for line in lines]
        for row in places.itertuples():
            _place_label(ax, renderer, row.longitude, row.latitude,
                         # the name before its bracket (the side note gives it whole): a
                         # label that fits between the border and the coast
                         style.wrap(fig, str(row.name).split(" (")[0], 0.7, style.LABEL_PT),
                         avoid, lines=coasts,
                         fontsize=style.LABEL_PT, color=style.TEXT, zorder=7,
                         gid=f"place-{row.place_id}", linespacing=1.1)
        for iso, country in countries.items():
            focus = iso == FOCUS
            kw = {"fontsize": 9 if focus else style.SMALL_PT,
                  "fontweight": "bold" if focus else "normal",
                  "color": style.TEXT if focus else style.MUTED, "gid": f"name-{iso}"}
            name = country["name"].upper()  # (Arabic has no capitals: unchanged)
            if not _area_label(ax, renderer, label_points(country["polygons"], extent), name,
                               avoid, inside=compound_path(country["polygons"]), **kw):
                visible = visible_centre(country, extent)  # too small to hold its name
                if visible is not None:
                    _place_label(ax, renderer, *visible, name, avoid, **kw)
        land = [polygon for country in countries.values() for polygon in country["polygons"]]
        _area_label(ax, renderer, label_points(land, extent, step=0.1, inside=False),
                    gettext(SEA_NAME),
                    avoid, fontsize=style.SMALL_PT, fontstyle="italic", color=style.MAP_SEA_TEXT)
        _scale_bar(ax, x0 + 0.35, y0 + 0.45, mid_lat)
        side_x = 0.085 + map_w + 0.03  # the column beside the map (left of it in RTL)
        handles = [Patch(facecolor=style.MAP_FOCUS, edgecolor=style.MAP_FOCUS_EDGE,
                         label=focus_name)]
        handles += [Line2D([], [], color=style.MAP_BORDER_COLOURS[iso], linewidth=2.6,
                           label=gettext("Border with {country}").format(
                               country=countries[iso]["name"]))
                    for iso in NEIGHBOURS]
        handles += [Line2D([], [], marker=MARKERS.get(k, "s"), color=style.TEXT,
                           linestyle="none", markersize=5, label=code_words(k))
                    for k in dict.fromkeys(places["kind"])]
        key_top = top - 0.02
        if style.narrow():  # under the map: the key in two columns, then the notes
            side_x, key_top = 0.02, bottom + (below_in - 0.3) / fig.get_figheight()
        fig.legend(handles=handles, loc=f"upper {style.ha('left')}",
                   bbox_to_anchor=(style.x(side_x), key_top), fontsize=style.SMALL_PT,
                   handlelength=1.6, labelspacing=0.9, borderaxespad=0,
                   ncols=2 if style.narrow() else 1, markerfirst=not style.rtl())
        notes = fig.add_axes((style.x(side_x, 0.98 - side_x),
                              bottom + 0.035 + (credit_in - style.MARGIN_IN) / fig.get_figheight(),
                              0.98 - side_x, 0.3))
        notes.set_axis_off()
        width = notes.get_position().width * style.width()
        lines = [gettext("Places the article names, at the coordinates recorded for them:")]
        lines += [gettext("{place}: {coordinates}").format(  # a degree stays with its number
            place=r.name, coordinates=DEGREES_WORD.sub(lambda m: style.isolate(m.group(0)),
                                                       _coordinates(r.latitude, r.longitude)))
            for r in places.itertuples()]
        lines += [DEGREES.sub(lambda m: style.isolate(m.group(0)),
                         gettext("Scale true at {latitude}°N.").format(
                             latitude=degrees(mid_lat)))]
        text = "\n".join(style.wrap(fig, line, width, style.SMALL_PT) for line in lines)
        notes.text(style.x(0), 0, text, va="bottom", ha=style.ha("left"), fontsize=style.SMALL_PT,
                   color=style.MUTED, linespacing=1.3, transform=notes.transAxes)
    centre = centroid(countries[FOCUS])
    scale = np.array([math.cos(math.radians(centre[1])), 1.0])
    directions = {iso: _compass(*((np.concatenate(borders[iso]).mean(axis=0) - centre) * scale))
                  for iso in NEIGHBOURS}
    first, second = (countries[iso]["name"] for iso in NEIGHBOURS)
    alt = gettext("Locator map of {country}, longitude {x0}° to {x1}° E, latitude {y0}° to "
                  "{y1}° N. {country}'s borders with {first} (to the {first_side}) and {second} "
                  "(to the {second_side}) are highlighted. Marked: {places}.").format(
        country=focus_name, x0=degrees(x0), x1=degrees(x1), y0=degrees(y0), y1=degrees(y1),
        first=first, second=second, first_side=directions[NEIGHBOURS[0]],
        second_side=directions[NEIGHBOURS[1]],
        places=gettext("; ").join(gettext("{place} ({coordinates})").format(
            place=r.name, coordinates=_coordinates(r.latitude, r.longitude))
            for r in places.itertuples()))
    caption = gettext("{country}'s borders with {first} and {second}, and the places the article "
                      "names that can be located.").format(country=focus_name, first=first,
                                                          second=second)
    info = FigureInfo(label="locator-map", title=title, caption=caption,
                      source=gettext("{source}. Map: {credit}").format(source=source_line(data),
                                                                       credit=credit), alt=alt)
    return Chart(fig, info, table, tooltips)




def _point_box(x, y, r=0.08):
    from matplotlib.transforms import Bbox

    return Bbox([[x - r, y - r], [x + r, y + r]])


_BAR = {"linewidth": 0.6, "zorder": 6}  # the scale bar's rectangles


def _scale_bar(ax, x, y, lat: float, km: int = 200) -> None:
    """A 0–km bar at (x, y), its length true at latitude lat."""
    length = km / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    half = length / 2
    for i, colour in enumerate((style.TEXT, "white")):
        ax.add_patch(rect((x + i * half, y), half, 0.09, colour, **_BAR))
    ax.add_patch(rect((x, y), length, 0.09, "none", edge=style.TEXT, **_BAR))
    for dx, text in ((0, "0"), (half, f"{km // 2}"),
                     (length, gettext("{km} km").format(km=km))):
        ax.text(x + dx, y + 0.16, text, ha="center", va="bottom", fontsize=style.SMALL_PT,
                color=style.TEXT, zorder=6)
