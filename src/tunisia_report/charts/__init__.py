"""Charts from data: one module per chart, each a function that reads the dataset and returns a
`Chart` (figure, `FigureInfo`, the rows drawn); `base` holds what they share, `style` the house
style, `geo` the geometry for maps. `CHARTS` maps each chart's stable label to its function."""

from tunisia_report.charts.aftermath_deaths import aftermath_deaths
from tunisia_report.charts.aftermath_departures import aftermath_departures
from tunisia_report.charts.aftermath_map import aftermath_map
from tunisia_report.charts.base import Chart, FigureInfo, save, show
from tunisia_report.charts.counter_terrorism import counter_terrorism_2014
from tunisia_report.charts.figure_reports import figure_reports, reported_figures
from tunisia_report.charts.key_figures import key_figures
from tunisia_report.charts.locator_map import locator_map
from tunisia_report.charts.policy_measures import policy_measures
from tunisia_report.charts.timeline import timeline, timeline_table

CHARTS = {
    "key-figures": key_figures,
    "counter-terrorism-2014": counter_terrorism_2014,
    "timeline": timeline,
    "locator-map": locator_map,
    "policy-measures": policy_measures,
    "figure-reports": figure_reports,  # one chart per figure: figure_reports(data, figure_id=...)
    "aftermath-deaths": aftermath_deaths,
    "aftermath-map": aftermath_map,
    "aftermath-departures": aftermath_departures,
}
# The charts that lay themselves out anew within `style.phone()`: the HTML shows that variant
# on a narrow screen (counter-terrorism-2014, in no report, keeps its one layout).
PHONE_VARIANTS = frozenset(CHARTS) - {"counter-terrorism-2014"}

__all__ = ["CHARTS", "PHONE_VARIANTS", "Chart", "FigureInfo", "aftermath_deaths",
           "aftermath_departures", "aftermath_map", "counter_terrorism_2014", "figure_reports",
           "key_figures", "locator_map", "policy_measures", "reported_figures", "save", "show",
           "timeline", "timeline_table"]
