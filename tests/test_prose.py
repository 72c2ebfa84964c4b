"""The written prose: Markdown cells bound to the data by inline expressions, filled as text in
the exports, translated per paragraph, and never exported raw."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.helpers import PYTHON, prose_output, read_table, report_cell, set_cell, write_table
from tunisia_report.dataset import load
from tunisia_report.display import EXPRESSIONS_KEY, INLINE_MIME
from tunisia_report.exceptions import (
    ExportError,
    NarrativeError,
    TranslationError,
    UnknownReferenceError,
    UntranslatedError,
)
from tunisia_report.export.prose import ProseCells
from tunisia_report.export.rerun import has_run
from tunisia_report.paths import NOTEBOOKS_DIR
from tunisia_report.report import content, inline
from tunisia_report.text import i18n
from tunisia_report.text.dates import format_day
from tunisia_report.text.prose import EVAL, extract_notebook, is_prose, paragraphs, source

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
# Digits a Markdown cell may hold outside an inline expression: the name of a digest is no
# number of the report. Nothing else, whatever it counts.
NOT_NUMBERS = re.compile(r"\bsha256\b")


def markdown_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_number_is_typed_into_a_markdown_cell(path):
    typed = []
    for cell in markdown_cells(path):
        text = EVAL.sub("", source(cell))
        text = re.sub(r"`[^`]*`", "", NOT_NUMBERS.sub("", text))  # code spans: names
        typed += [(cell.get("id"), m.group(0)) for m in re.finditer(r"\d+", text)]
    assert typed == []


def test_the_scan_finds_a_typed_number():
    cell = nbformat.v4.new_markdown_cell('Killed {eval}`ref("fig:x")` soldiers, 14 of them.')
    assert re.findall(r"\d+", EVAL.sub("", source(cell))) == ["14"]


def test_the_report_prose_is_in_markdown_cells():
    prose = [c for c in markdown_cells(NOTEBOOKS_DIR / "report.ipynb") if is_prose(c)]
    assert {c["id"] for c in prose} >= {"summary-findings", "summary-reading",
                                        "finding-casualties", "finding-counter-terrorism",
                                        "method-data", "method-gaps"}
    assert sum(len(EVAL.findall(source(c))) for c in prose) > 40
    for name in ("summary_text", "method_text", "finding_casualties",
                 "finding_counter_terrorism"):
        assert not hasattr(content, name)


def test_ref_keeps_the_placeholders_meaning(data):
    def ref(spec):
        return inline.resolve(data, spec, content.VALUES)

    assert str(ref("fig:chaambi-soldiers-killed")) == "14"
    assert str(ref("fig:departures-prevented:words")) == "eight thousand"
    assert str(ref("fig:departures-prevented:attribution")) == "Interior Ministry estimates"
    assert str(ref("event:kerry-visit:date")) == "February 2014"
    assert str(ref("place:algeria:name")) == "Algeria"
    assert str(ref("total")) == "34"
    assert str(ref("measures")) == f"{len(data.measures)} policy measures"
    bundle = ref("fig:chaambi-soldiers-killed")._repr_mimebundle_()
    note = bundle[INLINE_MIME]["note"]
    assert bundle["text/plain"] == "14" and note["row"] == "figures/chaambi-soldiers-killed"
    assert note["full"]["plain"].startswith(  # citeproc's full form (Chicago notes)
        "Mohamed Bechri, ‘Tunisia’s Security-First Policy at a Crossroads’")
    assert "at a Crossroads" not in note["short"]["plain"]
    with pytest.raises(NarrativeError, match="no such value"):
        ref("totl")  # a typo is an error, not a left-out passage
    with pytest.raises(UnknownReferenceError, match="'fig:no-such-figure': .*no row"):
        ref("fig:no-such-figure")  # an id no dataset has: a typo, not a left-out passage
    with pytest.raises(UnknownReferenceError, match="unknown field"):
        ref("fig:chaambi-soldiers-killed:colour")


def test_values_are_escaped_where_they_cross_into_markdown_and_html(data_copy):
    evil = "<script>x</script> *b*"
    set_cell(data_copy, "figures", "chaambi-soldiers-killed", "unit", evil)
    bundle = prose_output(report_cell("finding-casualties"), load(data_copy, check=False))
    assert "<script>" not in bundle["text/html"] and "&lt;script&gt;" in bundle["text/html"]
    assert "\\<script\\>" in bundle["text/markdown"] and "\\*b\\*" in bundle["text/markdown"]


def test_first_note_of_a_source_is_in_full_then_short(data):
    nb = nbformat.v4.new_notebook(cells=[nbformat.from_dict(report_cell("finding-casualties"))])
    out = prose_output(report_cell("finding-casualties"), data)["text/plain"]
    notes = re.findall(r"^\[\d\] (.*)$", out, re.M)
    assert "at a Crossroads’, The Washington Institute for Near East Policy, 23 July 2014" in \
        notes[0]
    assert all("at a Crossroads" not in n for n in notes[1:])
    assert nb.cells  # the cell itself is unchanged


def test_missing_data_leaves_the_paragraph_out(data_copy):
    set_cell(data_copy, "figures", "chaambi-soldiers-killed", "figure_id", "renamed")
    bundle = prose_output(report_cell("finding-casualties"), load(data_copy, check=False))
    assert bundle["text/plain"].startswith("A passage is left out: placeholder "
                                           "{fig:chaambi-soldiers-killed}: no row")


def test_findings_switched_off_drop_the_written_findings(data):
    assert prose_output(report_cell("finding-counter-terrorism"), data, findings=False) == {}
    # the casualties section has no chart (a sentence says what it showed): its words stay
    assert prose_output(report_cell("finding-casualties"), data, findings=False)
    assert prose_output(report_cell("summary-findings"), data, findings=False)


def test_the_translated_paragraph_keeps_its_values(data):
    bundle = prose_output(report_cell("finding-casualties"), data, lang="fr")
    assert bundle["text/plain"].startswith("L’attaque dans la région du mont Châambi a fait 14 ")
    assert "34 victimes en tout" in bundle["text/plain"]


def edited(cell_id: str) -> dict:
    cell = report_cell(cell_id)
    cell["source"] = source(cell).replace("in all", "altogether")
    return cell


def test_an_untranslated_paragraph_shows_in_english_and_is_named(data, capsys):
    bundle = prose_output(edited("finding-casualties"), data, lang="fr")
    assert "casualties altogether" in bundle["text/plain"]
    assert bundle["text/plain"].split("\n")[0].endswith("(pas encore traduit)")
    assert '<div class="narrative" lang="en" dir="ltr">' in bundle["text/html"]
    err = capsys.readouterr().err
    assert "report.ipynb, cell 0 (finding-casualties), paragraph 1: no 'fr' translation of " \
           "msgid 'The attack in the Mount Chaambi region left" in err
    assert "fr/LC_MESSAGES/messages.po" in err


def test_strict_refuses_an_untranslated_paragraph(data):
    with pytest.raises(UntranslatedError, match=r"cell 0 \(finding-casualties\), paragraph 1"):
        prose_output(edited("finding-casualties"), data, lang="fr", strict=True)
    assert prose_output(report_cell("finding-casualties"), data, lang="ar", strict=True)


def test_an_unevaluated_expression_is_never_exported_raw():
    cell = nbformat.v4.new_markdown_cell('Killed {eval}`ref("fig:chaambi-soldiers-killed")`.')
    code = nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.v4.new_output(
        "stream", name="stdout", text="")])
    nb = nbformat.v4.new_notebook(cells=[code, cell])
    assert not has_run(nb)  # the exporters run it again first
    with pytest.raises(ExportError, match=r"has no value; run the notebook"):
        ProseCells(notebook="x.ipynb").preprocess(nb, {})
    cell.metadata[EXPRESSIONS_KEY] = [{"expression": 'ref("fig:chaambi-soldiers-killed")',
                                       "result": {"status": "ok", "data": {"text/plain": "1"}}}]
    assert has_run(nb)
    cell.source = cell.source.replace("Killed", "Killed {eval}`ref(\"total\")`")
    assert not has_run(nb)  # edited since it ran


def test_catalogues_are_extracted_per_paragraph():
    path = NOTEBOOKS_DIR / "report.ipynb"
    handle = io.BytesIO(path.read_bytes())
    handle.name = str(path)
    found = list(extract_notebook(handle, None, [], {}))
    cell = report_cell("summary-findings")
    assert [m for _, _, m, _ in found if m in paragraphs(source(cell))] == \
        paragraphs(source(cell))
    assert ["report.ipynb, cell summary-findings"] in [c for *_, c in found]
    assert not any(m.startswith("## ") for _, _, m, _ in found)  # headings: SECTIONS


def test_a_translation_with_other_expressions_is_refused(tmp_path):
    source_po = i18n.catalogue_path("fr")
    broken = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    broken.parent.mkdir(parents=True)
    text = source_po.read_text(encoding="utf-8")
    assert 'ref(\\"total\\")` victimes' in text
    broken.write_text(text.replace('ref(\\"total\\")` victimes', 'ref(\\"totl\\")` victimes'),
                      encoding="utf-8")
    with pytest.raises(Exception, match=r"inline expressions .*totl"):
        i18n.read_catalogue(broken)


@pytest.mark.slow  # a real kernel
def test_papermill_with_the_engine_fills_the_expressions(tmp_path):
    """Plain papermill leaves the expressions unevaluated (the exporters run the notebook
    again); `--engine tunisia_report` evaluates them in the kernel, as JupyterLab does."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from tunisia_report.report import Report\n"
                                  "rep = Report()\nref = rep.ref\nrep.lang"),
        nbformat.v4.new_markdown_cell('Killed {eval}`ref("fig:chaambi-soldiers-killed")` '
                                      'of {eval}`ref("n_figures")`.')])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    source_path = tmp_path / "in.ipynb"
    nbformat.write(nb, source_path)
    for engine, filled in (([], False), (["--engine", "tunisia_report"], True)):
        out = tmp_path / f"out-{filled}.ipynb"
        proc = subprocess.run([PYTHON, "-m", "papermill", *engine, str(source_path), str(out)],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        result = nbformat.read(out, as_version=4)
        stored = result.cells[1].metadata.get(EXPRESSIONS_KEY)
        assert has_run(result) is filled
        if filled:
            assert [s["result"]["data"]["text/plain"] for s in stored] == ["14", "10"]


@pytest.mark.slow
def test_an_edited_paragraph_never_breaks_an_edition(tmp_path):
    """A French render of a report whose English paragraph changed succeeds, shows it in English
    and names notebook, cell and msgid; with --strict it fails and publishes nothing."""
    nb = nbformat.read(NOTEBOOKS_DIR / "report.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.get("id") == "finding-casualties")
    cell.source = cell.source.replace("casualties in all", "casualties altogether")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nb, folder / "report.ipynb")

    def render(*extra):
        return subprocess.run(
            [PYTHON, "-m", "tunisia_report", "render", "--notebook", str(folder / "report.ipynb"),
             "--output-dir", str(tmp_path / "out"), "-p", "lang", "fr", "-p", "sections",
             '["casualties"]', "--formats", "html", "--force", *extra],
            capture_output=True, text=True, timeout=600)

    proc = render()
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "report.ipynb, cell" in proc.stderr and "(finding-casualties), paragraph 1: no 'fr' " \
        "translation of msgid 'The attack in the Mount Chaambi region left" in proc.stderr
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "casualties altogether" in html and "(pas encore traduit)" in html
    assert "{eval}" not in html and "Victimes et violence politique" in html
    strict = render("--strict")
    assert strict.returncode == 1 and "paragraphs with no translation" in strict.stderr
    assert "Traceback" not in strict.stderr
    assert (tmp_path / "out" / "report.html").read_text(encoding="utf-8") == html


def test_the_method_says_how_the_record_was_searched_from_the_log(data_copy):
    header, rows = read_table(data_copy, "searches")
    write_table(data_copy, "searches", header, rows[:-3])  # a shorter log: the text follows
    data = load(data_copy)
    log = data.searches
    out = prose_output(report_cell("method-search"), data)["text/plain"]
    assert f"{len(log)} queries" in out and len(log) == len(rows) - 3
    assert f"Of the {log['results'].sum()} results they returned, {log['in_record'].sum()} " \
        "were pages already in the record" in out
    assert f"last run on {format_day(log['date_searched'].max())}" in out
    assert "in English, French and Arabic" in out
    assert f"covering all {len(data.claims)} of the article's claims and the " \
        f"{log['resource'].nunique()} tables" in out
    assert "searches.csv" in out
    for lang in ("fr", "ar"):  # translated, with the same values
        text = prose_output(report_cell("method-search"), data, lang=lang,
                            strict=True)["text/plain"]
        assert str(len(log)) in text and "searches.csv" in text


def test_the_record_was_last_checked_at_its_last_access_or_search(data):
    record = data.sources[data.sources["source_id"].isin(data.reports["source_id"])]
    edited = type(data)({**data, "sources": data.sources.copy()}, data.descriptor,
                        data.data_dir)
    edited["sources"]["date_accessed"] = record["date_accessed"].min()  # before the searches
    latest = data.searches["date_searched"].max()
    assert record["date_accessed"].min() < latest
    for dataset in (data, edited):
        text = prose_output(report_cell("method-record"), dataset)["text/plain"]
        accessed = dataset.sources.loc[record.index, "date_accessed"].max()
        assert f"last checked on {format_day(max(accessed, latest))}." in text
    assert f"last checked on {format_day(latest)}." in prose_output(
        report_cell("method-record"), edited)["text/plain"]


PARAGRAPH = 'msgstr "L’attaque dans la région du mont Châambi a fait '


@pytest.mark.parametrize(("hostile", "named"), [
    ("\\n# Titre qui avale la suite ", "block '#'"),
    ("[cliquez](javascript:alert(1)) ", "link 'javascript:alert(1)'"),
    ("$x^2$ ", "char '$'"),
    ("<img src=x onerror=alert(1)> ", "html '<img src=x onerror=alert(1)>'"),
    ("&#x202e; ", "entity '&#x202e;'"),
    ("<javascript:alert(1)> ", "html '<javascript:alert(1)>'"),
    ("**gras** ", "char '**'"),
    ("@bechri ", "char '@'"),
    ("\\n    du code ", "block ''"),
    ("\\n> citation ", "block '>'"),
])
def test_a_translated_paragraph_is_text_not_markdown(tmp_path, hostile, named):
    source_po = i18n.catalogue_path("fr")
    broken = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    broken.parent.mkdir(parents=True)
    text = source_po.read_text(encoding="utf-8")
    assert text.count(PARAGRAPH) == 1
    broken.write_text(text.replace(PARAGRAPH, PARAGRAPH + hostile), encoding="utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith(PARAGRAPH)) - 1
    with pytest.raises(TranslationError) as error:
        i18n.read_catalogue(broken)
    message = str(error.value)
    assert message.startswith(f"{broken}:{line}: msgid 'The attack in the Mount Chaambi region")
    assert f"the translation is text, but it holds markup its original lacks: {named}" in message


def test_a_translation_keeps_the_markup_of_its_original(tmp_path):
    """Emphasis, links to the report's own anchors and expressions, as the English has them;
    brackets, percent signs and apostrophes are text. Anything more is refused."""
    from babel.messages.catalog import Catalog

    original = ('See *the map* of [the attacks](#fig-aftermath-map), {eval}`ref("n_attacks")` '
                "in all.")
    catalog = Catalog(locale="fr")
    catalog.add(original, "Voir *la carte* des [attaques](#fig-aftermath-map) [sic], "
                          '{eval}`ref("n_attacks")` en tout (100 %), l’été.', lineno=7)
    assert i18n.markup_problems(catalog, Path("fr.po")) == []
    catalog = Catalog(locale="fr")
    catalog.add(original, "Voir *la carte* des [attaques](https://example.invalid/) "
                          '{eval}`ref("n_attacks")`.', lineno=7)
    assert i18n.markup_problems(catalog, Path("fr.po")) == [
        f"fr.po:7: msgid {original!r}: the translation is text, but it holds markup its "
        "original lacks: link 'https://example.invalid/'"]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_catalogues_hold_no_markup_their_originals_lack(lang):
    from babel.messages.pofile import read_po

    with open(i18n.catalogue_path(lang), "rb") as handle:
        assert i18n.markup_problems(read_po(handle), i18n.catalogue_path(lang)) == []
