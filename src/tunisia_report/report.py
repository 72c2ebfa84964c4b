"""What the notebooks call to assemble a report: sections, charts and narrative.

Keeps the notebooks thin: a notebook sets its parameters, makes a `Report`, then asks it for
sections, charts and texts, each read from the dataset.
"""

from __future__ import annotations

from pathlib import Path

from tunisia_report import escape
from tunisia_report.paths import DATA_DIR, FIGURES_DIR

SECTIONS = {
    "summary": "Summary of findings",
    "key-figures": "Key figures",
    "casualties": "Casualties and political violence",
    "counter-terrorism": "Counter-terrorism results",
    "measures": "Policy measures",
    "timeline": "Timeline",
    "map": "Where it happened",
    "method": "Data and method",
    "appendix": "Appendix: every figure with its quote",
}


class Report:
    """The dataset plus the choices of one rendering (sections, period, figures folder)."""

    def __init__(self, data_dir: str = "", figures_dir: str = "",
                 sections: list[str] | None = None, period_start: str | None = None,
                 period_end: str | None = None, findings: bool = True):
        from tunisia_report import style
        from tunisia_report.dataset import load

        style.apply()
        self.data = load(Path(data_dir) if data_dir else DATA_DIR)
        self.figures_dir = Path(figures_dir) if figures_dir else FIGURES_DIR
        self.sections = list(SECTIONS) if sections is None else list(sections)
        self.period = {"start": period_start, "end": period_end}
        self.findings = findings
        self.charts: dict[str, object] = {}

    def section(self, key: str, level: int = 2) -> bool:
        """Show the section's heading if the section is included; say whether it is."""
        if key not in self.sections:
            return False
        self.heading(SECTIONS[key], level)
        return True

    def heading(self, title: str, level: int = 2) -> None:
        from tunisia_report.display import show_text

        show_text(f"{'#' * level} {escape.markdown(title)}",
                  f"<h{level}>{escape.html_text(title)}</h{level}>", title)

    def chart(self, key: str, **options) -> None:
        """Draw a chart from the dataset, save it to the figures folder and display it.

        Returns nothing, so a call ending a cell adds no second output; the chart is kept in
        `self.charts`."""
        from tunisia_report import charts

        if key == "timeline":
            options = {**{k: v for k, v in self.period.items() if v}, **options}
        chart = charts.CHARTS[key](self.data, **options)
        charts.save(chart, self.figures_dir)
        charts.show(chart)
        self.charts[key] = chart

    def finding(self, text) -> None:
        """Display the written finding under a chart, unless findings are switched off."""
        if self.findings:
            self.text(text)

    def text(self, template_or_text, **values) -> None:
        """Display narrative: a narrative.Text, or a template filled from the dataset."""
        from tunisia_report import narrative

        if isinstance(template_or_text, str):
            template_or_text = narrative.fill(template_or_text, self.data, **values)
        template_or_text.show()


SUMMARY = [
    "The attack in the Mount Chaambi region killed {fig:chaambi-soldiers-killed} soldiers and "
    "injured {fig:chaambi-soldiers-injured}, the army's deadliest incident since "
    "{fig:chaambi-deadliest-since:words}; the article gives it no date beyond \"recent\".",
    "It came after visible gains. By {fig:departures-prevented:attribution}, "
    "{fig:departures-prevented} jihadists were prevented from leaving for Syria and "
    "{fig:networks-dismantled} recruitment networks dismantled; in "
    "{fig:suspects-killed-feb-2014:date} government forces killed "
    "{fig:suspects-killed-feb-2014} suspected terrorists.",
    "Those gains followed a year of political violence: "
    "{fig:opposition-figures-assassinated:words} "
    "prominent opposition figures were assassinated in "
    "{fig:opposition-figures-assassinated:date}, and a technocratic government put security "
    "first.",
    "The article describes {n_measures} policy measures, from a counter-terrorism centre to border "
    "cooperation with {place:algeria:name} and {place:libya:name}, and argues they will not hold "
    "without American and European support.",
]

READING = (
    "How to read this report. Every figure the article states carries a footnote that quotes "
    "the article's own words; counts of events and measures are this report's, computed from "
    "the dataset. Estimates are labelled as estimates, with who made them. "
    "Dates are never more precise than the article gives them: an event known only to the month "
    "is drawn as the whole month, and events the article does not date are shown as happening "
    "on or before its publication. The section \"Data and method\" says what the article "
    "leaves out."
)

METHOD = [
    "Every figure and dated event in this report comes from one source, "
    "{source:bechri-2014:author}'s article of {source:bechri-2014:date}, curated by hand into "
    "a Frictionless Data Package of {n_tables} tables: {n_figures} figures, {n_events} events, "
    "{n_places} places, {n_actors} actors and {n_measures} measures. Each row quotes the "
    "article verbatim, and every quote is checked against the article's text, whose sha256 is "
    "recorded, before anything is drawn or written.",
    "Estimates. {n_estimates} of the figures are estimates the article attributes to the "
    "Interior Ministry; they are labelled as such in every chart and footnote. The rest are "
    "stated by the author without a source of their own.",
    "What the article does not say. It gives no date for the Mount Chaambi attack (only "
    "\"recent\"), no numbers for {n_qualitative} of the results it reports (drawn here as "
    "words, never as bars), and no breakdown of the Interior Ministry's figures by year or "
    "region. Dates are drawn no more precisely than the article gives them: a month as a "
    "month, a year as a year. The total of killed and injured at Mount Chaambi is a sum this "
    "report computes, labelled as derived.",
]


def summary_text(data):
    """The summary of findings, a short paragraph each, every number from the dataset."""
    from tunisia_report import narrative

    items = [narrative.fill(t, data, n_measures=len(data.measures)) for t in SUMMARY]
    return narrative.join_texts(*items, narrative.fill(READING, data))


def method_text(data):
    """The 'Data and method' section, with counts computed from the dataset."""
    from tunisia_report import narrative

    kinds = data.figures["value_kind"].value_counts()
    counts = {"n_tables": len(data), "n_figures": len(data.figures),
              "n_events": len(data.events), "n_places": len(data.places),
              "n_actors": len(data.actors), "n_measures": len(data.measures),
              "n_estimates": int(kinds.get("estimate", 0)),
              "n_qualitative": int(kinds.get("qualitative", 0))}
    return narrative.join_texts(*(narrative.fill(t, data, **counts) for t in METHOD))
