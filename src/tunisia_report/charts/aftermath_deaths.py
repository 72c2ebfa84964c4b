"""Deaths in attacks after the article, by year: the victims (security forces and civilians)
stacked by the setting where they died; the militants killed drawn apart, below."""

from __future__ import annotations

from tunisia_report.charts import style
from tunisia_report.charts.base import Chart, FigureInfo, publication_date, rect, ticks
from tunisia_report.dataset import aftermath
from tunisia_report.exceptions import DataError
from tunisia_report.text.dates import format_day
from tunisia_report.text.formatting import format_number, publisher, word_list
from tunisia_report.text.i18n import N_, gettext, ngettext

CATEGORIES = {"security-forces": (N_("Security forces"), style.PALETTE["blue"]),
              "civilians": (N_("Civilians"), style.PALETTE["vermillion"]),
              "militants": (N_("Militants"), style.PALETTE["grey"])}


def category_words(category: str) -> str:
    return gettext(CATEGORIES[category][0])


def record_source_line(data, source_ids) -> str:
    """'Sources: Reuters, Xinhua, AFP and 9 more (see “What happened next”)'."""
    sources = data.sources.set_index("source_id")
    names = list(dict.fromkeys(publisher(sources.loc[s, "producer"]).split(" (")[0]
                               for s in source_ids))
    shown = names[:3]
    if len(names) > len(shown):
        return gettext("Sources: {names} and {n} more").format(
            names=gettext(", ").join(shown), n=format_number(len(names) - len(shown)))
    return gettext("Sources: {names}").format(names=word_list(shown))


SETTING_COLOURS = {"city": (N_("City"), style.PALETTE["purple"]),
                   "town": (N_("Town"), style.PALETTE["orange"]),
                   "remote": (N_("Mountains, forest or desert"), style.PALETTE["green"]),
                   "border-remote": (N_("Mountains or desert near a border"),
                                     style.PALETTE["blue"])}


def setting_words(setting: str) -> str:
    return gettext(SETTING_COLOURS[setting][0])


def aftermath_deaths(data) -> Chart:
    """Each year's victims of attacks after the article (security forces and civilians),
    stacked by setting; below, on its own axis, the militants killed. The attackers are never
    stacked among their victims."""
    deaths = aftermath.attack_deaths(data)
    deaths = deaths[deaths["after"]]
    if deaths.empty:
        raise DataError("no attacks after the article in attacks.csv")
    deaths = deaths.assign(year=deaths["start_date"].dt.year)
    years = list(range(aftermath.publication(data).year, aftermath.CENSUS_END + 1))
    victims = deaths.pivot_table(index="year", columns="setting", values="harmed",
                                 aggfunc="sum", observed=False).reindex(
        index=years, columns=list(SETTING_COLOURS)).fillna(0).astype(int)
    militants = deaths.groupby("year")["militants"].sum().reindex(years).fillna(0).astype(int)
    published = publication_date(data)
    title = gettext("Killed in attacks in Tunisia after the article, by year")
    chosen = aftermath.counted_tolls(data)
    chosen = chosen[chosen["attack_id"].isin(deaths["attack_id"])]
    source = record_source_line(data, chosen["source_id"])
    tooltips = {}
    with style.context():
        fig = style.new_figure(style.HEIGHT_TALL_IN)
        bottom, top = style.frame(fig, title, source)
        span = top - bottom - 0.12
        narrow = style.narrow()  # a phone's: wider margin for the axis, every other year
        left = 0.14 if narrow else 0.1
        ax = fig.add_axes((left, bottom + 0.06 + span * 0.36, 0.96 - left, span * 0.6))
        low = fig.add_axes((left, bottom + 0.06, 0.96 - left, span * 0.25), sharex=ax)
        for year in years:
            base = 0
            for setting, (_, colour) in SETTING_COLOURS.items():
                value = int(victims.loc[year, setting])
                if value:
                    gid = f"victims-{year}-{setting}"
                    ax.add_patch(rect((year - 0.4, base), 0.8, value, colour, edge="white",
                                      linewidth=0.4, zorder=2, gid=gid))
                    tooltips[gid] = [ngettext("{year}, {setting}: {n} person killed",
                                              "{year}, {setting}: {n} people killed",
                                              value).format(
                        year=year, setting=setting_words(setting), n=format_number(value))]
                base += value
            value = int(militants.loc[year])
            if value:
                gid = f"militants-{year}"
                low.add_patch(rect((year - 0.4, 0), 0.8, value, style.PALETTE["grey"],
                                   zorder=2, gid=gid))
                tooltips[gid] = [ngettext("{year}: {n} militant killed",
                                          "{year}: {n} militants killed", value).format(
                    year=year, n=format_number(value))]
        ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
        ax.set_ylim(0, max(int(victims.sum(axis=1).max()), 1) * 1.15)
        low.set_ylim(0, max(int(militants.max()), 1) * 1.15)
        for axis in (ax, low):
            axis.yaxis.set_major_locator(ticks())
            axis.tick_params(labelsize=style.SMALL_PT)
        ax.set_xticks(years)
        ax.tick_params(labelbottom=False)
        low.set_xticks(years)
        low.set_xticklabels([str(y) if not narrow or (y - years[0]) % 2 == 0 else ""
                             for y in years])
        ax.set_ylabel(gettext("Security forces and civilians"), fontsize=style.SMALL_PT)
        low.set_ylabel(gettext("Militants"), fontsize=style.SMALL_PT)
        ax.annotate(gettext("{year}: from the article, {date}").format(
            year=published.year, date=format_day(published)),
            (1 if style.rtl() else 0, 1.02), xycoords="axes fraction",
            fontsize=style.SMALL_PT, color=style.TEXT, ha=style.ha("left"), va="bottom")
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=c, label=gettext(w))
                           for w, c in SETTING_COLOURS.values()],
                  fontsize=style.SMALL_PT, frameon=False,
                  loc="upper right")  # the years run left to right in every edition
    table = victims.assign(militants=militants).reset_index()
    totals = deaths[["security-forces", "civilians", "militants"]].sum()
    worst = victims.sum(axis=1)
    alt = gettext(
        "Bars of the people killed in attacks in Tunisia each year from {first} to {last}, "
        "after the article of {date}, by where they died, with the militants killed drawn "
        "apart below. In {n} attacks: {security} security forces, {civilians} civilians and "
        "{militants} militants; the deadliest year, {worst}, counted {worst_n} security forces "
        "and civilians.").format(
        first=years[0], last=years[-1], date=format_day(published),
        security=format_number(int(totals["security-forces"])),
        civilians=format_number(int(totals["civilians"])),
        militants=format_number(int(totals["militants"])), n=format_number(len(deaths)),
        worst=int(worst.idxmax()), worst_n=format_number(int(worst.max())))
    caption = gettext(
        "The census of attacks from the article's publication to the end of {end}: every attack "
        "that killed anyone and every clash in which security forces killed militants. The "
        "first year counts from the article's date. Where sources disagree, the latest count by "
        "an independent source is used; every source's toll is in the dataset. Militants "
        "killed, most of them by the security forces, are drawn apart, never among their "
        "victims.").format(end=aftermath.CENSUS_END)
    info = FigureInfo("aftermath-deaths", title, caption, source, alt)
    return Chart(fig, info, table, tooltips)
