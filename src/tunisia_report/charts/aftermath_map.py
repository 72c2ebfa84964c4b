"""Where attacks struck after the article: the locator map's countries, every attack a circle
sized by the people it killed."""

from __future__ import annotations

import math

from tunisia_report.charts import style
from tunisia_report.charts.aftermath_deaths import SETTING_COLOURS, record_source_line
from tunisia_report.charts.base import Chart, FigureInfo, source_url
from tunisia_report.charts.geo import read_countries, shared_border
from tunisia_report.charts.locator_map import EXTENT, FOCUS, NEIGHBOURS, draw_countries
from tunisia_report.dataset import aftermath
from tunisia_report.exceptions import DataError
from tunisia_report.paths import GEOJSON
from tunisia_report.text.dates import format_date, format_day
from tunisia_report.text.formatting import format_number, publisher
from tunisia_report.text.i18n import gettext, ngettext

AREA_PER_DEATH = 5.0  # marker area (points²) per death: the largest marker stays on the map
MIN_AREA = 9.0  # an attack that killed only its attackers: a small hollow circle
LABELLED = 6  # the deadliest attacks named beside the map, with a line to their circle
RING = 0.12  # degrees: attacks at one place are spread on a ring this wide, one circle each
NEAR = 0.1  # degrees: places closer than this count as one place for the ring


def spread(deaths) -> list[tuple[float, float]]:
    """Each attack's drawing position: its place, or a point on a small ring around it when
    other attacks share the place or lie within NEAR of it (so that separate attacks stay
    separate circles, each with a centre a pointer can reach)."""
    positions = []
    seen: dict[tuple[float, float], int] = {}
    keys = [(round(lat / NEAR), round(lon / NEAR)) for lat, lon
            in zip(deaths["latitude"], deaths["longitude"], strict=True)]
    counts = {k: keys.count(k) for k in keys}
    for row, key in zip(deaths.itertuples(), keys, strict=True):
        n = counts[key]
        i = seen.get(key, 0)
        seen[key] = i + 1
        if n == 1:
            positions.append((row.longitude, row.latitude))
            continue
        r, j = divmod(i, 12)  # twelve to a ring, then a wider ring
        angle = 2 * math.pi * j / min(12, n - 12 * r) + 0.26 * r
        ring = RING * (1 + r)
        positions.append((row.longitude + ring * math.cos(angle) * 1.2,
                          row.latitude + ring * math.sin(angle)))
    return positions


