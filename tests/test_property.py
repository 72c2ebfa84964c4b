"""What `validate` accepts renders: datasets generated within the schema (Hypothesis).

Each generated dataset is the project's, with tables cut to nothing or one row, amounts at the
extremes, any Unicode (control characters included) in text fields and translations left out.
It is either rejected by `validate`, every problem in the `file:line: field` form, or the report
notebook's code runs in each edition (in this process, its outputs collected) with no error and
no empty sentence. A kernel, pandoc and Typst are the render tests' part.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.helpers import read_table, write_table
from tunisia_report.dataset.validate import collect_problems
from tunisia_report.parameters import notebook_parameters
from tunisia_report.paths import DATA_DIR, NOTEBOOKS_DIR
from tunisia_report.text import i18n, narrative

EDITIONS = ("en", "fr", "ar")
PROBLEM = re.compile(r"^\S+\.(csv|json)(:\d+)?: [\w.,\[\]]+: expected .+, got .*$", re.S)
EMPTY_SENTENCE = re.compile(r":\s*\.|\(\s*\)|^\s*$")
# Text: any code point but surrogates (not UTF-8), of any length up to one a cell may hold.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300)


@st.composite
def datasets(draw):
    """Changes to the project's dataset: (table, how) pairs applied by `apply`."""
    return {
        "measures": draw(st.sampled_from(["keep", "empty", "one"])),
        "measure_name": draw(st.one_of(st.none(), TEXT)),
        "event_title": draw(st.one_of(st.none(), TEXT)),
        "value": draw(st.one_of(st.none(), st.sampled_from(
            ["0", "1", "999999999999999", "1000000000000000", str(2 ** 63)]))),
        "drop_translations": draw(st.lists(st.integers(0, 137), max_size=3, unique=True)),
        "reports": draw(st.sampled_from(["keep", "empty"])),
    }


UNCHANGED = {"measures": "keep", "measure_name": None, "event_title": None, "value": None,
             "drop_translations": [], "reports": "keep"}


def apply(changes: dict, data_dir: Path) -> list[str]:
    """Write the changed dataset; return the generated texts (to tell them from ours)."""
    header, rows = read_table(data_dir, "measures")
    if changes["measures"] == "empty":
        rows = []
    elif changes["measures"] == "one":
        rows = rows[:1]
    kept = {row[0] for row in rows}
    texts = []
    if changes["measure_name"] is not None and rows:
        rows[0][header.index("name")] = changes["measure_name"]
        texts.append(changes["measure_name"])
    write_table(data_dir, "measures", header, rows)
    header, rows = read_table(data_dir, "events")
    if changes["event_title"] is not None:
        rows[0][header.index("title")] = changes["event_title"]
        texts.append(changes["event_title"])
    write_table(data_dir, "events", header, rows)
    if changes["value"] is not None:  # a report's: a figure's value must match its words
        header, rows = read_table(data_dir, "reports")
        rows[0][header.index("value")] = changes["value"]
        write_table(data_dir, "reports", header, rows)
    header, rows = read_table(data_dir, "translations")
    rows = [r for i, r in enumerate(rows) if i not in changes["drop_translations"]
            and (r[0] != "measures" or r[1] in kept)]  # none for a measure cut out
    write_table(data_dir, "translations", header, rows)
    if changes["reports"] == "empty":
        header, _ = read_table(data_dir, "reports")
        write_table(data_dir, "reports", header, [])
    return texts


def report_code() -> list[str]:
    """The report notebook's code cells after its parameters cell."""
    nb = json.loads((NOTEBOOKS_DIR / "report.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    return ["".join(c["source"]) for c in cells
            if "parameters" not in c["metadata"].get("tags", [])]


def run_report(data_dir: Path, lang: str, figures: Path, monkeypatch) -> list[dict]:
    """Run the report notebook's code as a kernel would; return what it displayed."""
    import IPython.display
    import matplotlib
    import matplotlib.pyplot as plt


    shown: list[dict] = []
    monkeypatch.setattr(IPython.display, "publish_display_data",
                        lambda data, metadata=None, **kw: shown.append(data))
    namespace = {p.name: p.default for p in notebook_parameters(NOTEBOOKS_DIR / "report.ipynb")}
    namespace.update(lang=lang, data_dir=str(data_dir), figures_dir=str(figures))
    # The report sets the edition, short citations and matplotlib's style for its whole
    # process (a kernel): all are restored here, or the rest of the session would write French
    # numbers and short notes.
    try:
        with i18n.language(i18n.active()), matplotlib.rc_context():
            for source in report_code():
                exec(compile(source, "report.ipynb", "exec"), namespace)  # noqa: S102 - ours
    finally:
        narrative.track_citations(False)
        plt.close("all")
    return shown


@pytest.mark.slow  # draws every chart of an edition per example: about 7 s each
@pytest.mark.parametrize("lang", EDITIONS)  # one test per edition: xdist spreads them
@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=datasets())
@example(changes={**UNCHANGED, "measures": "empty", "reports": "empty"})  # the two empty tables
@example(changes={**UNCHANGED, "measures": "one", "value": "999999999999999",
                  "measure_name": "\u202e" + "ﷺ" * 300})  # extremes of size; a bidi override
@example(changes={**UNCHANGED, "event_title": "\x00\x1b[31m", "drop_translations": [137]})
def test_what_validate_accepts_renders_in_every_edition(changes, lang, tmp_path_factory,
                                                        monkeypatch):
    data_dir = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(DATA_DIR, data_dir)
    texts = apply(changes, data_dir)
    problems = collect_problems(data_dir)
    if problems:
        assert all(PROBLEM.match(str(p)) for p in problems), [str(p) for p in problems]
        return
    shown = run_report(data_dir, lang, tmp_path_factory.mktemp("figures"), monkeypatch)
    assert i18n.active() == "en" and narrative._tracker is None  # nothing leaks
    texts_shown = [d["text/plain"] for d in shown if "text/html" in d]
    assert texts_shown, lang
    for text in texts_shown:
        ours = text
        for generated in texts:
            ours = ours.replace(generated, "X")
        assert not EMPTY_SENTENCE.search(ours), (lang, text[:300])


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=datasets())
def test_validate_rejects_with_file_line_and_field(changes, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(DATA_DIR, data_dir)
    apply(changes, data_dir)
    for problem in collect_problems(data_dir):
        assert PROBLEM.match(str(problem)), str(problem)
