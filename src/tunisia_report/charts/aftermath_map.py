"""Where attacks struck after the article: the locator map's countries, places sized by deaths."""

from __future__ import annotations

import math

from tunisia_report.charts import style
from tunisia_report.charts.aftermath_deaths import record_source_line
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


def aftermath_map(data) -> Chart:
    """Each attack after the article (and the one the article opens with) at its place, its
    circle's area proportional to the deaths other than the attackers'."""
    from matplotlib.collections import LineCollection

    deaths = aftermath.attack_deaths(data)
    if deaths.empty:
        raise DataError("no attacks in attacks.csv")
    countries = read_countries(GEOJSON)
    x0, x1, y0, y1 = EXTENT
    mid_lat = (y0 + y1) / 2
    title = gettext("Where attacks struck, sized by the people they killed")
    tolls = aftermath.counted_tolls(data)
    source = record_source_line(data, tolls["source_id"])
    by_place = deaths.groupby(["latitude", "longitude"], as_index=False).agg(
        harmed=("harmed", "sum"), place=("place", "first"), n=("attack_id", "size"),
        setting=("setting", "first"))
    with style.context():
        fig = style.new_figure(style.HEIGHT_MEDIUM_IN)
        bottom, top = style.frame(fig, title, source)
        map_h = top - bottom - 0.04
        map_w = map_h * fig.get_figheight() * (x1 - x0) * math.cos(math.radians(mid_lat)) \
            / (y1 - y0) / style.FIG_WIDTH_IN
        ax = fig.add_axes((style.x(0.05, map_w), bottom + 0.02, map_w, map_h))
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
        colours = {"city": style.PALETTE["purple"], "border-area": style.PALETTE["orange"]}
        labelled: list[tuple[float, float]] = []
        tooltips = {}
        for i, row in enumerate(by_place.sort_values("latitude", ascending=False).itertuples()):
            area = max(row.harmed, 1) * AREA_PER_DEATH
            circle = ax.scatter(row.longitude, row.latitude, s=area,
                                color=colours[row.setting], alpha=0.75, edgecolor="white",
                                linewidth=0.8, zorder=5, gid=f"attacks-{i}")
            here = deaths[(deaths["latitude"] == row.latitude)
                          & (deaths["longitude"] == row.longitude)]
            text, url = _place_tooltip(data, tolls, here)
            circle.set_urls([url])
            tooltips[f"attacks-{i}"] = [text]
            label = gettext("{place}: {n}").format(place=row.place.split(" (")[0],
                                                    n=format_number(row.harmed))
            near = sum(abs(row.latitude - a) < 0.35 and abs(row.longitude - b) < 0.6
                       for a, b in labelled)  # a neighbour's label: go below it
            labelled.append((row.latitude, row.longitude))
            ax.annotate(label, (row.longitude, row.latitude),
                        xytext=(math.sqrt(area) / 2 + 3, -11 * near),
                        textcoords="offset points", fontsize=style.SMALL_PT, color=style.TEXT,
                        va="center", ha="left", zorder=6)
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], marker="o", linestyle="", color=colours["city"],
                          label=gettext("City")),
                   Line2D([], [], marker="o", linestyle="", color=colours["border-area"],
                          label=gettext("Near the Algerian or Libyan border"))]
        ax.legend(handles=handles, loc="lower right", fontsize=style.SMALL_PT, frameon=True,
                  framealpha=0.9, edgecolor="none")
        # Beside the map, each attack in date order: what a circle summed by place hides.
        left = style.x(0.05 + map_w + 0.04)
        lines = [(gettext("Attacks, in date order"), {"fontweight": "bold"})]
        for row in deaths.itertuples():
            lines.append((gettext("{date}, {place}: {n}").format(
                date=format_day(row.start_date), place=row.place.split(" (")[0],
                n=format_number(row.harmed)),
                {}))
        for i, (text, props) in enumerate(lines):
            fig.text(left, top - 0.04 - i * 0.055, text, fontsize=style.SMALL_PT,
                     color=style.TEXT, ha=style.ha("left"), va="top", **props)
    table = by_place
    alt = gettext(
        "Map of Tunisia with {n} places where attacks struck from {first} to {last}, each circle "
        "sized by the people other than attackers killed there: {places}.").format(
        n=format_number(len(by_place)), first=format_day(deaths["start_date"].min()),
        last=format_day(deaths["start_date"].max()),
        places=gettext("; ").join(ngettext("{place}, {n} killed in {k} attack",
                                           "{place}, {n} killed in {k} attacks", r.n).format(
            place=r.place, n=format_number(r.harmed), k=format_number(r.n))
            for r in by_place.sort_values("harmed", ascending=False).itertuples()))
    caption = gettext(
        "Circles sized by the deaths of security forces and civilians, summed by place. "
        "Coordinates are the place's own, each from a recorded source; "
        "an attack near a town is placed at the town.")
    return Chart(fig, FigureInfo("aftermath-map", title, caption, source, alt), table, tooltips)


def _place_tooltip(data, tolls, attacks) -> tuple[str, str | None]:
    """A circle's tooltip (each attack there: date, place, people killed; the source of its
    largest counted toll, of `tolls`: aftermath.counted_tolls) and that source's web address,
    its link."""
    tolls = tolls[tolls["attack_id"].isin(attacks["attack_id"])
                  & tolls["category"].isin(aftermath.HARMED)]
    lines = [ngettext("{date}, {place}: {n} person killed", "{date}, {place}: {n} people killed",
                      row.harmed).format(date=format_date(row.start_date, row.date_precision),
                                         place=row.place, n=format_number(row.harmed))
             for row in attacks.itertuples()]
    if tolls.empty:
        return "\n".join(lines), None
    source_id = tolls.sort_values("value", ascending=False, kind="stable")["source_id"].iloc[0]
    producer = data.sources.set_index("source_id").loc[source_id, "producer"]
    lines.append(gettext("Source: {source}").format(source=publisher(producer)))
    return "\n".join(lines), source_url(data, source_id)