def aftermath_map(data) -> Chart:
    """Every attack after the article (and the one the article opens with) as its own circle
    at its place, its area proportional to the people other than the attackers it killed; the
    deadliest named beside the map with a line to their circle; a size key."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    deaths = aftermath.attack_deaths(data)
    if deaths.empty:
        raise DataError("no attacks in attacks.csv")
    countries = read_countries(GEOJSON)
    x0, x1, y0, y1 = EXTENT
    mid_lat = (y0 + y1) / 2
    title = gettext("Where attacks struck, each sized by the people it killed")
    tolls = aftermath.counted_tolls(data)
    source = record_source_line(data, tolls["source_id"])
    deaths = deaths.sort_values(["start_date", "attack_id"]).reset_index(drop=True)
    positions = spread(deaths)
    colours = {setting: colour for setting, (_, colour) in SETTING_COLOURS.items()}
    with style.context():
        width_per_height = (x1 - x0) * math.cos(math.radians(mid_lat)) / (y1 - y0)
        # On a phone (`style.narrow`) the map leaves 1.5 in beside it for the labels, and the
        # key goes under it, in two columns.
        narrow = style.narrow()
        map_in = (style.width() - 1.6) / width_per_height
        key_in = 1.45
        fig = style.new_figure(map_in + key_in + style.TITLE_SPACE_IN + style.SOURCE_SPACE_IN
                               if narrow else style.HEIGHT_TALL_IN)
        bottom, top = style.frame(fig, title, source)
        map_h = map_in / fig.get_figheight() if narrow else (top - bottom) * 0.86
        map_w = map_h * fig.get_figheight() * width_per_height / style.width()
        # Circles keep their size relative to the map (a phone's map is smaller): as many
        # stay apart, each with a centre a pointer reaches; the key shows the same sizes.
        wide_in = (style.HEIGHT_TALL_IN - style.TITLE_SPACE_IN - style.SOURCE_SPACE_IN) * 0.86
        area_scale = (map_h * fig.get_figheight() / wide_in) ** 2 if narrow else 1.0
        ax = fig.add_axes((style.x(0.03, map_w), top - map_h if narrow else bottom + 0.02,
                           map_w, map_h))
        ax.set_facecolor(style.MAP_SEA)
        draw_countries(ax, countries)
        for iso in NEIGHBOURS:
            ax.add_collection(LineCollection(shared_border(countries[FOCUS], countries[iso]),
                                             colors=style.MAP_BORDER_COLOURS[iso],
                                             linewidths=2.0, zorder=3))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(1 / math.cos(math.radians(mid_lat)))
        ax.set_xticks([])
        ax.set_yticks([])
        tooltips = {}
        order = deaths["harmed"].sort_values(ascending=False, kind="stable").index
        harmed = tolls[tolls["category"].isin(aftermath.HARMED)]
        producers = data.sources.set_index("source_id")["producer"]
        for i in order:  # the largest first, so that smaller circles stay on top
            row = deaths.loc[i]
            x, y = positions[i]
            area = max(row["harmed"] * AREA_PER_DEATH, MIN_AREA) * area_scale
            hollow = row["harmed"] == 0
            circle = ax.scatter(x, y, s=area, facecolor="white" if hollow else
                                colours[row["setting"]], edgecolor=colours[row["setting"]]
                                if hollow else "white", alpha=0.8, linewidth=0.8, zorder=5,
                                gid=f"attack-{i}")
            text, url = _place_tooltip(data, harmed, producers, deaths.loc[[i]])
            circle.set_urls([url])
            tooltips[f"attack-{i}"] = [text]
        # The deadliest named in a column beside the map, each with a line to its circle:
        # the labels sit off the map, so they cannot land on another place or coast.
        named = deaths.loc[order[:LABELLED]].sort_values("latitude", ascending=False)
        left = style.x(0.03 + map_w + 0.03)
        # (a phone's labels, on two lines, stay beside the map: its top is the figure's)
        first_y = top - (0.12 / fig.get_figheight() if narrow else 0.04)
        step = (map_h * 0.9 if narrow else (top - bottom) * 0.42) / max(len(named), 1)
        box = ax.get_position()  # (in the map's own fraction: a crop keeps it in place)
        for k, (i, row) in enumerate(named.iterrows()):
            label_y = first_y - k * step
            place = str(row["place"])
            short = place.split(" (")[1].rstrip(")") if " (" in place else place
            words = gettext("{place}, {year}: {n}").format(
                place=short, year=row["start_date"].year, n=format_number(row["harmed"]))
            ax.annotate(style.wrap(fig, words, 1.3, style.SMALL_PT) if narrow else words,
                xy=positions[i], xycoords="data",
                xytext=((left - box.x0) / box.width, (label_y - box.y0) / box.height),
                textcoords="axes fraction", fontsize=style.SMALL_PT, color=style.TEXT,
                ha=style.ha("left"), va="center", annotation_clip=False, zorder=7,
                arrowprops={"arrowstyle": "-", "color": style.TEXT, "linewidth": 0.5,
                            "shrinkA": 2, "shrinkB": 3})
        handles = [Line2D([], [], marker="o", linestyle="", color=c, label=gettext(w))
                   for w, c in SETTING_COLOURS.values()]
        sizes = [n for n in (1, 10, 30) if n <= max(int(deaths["harmed"].max()), 1)]
        handles += [Line2D([], [], marker="o", linestyle="", markerfacecolor="none",
                           markeredgecolor=style.TEXT,
                           markersize=math.sqrt(n * AREA_PER_DEATH * area_scale),
                           label=ngettext("{n} person killed", "{n} people killed", n).format(
                               n=format_number(n))) for n in sizes]
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none",
                              markeredgecolor=style.TEXT,
                              markersize=math.sqrt(MIN_AREA * area_scale),
                              label=gettext("Only attackers killed")))
        if narrow:  # under the map, in two columns
            for handle in handles:
                handle.set_label(style.wrap(fig, handle.get_label(), 1.45, style.SMALL_PT))
            fig.legend(handles=handles, loc=f"upper {style.ha('left')}",
                       bbox_to_anchor=(style.x(0.02), top - map_h - 0.02), ncols=2,
                       fontsize=style.SMALL_PT, frameon=False, labelspacing=0.5,
                       borderpad=0.2, columnspacing=1.0, markerfirst=not style.rtl())
        else:
            fig.legend(handles=handles, loc="lower right" if style.rtl() else "lower left",
                       bbox_to_anchor=(left, bottom), fontsize=style.SMALL_PT, frameon=False,
                       labelspacing=0.55, borderpad=0.2)
    table = deaths[["attack_id", "start_date", "date_precision", "place", "setting",
                    "latitude", "longitude", "security-forces", "civilians", "militants"]]
    by_place = deaths.groupby("place", as_index=False).agg(harmed=("harmed", "sum"),
                                                           n=("attack_id", "size"))
    alt = gettext(
        "Map of Tunisia with {n} attacks from {first} to {last}, each a circle at its place "
        "sized by the people other than attackers it killed; by place: {places}.").format(
        n=format_number(len(deaths)), first=format_day(deaths["start_date"].min()),
        last=format_day(deaths["start_date"].max()),
        places=gettext("; ").join(ngettext("{place}, {n} killed in {k} attack",
                                           "{place}, {n} killed in {k} attacks", r.n).format(
            place=r.place, n=format_number(r.harmed), k=format_number(r.n))
            for r in by_place.sort_values("harmed", ascending=False).itertuples()))
    caption = gettext(
        "Every attack is its own circle, sized by the deaths of security forces and civilians "
        "(a hollow circle: only attackers died); attacks at the same place are spread around "
        "it. Colours give the setting. The deadliest are named beside the map. Coordinates "
        "are the place's own, each from a recorded source; an attack near a town is placed at "
        "the town.")
    return Chart(fig, FigureInfo("aftermath-map", title, caption, source, alt), table, tooltips)


def _place_tooltip(data, harmed, producers, attacks) -> tuple[str, str | None]:
    """A circle's tooltip (each attack there: date, place, people killed; the source of its
    largest counted toll of people harmed, of `harmed`: aftermath.counted_tolls in
    aftermath.HARMED) and that source's web address, its link; `producers` the sources'
    producers by source id."""
    tolls = harmed[harmed["attack_id"].isin(attacks["attack_id"])]
    lines = [ngettext("{date}, {place}: {n} person killed", "{date}, {place}: {n} people killed",
                      row.harmed).format(date=format_date(row.start_date, row.date_precision),
                                         place=row.place, n=format_number(row.harmed))
             for row in attacks[["start_date", "date_precision", "place", "harmed"]]
             .itertuples(index=False)]  # the columns it reads: a row type of 4 fields, not ~30
    if tolls.empty:  # only attackers died: the attack's own source
        source_id = attacks["source_id"].iloc[0]
    else:
        source_id = tolls.sort_values("value", ascending=False,
                                      kind="stable")["source_id"].iloc[0]
    producer = producers.loc[source_id]
    lines.append(gettext("Source: {source}").format(source=publisher(producer)))
    return "\n".join(lines), source_url(data, source_id)
