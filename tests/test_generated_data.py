"""No valid dataset crashes a render: generated datasets with zero, one and many rows per table
either render (a sentence standing in for what cannot be drawn) or are rejected by validation."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from tests.helpers import PYTHON, read_table, write_table
from tunisia_report.dataset.validate import collect_problems
from tunisia_report.paths import DATA_DIR, NOTEBOOKS_DIR

# One worker runs the module: its renders are made once (see `renders`).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("generated-data")]


def keep(table: str, count: int):
    """Keep the first `count` rows of a table."""
    def edit(data: Path):
        header, rows = read_table(data, table)
        write_table(data, table, header, rows[:count])
    return edit


def keep_ids(table: str, *ids: str):
    """Keep only the rows with these ids (the first column)."""
    def edit(data: Path):
        header, rows = read_table(data, table)
        write_table(data, table, header, [row for row in rows if row[0] in ids])
    return edit


def repeat(table: str, times: int):
    """Every row `times` times, each further copy with its own id (the first column) and the
    translations of the row it copies (the editions show every row)."""
    def edit(data: Path):
        header, rows = read_table(data, table)
        copies = [[f"{row[0]}-{n}" if n else row[0], *row[1:]] for n in range(times)
                  for row in rows]
        write_table(data, table, header, copies)
        header, rows = read_table(data, "translations")
        copied = [[r[0], f"{r[1]}-{n}" if n else r[1], *r[2:]] for n in range(times)
                  for r in rows if r[0] == table]
        write_table(data, "translations", header, [r for r in rows if r[0] != table] + copied)
    return edit


def cascade(edit):
    """The edit, then every row that refers to a row it removed goes too (foreign keys of
    datapackage.json, and translations of removed rows), as a curator removing rows would."""
    def edited(data: Path):
        edit(data)
        descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
        keys = {r["name"]: r["schema"].get("primaryKey") for r in descriptor["resources"]}
        changed = True
        while changed:
            changed = False
            ids = {name: {row[0] for row in read_table(data, name)[1]}
                   for name, key in keys.items() if isinstance(key, list) and len(key) == 1}
            for resource in descriptor["resources"]:
                name = resource["name"]
                header, rows = read_table(data, name)
                checks = [(header.index(fk["fields"][0]), ids[fk["reference"]["resource"]])
                          for fk in resource["schema"].get("foreignKeys") or []]
                if name in ("translations", "corroborations"):  # (resource, row id)
                    kept = [r for r in rows if r[1] in ids.get(r[0], {r[1]})]
                elif name == "claims":  # a claim is about a figure or an event
                    kept = [r for r in rows if r[0] in ids["figures"] | ids["events"]]
                else:
                    kept = [r for r in rows if all(not r[i] or r[i] in known
                                                   for i, known in checks)]
                if len(kept) != len(rows):
                    write_table(data, name, header, kept)
                    changed = True
    return edited


# Each edit, with the rows that referred to what it removed (valid data that must render), and
# the first also as it leaves the references dangling (invalid: rejected before any kernel).
DATASETS = {
    "no-figures": cascade(keep("figures", 0)),
    "one-figure": cascade(keep("figures", 1)),
    "many-figures": repeat("figures", 20),
    "no-measures": cascade(keep("measures", 0)),
    "one-event": cascade(keep_ids("events", "article-published")),  # no event to the month
    "no-figures-dangling": keep("figures", 0),
}
INVALID = {"no-figures-dangling"}


def render(data_dirs: dict[str, Path], out: Path, formats: str) -> subprocess.CompletedProcess:
    """`render --notebook report.ipynb` of every section, once for each data folder: one
    variant per folder (its `data_dir`), all in one render, so one process and its kernel pool
    serve them all (a kernel started, and its imports made, once instead of once a case;
    `--jobs 1`: a second worker would start a second kernel)."""
    variants = out.parent / f"{out.name}-variants"
    variants.mkdir()
    for name, data in data_dirs.items():
        (variants / f"{name}.yaml").write_text(json.dumps(
            {"description": name, "parameters": {"data_dir": str(data)}}), encoding="utf-8")
    return subprocess.run(
        [PYTHON, "-m", "tunisia_report", "render", "--notebook",
         str(NOTEBOOKS_DIR / "report.ipynb"), "--output-dir", str(out), "--formats", formats,
         "--variants-dir", str(variants), "--all-variants", "--jobs", "1"],
        capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    """Every case's data (made once, read-only to the tests), and the renders: the valid cases
    in one render (every section; only the formats the checks read, the PDF for `no-figures`
    alone), each invalid case on its own (rejected before any kernel starts)."""
    root = tmp_path_factory.mktemp("generated")
    cases = {}
    for case, edit in DATASETS.items():
        data = root / case / "data"
        shutil.copytree(DATA_DIR, data)
        edit(data)
        cases[case] = data
    problems = {case: collect_problems(data) for case, data in cases.items()}
    valid = {case: data for case, data in cases.items() if not problems[case]}
    runs = {}
    for formats, names in (("html,pdf", {"no-figures"}), ("html", set(valid) - {"no-figures"})):
        group = {name: valid[name] for name in sorted(names & set(valid))}
        if group:
            proc = render(group, root / formats, formats)
            runs.update({name: (proc, root / formats / name) for name in group})
    for case in set(cases) - set(valid):
        proc = render({case: cases[case]}, root / case / "out", "html")
        runs[case] = (proc, root / case / "out" / case)
    return {case: (cases[case], problems[case], *runs[case]) for case in cases}


@pytest.mark.parametrize("case", sorted(DATASETS))
def test_generated_dataset_renders_or_is_rejected(renders, case):
    data, problems, proc, out = renders[case]
    # An edit meant to leave valid data does (or every case would be rejected, checking nothing)
    valid = not problems
    assert valid == (case not in INVALID), problems[:5]
    assert "Traceback" not in proc.stderr
    if not valid:
        assert proc.returncode == 1 and "nothing was rendered" in proc.stderr, proc.stderr
        return
    assert proc.returncode == 0, proc.stderr[-3000:]
    html = (out / "report.html").read_text(encoding="utf-8")
    if case == "no-figures":
        pdf = pypdf.PdfReader(out / "report.pdf")
        text = "".join(p.extract_text() for p in pdf.pages)
        assert "is left out: no figures with a number in figures.csv" in " ".join(text.split())
        assert "is left out" in html
    if case == "many-figures":
        assert re.search(r"The first 12 are shown, and \d+ more are in the appendix\.", html)
    written = " ".join(BeautifulSoup(html, "html.parser").get_text().split())
    assert "{eval}" not in written and "None" not in written
    # The timeline's finding counts what the dataset dates; a busiest month only if it has one.
    events = read_table(data, "events")[1]
    n = len(events)
    assert f"The article dates {n} event{'s' if n != 1 else ''}: " in written
    if not any(row[5] == "month" for row in events):
        assert "busiest month" not in written
    else:
        assert re.search(r"\w+ \d{4} is the busiest month, with \d+ events?: “", written)
    if case == "one-event":  # the article's own dateline, to the day
        assert "The article dates 1 event: 1 to the day, 0 only to the month and 0 only to the " \
               "year; 0 carry no date at all" in written
    # The written findings: filled from the data, or said to be left out.
    # (a note's mark is at the clause's end, never on a number)
    casualties = re.compile(r"The attack in the Mount Chaambi region left 14 soldiers dead and "
                            r"20 injured, 34 casualties in all")
    if case in ("no-figures", "one-figure", "one-event"):  # a figure or the attack's date
        assert re.search(r"A passage is left out: placeholder \{(fig:chaambi-soldiers-\w+|"
                         r"event:chaambi-attack:date)\}: no row with", written)
        assert not casualties.search(written)
    else:
        assert casualties.search(written)
    measures = len(read_table(data, "measures")[1])
    if measures:
        assert f"The article describes {measures} policy measure{'s' * (measures != 1)}: " \
               in written
    else:
        assert "The article describes no policy measures." in written
