"""The reviewer's round trip: a Word report with tracked changes and comments, each traced to
its cell, row or catalogue entry; --apply writes the words-only changes into the notebook and
lists the rest. The DOCX files carry real w:ins, w:del and comment markup, and one is saved
again by LibreOffice."""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest
from lxml import etree

from tests.helpers import PYTHON
from tunisia_report.export.docx_origins import ORIGINS_FILTER, bookmark_name
from tunisia_report.paths import ROOT
from tunisia_report.render.review import edit_source, read_document, review

FIXTURE = ROOT / "tests" / "fixtures" / "export" / "report_contract.ipynb"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                "comments")


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """The fixture notebook's Word report, as the project writes it."""
    from tunisia_report.export import notebook_to_docx

    nb = nbformat.read(FIXTURE, as_version=4)
    path = tmp_path_factory.mktemp("docx") / "report_contract.docx"
    path.write_bytes(notebook_to_docx(nb, resources={"metadata": {
        "name": FIXTURE.name, "path": str(FIXTURE.parent)}}))
    return path


def edit_package(source: Path, target: Path, changes: list[tuple[str, str, str]],
                 comment: tuple[str, str] | None = None) -> None:
    """Copy a DOCX with tracked changes, as Word writes them: in the first paragraph holding
    `within`, `old` becomes a w:del run and `new` a w:ins run (either may be ""); `comment`
    (words of a paragraph, its text) adds a comment on that paragraph."""
    with zipfile.ZipFile(source) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    doc = etree.fromstring(parts["word/document.xml"])
    for within, old, new in changes:
        para = next(p for p in doc.iter(w("p"))
                    if within in "".join(t.text or "" for t in p.iter(w("t"))))
        anchor = old or within
        t = next(t for t in para.iter(w("t")) if anchor in (t.text or ""))
        run = t.getparent()
        head, tail = t.text.split(anchor, 1)
        if not old:
            head, tail = head + anchor, tail
        parent, at = run.getparent(), run.getparent().index(run)
        pieces = []
        for text in (head,):
            pieces.append(_run_like(run, text))
        if old:
            removed = etree.Element(w("del"), {w("id"): "901", w("author"): "Reviewer",
                                               w("date"): "2026-12-01T10:00:00Z"})
            gone = _run_like(run, old)
            gone.find(w("t")).tag = w("delText")
            removed.append(gone)
            pieces.append(removed)
        if new:
            added = etree.Element(w("ins"), {w("id"): "902", w("author"): "Reviewer",
                                             w("date"): "2026-12-01T10:00:00Z"})
            added.append(_run_like(run, new))
            pieces.append(added)
        pieces.append(_run_like(run, tail))
        parent.remove(run)
        for offset, piece in enumerate(pieces):
            parent.insert(at + offset, piece)
    if comment:
        within, words = comment
        para = next(p for p in doc.iter(w("p"))
                    if within in "".join(t.text or "" for t in p.iter(w("t"))))
        para.insert(1, etree.Element(w("commentRangeStart"), {w("id"): "0"}))
        para.append(etree.Element(w("commentRangeEnd"), {w("id"): "0"}))
        ref = etree.SubElement(para, w("r"))
        etree.SubElement(ref, w("commentReference"), {w("id"): "0"})
        comments = etree.Element(w("comments"), nsmap={"w": W})
        note = etree.SubElement(comments, w("comment"), {w("id"): "0", w("author"): "Reviewer",
                                                         w("date"): "2026-12-01T10:00:00Z"})
        etree.SubElement(etree.SubElement(etree.SubElement(note, w("p")), w("r")),
                         w("t")).text = words
        parts["word/comments.xml"] = etree.tostring(comments, xml_declaration=True,
                                                    encoding="UTF-8", standalone=True)
        rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
        etree.SubElement(rels, "{http://schemas.openxmlformats.org/package/2006/relationships}"
                         "Relationship", Id="rIdReview1", Type=COMMENTS_REL,
                         Target="comments.xml")
        parts["word/_rels/document.xml.rels"] = etree.tostring(rels)
        types = etree.fromstring(parts["[Content_Types].xml"])
        etree.SubElement(types, "{http://schemas.openxmlformats.org/package/2006/content-types}"
                         "Override", PartName="/word/comments.xml", ContentType=COMMENTS_TYPE)
        parts["[Content_Types].xml"] = etree.tostring(types)
    parts["word/document.xml"] = etree.tostring(doc, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def _run_like(run, text: str):
    """A copy of `run` (its formatting) holding only `text`."""
    new = copy.deepcopy(run)
    for child in list(new):
        if child.tag != w("rPr"):
            new.remove(child)
    t = etree.SubElement(new, w("t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return new


def test_bookmark_names_are_words_and_agree_with_the_lua_filter():
    assert bookmark_name("cell-5") == "c_cell_5_" + __import__("hashlib").sha1(
        b"cell-5").hexdigest()[:6]
    assert len(bookmark_name("x" * 80)) <= 40
    lua = ORIGINS_FILTER.read_text(encoding="utf-8")
    assert "'c_' .. id:gsub('[^A-Za-z0-9_]', '_'):sub(1, 28) .. '_' .. " \
           "pandoc.utils.sha1(id):sub(1, 6)" in lua


def test_an_edit_to_words_maps_back_to_the_source_and_one_to_a_value_does_not():
    text = "The attack left {eval}`ref(\"killed\")` soldiers dead, the army said."
    before = "The attack left 14 soldiers dead, the army said."
    assert edit_source(text, before, "The ambush left 14 soldiers dead, the army said.") == (
        "The ambush left {eval}`ref(\"killed\")` soldiers dead, the army said.")
    assert edit_source(text, before, "The attack left 14 soldiers dead, said the army.") == (
        "The attack left {eval}`ref(\"killed\")` soldiers dead, said the army.")
    assert edit_source(text, before, "The attack left 15 soldiers dead, the army said.") is None


@pytest.mark.slow
def test_each_change_and_comment_is_reported_with_its_cell(written, tmp_path):
    edited = tmp_path / "edited.docx"
    edit_package(written, edited, [("Prime minister Mehdi Jomaa named it", "promised",
                                    "pledged")],
                 comment=("Casualties of the Mount Chaambi attack", "Check this caption"))
    findings = review(edited, [FIXTURE], ROOT / "data")
    changed = [f for f in findings if f.paragraph.changed]
    assert len(changed) == 1  # the sentence is in two Markdown cells: the first one changed
    first = changed[0]
    assert first.origin == ("tests/fixtures/export/report_contract.ipynb, cell cell-2 "
                            "(Markdown), paragraph 3")
    assert "promised" in first.paragraph.before and "pledged" in first.paragraph.after
    commented = [f for f in findings if f.paragraph.comments]
    assert commented and commented[0].paragraph.comments == ["Reviewer: Check this caption"]
    assert commented[0].why == "a comment only"


@pytest.mark.slow
def test_apply_writes_words_into_the_cell_and_lists_a_changed_value(written, tmp_path):
    notebook = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, notebook)
    edited = tmp_path / "edited.docx"
    edit_package(written, edited, [("kept the interior minister", "promised", "pledged"),
                                   ("Figure\u00a01. Casualties", "Casualties", "Losses")])
    proc = subprocess.run([PYTHON, "-m", "tunisia_report", "review", str(edited),
                           "--notebook", str(notebook), "--apply"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "cell cell-2 (Markdown), paragraph 3:" in proc.stdout
    assert "change: " in proc.stdout and "[-promised-] {+pledged+}" in proc.stdout
    assert "  applied" in proc.stdout
    assert "not applied: generated from the data" in proc.stdout  # the chart's caption
    cells = {c.id: c.source for c in nbformat.read(notebook, as_version=4).cells}
    assert "and pledged a counter-terrorism centre" in cells["cell-2"]
    original = {c.id: c.source for c in nbformat.read(FIXTURE, as_version=4).cells}
    assert cells["cell-2"] == original["cell-2"].replace("promised", "pledged", 1)
    assert cells["cell-5"] == original["cell-5"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_file_saved_again_by_libreoffice_keeps_its_origins(written, tmp_path):
    edited = tmp_path / "edited.docx"
    edit_package(written, edited, [("Prime minister Mehdi Jomaa named it", "promised",
                                    "pledged")],
                 comment=("The measures the article names", "Which stage?"))
    out = tmp_path / "libreoffice"
    proc = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out),
                           str(edited)], capture_output=True, text=True, timeout=300)
    saved = out / "edited.docx"
    assert saved.is_file(), proc.stderr
    paragraphs, _ = read_document(saved)
    assert any(p.changed for p in paragraphs)  # the tracked change survived
    findings = review(saved, [FIXTURE], ROOT / "data")
    changed = [f for f in findings if f.paragraph.changed]
    assert changed[0].origin.endswith("cell cell-2 (Markdown), paragraph 3")
    assert "pledged" in changed[0].paragraph.after
    commented = [f for f in findings if f.paragraph.comments]
    assert commented[0].origin.endswith("cell cell-7 (Markdown), paragraph 2")
    assert "Which stage?" in commented[0].paragraph.comments[0]


def test_a_words_only_change_to_a_translation_edits_its_catalogue_entry(tmp_path):
    from tunisia_report.render.review import Paragraph, _apply_to_catalogue

    po = tmp_path / "messages.po"
    po.write_text('msgid "The army lost {eval}`killed` men, \\"it said\\"."\n'
                  'msgstr "L’armée a perdu {eval}`killed` hommes, \\"dit-elle\\"."\n',
                  encoding="utf-8")
    msgid = 'The army lost {eval}`killed` men, "it said".'
    words = Paragraph(before='L’armée a perdu 14 hommes, "dit-elle".',
                      after='L’armée a perdu 14 soldats, "dit-elle".')
    assert _apply_to_catalogue(po, msgid, words) == (True, "")
    assert ('msgstr "L’armée a perdu {eval}`killed` soldats, \\"dit-elle\\"."'
            in po.read_text(encoding="utf-8"))
    value = Paragraph(before='L’armée a perdu 14 soldats, "dit-elle".',
                      after='L’armée a perdu 15 soldats, "dit-elle".')
    assert _apply_to_catalogue(po, msgid, value)[0] is False
