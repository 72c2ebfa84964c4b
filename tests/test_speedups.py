"""The speed-ups change no byte: a render with the kernel pool and the chart store writes the same
notebooks, HTML, PDF, Word, PNG and SVG as one without them, and a chart read back from a warm
store is what a cold store and no store draw."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import render_digests
from tunisia_report.charts import store
from tunisia_report.store import SWITCH

pytestmark = pytest.mark.slow


def test_outputs_are_byte_identical_with_and_without_the_speedups(report_render,
                                                                  editions_render):
    """`report_render` ran with neither; `editions_render`'s English report with the pool and
    the run's chart store, where each chart was drawn by that render or read back from another
    process of the run (the folder's own path, which the notebooks record, read as one
    name)."""
    plain = render_digests(report_render)
    stored = render_digests(editions_render / "report")
    assert {"report.html", "report.pdf", "report.docx", "report.ipynb",
            "figures/timeline.svg"} <= set(plain)
    assert stored == plain


@pytest.mark.parametrize("key", ["timeline", "key-figures"])
def test_a_chart_from_a_warm_store_is_the_chart_drawn(key, tmp_path, monkeypatch):
    from tunisia_report.charts import base
    from tunisia_report.report.builder import Report

    def draw(setting: str) -> tuple[dict, list]:
        monkeypatch.setenv(SWITCH, setting)
        shown: list = []
        monkeypatch.setattr(base, "publish", shown.append)
        out = tmp_path / "figures"
        Report(figures_dir=str(out)).chart(key)
        files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
        shutil.rmtree(out)
        return files, shown

    plain = draw("off")
    folder = str(tmp_path / "chart-store")
    cold = draw(folder)
    assert list((tmp_path / "chart-store").glob("*.pickle"))  # the cold call stored its entry
    warm = draw(folder)
    assert plain[0] and {f"{key}.png", f"{key}.svg"} <= set(plain[0])
    assert cold == plain
    assert warm == plain


def test_the_chart_store_key_changes_with_each_input(monkeypatch, tmp_path):
    from tunisia_report.paths import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    base = store.key("timeline", {"start": "2013-01-01"}, data, "en")
    assert store.key("timeline", {"start": "2013-01-01"}, data, "en") == base
    assert store.key("timeline", {"start": "2013-02-01"}, data, "en") != base
    assert store.key("key-figures", {"start": "2013-01-01"}, data, "en") != base
    assert store.key("timeline", {"start": "2013-01-01"}, data, "fr") != base
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1406073600")
    assert store.key("timeline", {"start": "2013-01-01"}, data, "en") != base
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    read = store.tables_key(base, data, ["figures", "events"])
    assert store.tables_key(base, data, ["events", "figures"]) == read
    assert store.tables_key(base, data, ["figures"]) != read
    (data / "measures.csv").write_text((data / "measures.csv").read_text() + "\n")
    assert store.tables_key(base, data, ["figures", "events"]) == read  # a table not read
    (data / "figures.csv").write_text((data / "figures.csv").read_text() + "\n")
    assert store.tables_key(base, data, ["figures", "events"]) != read
    (data / "datapackage.json").write_text((data / "datapackage.json").read_text() + "\n")
    assert store.key("timeline", {"start": "2013-01-01"}, data, "en") != base


def test_a_chart_is_drawn_again_when_a_table_it_read_changes_and_only_then(tmp_path,
                                                                         monkeypatch):
    """The store keys a chart by the tables it read (`dataset.tables.reading`): the French
    aftermath-departures chart reads the departures, the sources and the translations. An
    edit to the measures finds its entry; an edit to the departures or to a translation
    draws it again, and what is drawn is what a store-less call draws."""
    from tunisia_report.dataset.tables import reading
    from tunisia_report.paths import DATA_DIR
    from tunisia_report.report.builder import Report

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    monkeypatch.setenv(SWITCH, str(tmp_path / "chart-store"))
    drawn = []
    monkeypatch.setattr(store, "keep", lambda *args, keep=store.keep: (drawn.append(args[2]),
                                                                        keep(*args)))

    def files(setting: str | None = None) -> dict:
        if setting:
            monkeypatch.setenv(SWITCH, setting)
        report = Report(data_dir=str(data), lang="fr", figures_dir=str(tmp_path / "f"))
        return report.drawn("aftermath-departures")["files"]

    first = files()
    assert drawn == [{"departures", "sources", "translations"}]
    with reading() as read:
        Report(data_dir=str(data), lang="fr").data["departures"]
    assert read == {"departures", "translations"}  # an edition's table is also its translations

    def requote(table: str) -> None:
        """The first row's id in quotes: the same rows, other bytes."""
        path = data / f"{table}.csv"
        header, row, rest = path.read_text(encoding="utf-8").split("\n", 2)
        first = row.split(",", 1)[0]
        assert not first.startswith('"')
        path.write_text(f'{header}\n"{first}"{row[len(first):]}\n{rest}', encoding="utf-8")

    requote("measures")
    assert files() == first and len(drawn) == 1
    requote("departures")
    assert files() == first and len(drawn) == 2
    requote("translations")
    assert files() == first and len(drawn) == 3
    assert files("off") == first


def test_the_reports_charts_drawn_ahead_are_those_its_kernel_reads(tmp_path, monkeypatch):
    """`ahead.draw_ahead` (an idle worker, during a render) stores what the report's own
    `rep.chart` then reads, under the same key: the cell's defaults, then the parameters given;
    it stops once the report's run has ended."""
    from tunisia_report import charts
    from tunisia_report.charts import base
    from tunisia_report.parameters import notebook_parameters
    from tunisia_report.paths import NOTEBOOKS_DIR
    from tunisia_report.render.ahead import chart_calls, draw_ahead
    from tunisia_report.report.builder import Report

    notebook = NOTEBOOKS_DIR / "report.ipynb"
    assert ("aftermath", "aftermath-map", {}) in chart_calls(notebook)
    monkeypatch.setenv(SWITCH, str(tmp_path / "store"))
    ended = tmp_path / "report.ipynb"
    assert draw_ahead(notebook, {"sections": ["timeline"]}, ended) == 1

    def never(*args, **kwargs):
        raise AssertionError("drawn again")

    monkeypatch.setitem(charts.CHARTS, "timeline", never)
    monkeypatch.setattr(base, "publish", lambda bundle: None)
    cell = {p.name: p.default for p in notebook_parameters(notebook)}
    Report(figures_dir=str(tmp_path / "figures"), sections=["timeline"],
           period_start=cell["period_start"], period_end=cell["period_end"]).chart("timeline")
    assert (tmp_path / "figures" / "timeline.svg").is_file()
    ended.touch()
    assert draw_ahead(notebook, {}, ended) == 0


def test_only_a_notebook_that_uses_the_package_gets_its_kernel_warmed_up(tmp_path):
    """The kernel started while the driver validates imports the stack (`WARM_UP`) for the
    project's notebooks, not for one that never names the package (a fixture, an analyst's
    own), which it would only delay; a notebook that cannot be read is warmed as before."""
    from tunisia_report.paths import NOTEBOOKS_DIR, ROOT
    from tunisia_report.render.kernels import uses_the_package

    assert all(uses_the_package(p) for p in NOTEBOOKS_DIR.glob("*.ipynb"))
    assert not uses_the_package(ROOT / "tests" / "fixtures" / "render" / "passes.ipynb")
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    assert uses_the_package(broken)
