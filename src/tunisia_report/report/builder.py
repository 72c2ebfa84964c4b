"""`Report`: what the notebooks call to assemble a report from sections, charts and narrative.

Keeps the notebooks thin: a notebook sets its parameters, makes a `Report`, then asks it for
sections, charts and texts, each read from the dataset.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from tunisia_report.exceptions import DataError
from tunisia_report.paths import DATA_DIR, INTERACTIVE_FIGURES_DIR
from tunisia_report.report.sections import LEFT_OUT, SECTIONS
from tunisia_report.text.citations import DEFAULT_STYLE
from tunisia_report.text.i18n import gettext


class Report:
    """The dataset plus the choices of one rendering (sections, period, figures folder) and its
    edition (`lang`): the dataset as that language shows it, and every text in it."""

    def __init__(self, *, data_dir: str = "", figures_dir: str = "",
                 sections: list[str] | None = None, period_start: str | None = None,
                 period_end: str | None = None, findings: bool = True, lang: str = "en",
                 citation_style: str = DEFAULT_STYLE):
        from tunisia_report.charts import style
        from tunisia_report.dataset import load
        from tunisia_report.text import i18n, narrative

        i18n.activate(lang)  # every text and chart of this kernel is written in this edition
        # Notes cite a source in full once, then in short, in the CSL style asked for.
        narrative.track_citations(style=citation_style)
        style.apply()
        self.lang = lang
        self.data = load(Path(data_dir) if data_dir else DATA_DIR).localized(lang)
        # A render names the folder; a run in JupyterLab or plain papermill writes its edition's
        # scratch folder, never over the published charts.
        self.figures_dir = Path(figures_dir) if figures_dir else INTERACTIVE_FIGURES_DIR / lang
        self.sections = list(SECTIONS) if sections is None else list(sections)
        self.period = {"start": period_start, "end": period_end}
        self.findings = findings
        self.charts: dict[str, object] = {}

    def section(self, key: str) -> bool:
        """Whether the section is rendered. Its heading is the Markdown cell tagged
        `section:KEY` above the call, which the exporters drop with a left-out section."""
        if key not in SECTIONS:
            from tunisia_report.exceptions import UsageError

            raise UsageError(f"unknown section {key!r}; sections: {', '.join(SECTIONS)}")
        return key in self.sections

    def chart(self, key: str, **options) -> None:
        """Draw a chart from the dataset, save it to the figures folder and display it.

        Returns nothing, so a call ending a cell adds no second output; the chart is kept in
        `self.charts` (its figure None: what it drew may come from `charts.store`)."""
        from tunisia_report import charts
        from tunisia_report.charts import base

        try:
            entry = self.drawn(key, **options)
        except DataError as exc:  # valid data without what this chart shows: say so
            self._left_out(gettext("The chart “{key}” is left out: {reason}.").format(
                key=key, reason=exc))
            return None
        info = entry["info"]
        base.write_files(info.label, entry["files"], self.figures_dir)
        base.publish(entry["display"])
        self.charts[info.label] = charts.Chart(None, info, entry["table"])

    def drawn(self, key: str, **options) -> dict:
        """What `chart` shows, from `charts.store` (drawn into it first if it is not there, or
        waited for if another process is drawing it): the chart's files, display bundle,
        `FigureInfo` and table. A DataError if this dataset cannot show the chart."""
        from tunisia_report import charts
        from tunisia_report.charts import base, store, style
        from tunisia_report.dataset import tables
        from tunisia_report.store import computing

        if key == "timeline":
            options = {**{k: v for k, v in self.period.items() if v}, **options}
        data_dir = self.data.data_dir
        chart_key = store.key(key, options, data_dir, self.lang)
        with computing(chart_key, lambda: store.find(chart_key, data_dir)) as entry:
            if entry is None:
                with tables.reading() as read:  # the tables the entry is keyed by
                    chart = charts.CHARTS[key](self.data, **options)
                    phone = None
                    if key in charts.PHONE_VARIANTS:  # the HTML's variant for a narrow screen
                        with style.phone():
                            phone = charts.CHARTS[key](self.data, **options)
                entry = {"info": chart.info, "table": chart.table, "files": base.files(chart),
                         "display": base.display_bundle(chart, phone)}
                store.keep(chart_key, data_dir, read, entry)
        return entry

    def ref(self, spec: str, note: bool = True):
        """A value for a Markdown cell's inline expression, ``{eval}`ref("fig:ID")```: a field
        of a dataset row or a computed value (`report.inline`); the notebook binds
        ``ref = rep.ref``. With `note` false a figure's value carries no note (a passage that
        cites its source once, as the summary does)."""
        from tunisia_report.report import content, inline

        return inline.resolve(self.data, spec, content.VALUES, note=note)

    def finding(self, text) -> None:
        """Display the written finding under a chart, unless findings are switched off."""
        if self.findings:
            self.text(text)

    def text(self, text, **values) -> None:
        """Display narrative: a narrative.Text, a template filled from the dataset, or a function
        of the dataset returning a Text or None (``content.summary_bottom_line``; None shows
        nothing).
        Valid data that lacks what the text needs gets a sentence saying so instead."""
        from tunisia_report.text import narrative

        try:
            if isinstance(text, str):
                text = narrative.fill(text, self.data, **values)
            elif callable(text):  # one that names `sections` is told which are rendered
                wants = "sections" in inspect.signature(text).parameters
                text = text(self.data, sections=self.sections) if wants else text(self.data)
        except DataError as exc:
            self._left_out(gettext(LEFT_OUT).format(reason=exc))
            return
        if text is not None:
            text.show()

    def _left_out(self, sentence: str) -> None:
        """Say in the report what could not be drawn or written from this dataset."""
        from tunisia_report.display import show_text
        from tunisia_report.text import escape

        show_text(escape.markdown(sentence), f"<p>{escape.html_text(sentence)}</p>", sentence)
