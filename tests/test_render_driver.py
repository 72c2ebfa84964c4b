"""The render's driver, without a kernel: in which order a pool of workers takes the tasks of
`--all-variants`, and the downloads two editions of one language share."""

from __future__ import annotations

from tunisia_report.render.plan import Options, plan
from tunisia_report.render.run import Renderer, longest_first
from tunisia_report.render.task import run_downloads
from tunisia_report.render.variants import variant_names


def all_variants(tmp_path):
    """The tasks of `render --all-variants --force` into `tmp_path`, in the plan's order."""
    options = Options(variants=variant_names(), output_dir=tmp_path, force=True, jobs=2)
    renderer = Renderer(options, reporter=None)
    tasks = []
    for job in plan(options):
        stage = tmp_path / f"stage-{job.name}"
        stage.mkdir()
        tasks += renderer.tasks_for(job, stage)
    return tasks


def test_the_full_reports_go_first_then_the_brief_then_the_analysis_notebooks(tmp_path):
    order = [(t.job, t.source.name) for t in sorted(all_variants(tmp_path), key=longest_first)]
    assert order[:3] == [("report", "report.ipynb"), ("ar", "report.ipynb"),
                         ("fr", "report.ipynb")]
    assert order[3] == ("brief", "report.ipynb")
    assert {name for _, name in order[4:]} == {"00_dataset.ipynb", "01_casualties.ipynb",
                                               "02_counter_terrorism.ipynb",
                                               "03_timeline_map.ipynb"}


def test_an_edition_in_a_language_already_written_copies_its_downloads(tmp_path):
    """The brief (English, the project's data) gets the English report's files, byte for
    byte, without judging the claims again; the French report writes its own."""
    reports = {t.job: t for t in all_variants(tmp_path) if t.source.name == "report.ipynb"}
    made: dict = {}
    written = {job: {p.name: p.read_bytes() for p in run_downloads(reports[job], made=made)}
               for job in ("report", "brief", "fr")}
    assert len(made) == 2  # (data, "en") and (data, "fr")
    assert set(written["brief"]) == {"claims.csv", "data.zip", "sources.bib", "sources.json",
                                     "sources.ris"}
    assert written["brief"] == written["report"]
    assert written["fr"]["claims.csv"] != written["report"]["claims.csv"]
    assert written["fr"]["data.zip"] == written["report"]["data.zip"]
