"""The `review` command: a colleague's edits to the Word report, traced back to their origin.

Reads a DOCX the project wrote and a reviewer edited (tracked insertions and deletions,
comments) and reports each changed or commented paragraph against where it comes from: a
Markdown cell of a notebook (its bookmark, see `export.docx_origins`), a row of claims.csv (a
claim's card), or text generated from the data under a section; in an edition other than
English, a Markdown cell's paragraph is an entry of that edition's catalogue. With ``--apply``,
a change that touches only the words of a Markdown cell (English) or a catalogue entry (other
editions) is written there; the rest (values filled from the data, generated sentences, any
change across a value) is listed for the analyst.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tunisia_report.export.docx_origins import MARKDOWN_PREFIX, bookmark_name
from tunisia_report.text.prose import EVAL, paragraphs, source

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CLAIM = re.compile(r"^claim[-_](.+)$")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass
class Paragraph:
    """One paragraph of the document: its text before and after the tracked changes, the
    bookmarks around it, the comments on it, the section it is in."""

    before: str = ""
    after: str = ""
    bookmarks: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    section: str = ""
    index: int = 0  # its place among the paragraphs of its bookmark

    @property
    def changed(self) -> bool:
        return self.before != self.after


def read_document(path: Path) -> tuple[list[Paragraph], str]:
    """The paragraphs of a DOCX in order, and its language (``w:lang`` of its defaults)."""
    from lxml import etree  # here: the CLI's parser imports this module (a no-op render too)

    with zipfile.ZipFile(path) as package:
        document = etree.fromstring(package.read("word/document.xml"))
        names = set(package.namelist())
        comments = (etree.fromstring(package.read("word/comments.xml"))
                    if "word/comments.xml" in names else None)
        styles = (etree.fromstring(package.read("word/styles.xml"))
                  if "word/styles.xml" in names else None)
    notes = {}
    for comment in ([] if comments is None else comments.iter(_w("comment"))):
        text = " ".join("".join(t.text or "" for t in p.iter(_w("t")))
                        for p in comment.iter(_w("p"))).strip()
        notes[comment.get(_w("id"))] = f"{comment.get(_w('author')) or 'someone'}: {text}"
    lang = ""
    if styles is not None:
        found = styles.find(f".//{_w('docDefaults')}//{_w('lang')}")
        lang = "" if found is None else (found.get(_w("val")) or "")
    active: dict[str, str] = {}
    found_paragraphs: list[Paragraph] = []
    current: Paragraph | None = None
    inserted = deleted = 0
    section = ""
    counts: dict[str, int] = {}
    for event, element in etree.iterwalk(document.find(_w("body")), events=("start", "end")):
        tag = element.tag
        if tag == _w("p"):
            if event == "start":
                current = Paragraph(bookmarks=list(active.values()), section=section)
            else:
                origin = _origin_name(current.bookmarks)
                current.index = counts.get(origin, 0)
                counts[origin] = current.index + 1
                found_paragraphs.append(current)
                current = None
        elif tag == _w("ins"):
            inserted += 1 if event == "start" else -1
        elif tag == _w("del"):
            deleted += 1 if event == "start" else -1
        elif event != "start":
            continue
        elif tag == _w("bookmarkStart"):
            name = element.get(_w("name")) or ""
            active[element.get(_w("id"))] = name
            if current is not None:
                current.bookmarks.append(name)
            if not name.startswith(MARKDOWN_PREFIX) and not CLAIM.match(name) \
                    and not name.startswith("_"):
                section = name
        elif tag == _w("bookmarkEnd"):
            active.pop(element.get(_w("id")), None)
        elif current is None:
            continue
        elif tag in (_w("t"), _w("delText")):
            # the left-to-right marks the Arabic edition puts around Latin text (export.docx)
            text = (element.text or "").replace("\u200e", "")
            if tag == _w("delText") or deleted:
                current.before += text
            elif inserted:
                current.after += text
            else:
                current.before += text
                current.after += text
        elif tag == _w("tab"):
            current.before += "\t"
            current.after += "\t"
        elif tag in (_w("commentRangeStart"), _w("commentReference")):
            note = notes.get(element.get(_w("id")))
            if note and note not in current.comments:
                current.comments.append(note)
    return found_paragraphs, lang


def _origin_name(bookmarks: list[str]) -> str:
    """The bookmark that says where a paragraph comes from: its cell's, else its claim's."""
    for prefix_match in (lambda n: n.startswith(MARKDOWN_PREFIX), lambda n: CLAIM.match(n)):
        found = [n for n in bookmarks if prefix_match(n)]
        if found:
            return found[-1]
    return ""


@dataclass
class Finding:
    """One changed or commented paragraph, with where it comes from and what was done."""

    origin: str
    paragraph: Paragraph
    applied: bool = False
    why: str = ""
    target: tuple | None = None  # ("cell", notebook path, cell id) or ("catalogue", po, msgid)


def cells_by_bookmark(notebooks: list[Path]) -> dict[str, tuple[Path, dict]]:
    """Each Markdown cell of the notebooks by its bookmark name."""
    import nbformat

    found = {}
    for path in notebooks:
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown" and cell.get("id"):
                found[bookmark_name(cell["id"])] = (path, cell)
    return found


def claim_row(data_dir: Path, claim_id: str) -> str:
    """"data/claims.csv, row N" for a claim (N counts the header as row 1)."""
    path = data_dir / "claims.csv"
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), 2):
                if row.get("claim_id") == claim_id:
                    return f"{_shown(path)}, row {number} (claim_id {claim_id})"
    except OSError:
        pass
    return f"{_shown(path)}, claim_id {claim_id}"


def review(docx: Path, notebooks: list[Path], data_dir: Path,
           lang: str | None = None) -> list[Finding]:
    """Every changed or commented paragraph of `docx`, with its origin (and its target, where a
    change could be applied)."""
    from tunisia_report.text.i18n import catalogue_path

    found_paragraphs, doc_lang = read_document(docx)
    lang = (lang or doc_lang or "en").split("-")[0]
    cells = cells_by_bookmark(notebooks)
    findings = []
    for para in found_paragraphs:
        if not (para.changed or para.comments):
            continue
        name = _origin_name(para.bookmarks)
        claim = CLAIM.match(name) if name else None
        if name in cells:
            path, cell = cells[name]
            english = paragraphs(source(cell))
            shown = english if lang == "en" else translated(english, lang)
            para.index = best_match(shown, para.before)
            where = f"{_shown(path)}, cell {cell['id']} (Markdown), paragraph {para.index + 1}"
            if lang == "en":
                finding = Finding(where, para, target=("cell", path, cell["id"]))
            else:
                po = catalogue_path(lang)
                finding = Finding(f"{_shown(po)}, the entry whose msgid is paragraph "
                                  f"{para.index + 1} of {where}", para,
                                  target=("catalogue", po, english[para.index]))
        elif claim:
            finding = Finding(claim_row(data_dir, claim.group(1)), para,
                              why="generated from the data: change the row or its template")
        else:
            section = f" in section '{para.section}'" if para.section else ""
            finding = Finding(f"text generated from the data{section}", para,
                              why="generated from the data: change the data or its template")
        if not para.changed:
            finding.why = "a comment only"
        findings.append(finding)
    return findings


def best_match(candidates: list[str], text: str) -> int:
    """The index of the candidate (a paragraph's Markdown) that reads most like `text` (its
    rendering): the exports drop some paragraphs (the title), so places do not line up."""
    def likeness(candidate: str) -> float:
        return difflib.SequenceMatcher(None, candidate, text, autojunk=False).ratio()

    return max(range(len(candidates)), key=lambda k: likeness(candidates[k])) if candidates \
        else 0


def translated(english: list[str], lang: str) -> list[str]:
    """Each paragraph as the edition's catalogue gives it ("" where it has none)."""
    from tunisia_report.export.prose import translate
    from tunisia_report.text import i18n

    with i18n.language(lang):
        return [translate(p) or "" for p in english]


def edit_source(text: str, before: str, after: str) -> str | None:
    """`text` (Markdown with ``{eval}`` expressions) with the edit that turned its rendering
    `before` into `after`, or None when the edit touches anything but its words: a value, a
    mark-up character, a footnote marker."""
    evals = [range(m.start(), m.end()) for m in EVAL.finditer(text)]
    matcher = difflib.SequenceMatcher(None, text, before, autojunk=False)
    position = {}  # index in `before` -> index in `text`, where they are the same words
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            if not any(block.a + k in span for span in evals):
                position[block.b + k] = block.a + k
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after,
                                                       autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 < i2:  # a deletion or replacement: every character it removes is words
            mapped = [position.get(i) for i in range(i1, i2)]
            if None in mapped or mapped != list(range(mapped[0], mapped[0] + len(mapped))):
                return None
            start, end = mapped[0], mapped[-1] + 1
        elif i1 - 1 in position:
            start = end = position[i1 - 1] + 1
        elif i1 in position:
            start = end = position[i1]
        else:
            return None
        edits.append((start, end, after[j1:j2]))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def apply(findings: list[Finding]) -> None:
    """Write the changes that touch only words into their cells and catalogue entries."""
    import nbformat

    notebooks: dict[Path, object] = {}
    for finding in findings:
        para = finding.paragraph
        if not para.changed or finding.target is None or finding.why:
            continue
        kind, path, key = finding.target
        if kind == "cell":
            nb = notebooks.setdefault(path, nbformat.read(str(path), as_version=4))
            cell = next(c for c in nb.cells if c.get("id") == key)
            blocks = paragraphs(source(cell))
            if para.index >= len(blocks):
                finding.why = "the cell has fewer paragraphs than the document"
                continue
            new = edit_source(blocks[para.index], para.before, para.after)
            if new is None:
                finding.why = "the change touches a value, a note or mark-up, not only words"
                continue
            cell.source = source(cell).replace(blocks[para.index], new, 1)
            finding.applied = True
        else:
            finding.applied, finding.why = _apply_to_catalogue(path, key, para)
    for path, nb in notebooks.items():
        nbformat.write(nb, str(path))


def _po_escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\t", "\\t"))


def _po_unescape(text: str) -> str:
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _apply_to_catalogue(po: Path, msgid: str, para: Paragraph) -> tuple[bool, str]:
    """Edit one entry's msgstr in place (a one-line msgid and msgstr, as `make messages`
    writes them); (applied, why not)."""
    lines = po.read_text(encoding="utf-8").split("\n")
    wanted = f'msgid "{_po_escape(msgid)}"'
    for number, line in enumerate(lines[:-1]):
        if line == wanted and lines[number + 1].startswith('msgstr "'):
            old = _po_unescape(lines[number + 1][len('msgstr "'):-1])
            new = edit_source(old, para.before, para.after)
            if new is None:
                return False, "the change touches a value, a note or mark-up, not only words"
            lines[number + 1] = f'msgstr "{_po_escape(new)}"'
            po.write_text("\n".join(lines), encoding="utf-8")
            return True, ""
    return False, "no one-line entry with this msgid in the catalogue"


def word_diff(before: str, after: str) -> str:
    """The change as words: [-removed-]{+added+}, with a few words around."""
    a, b = before.split(), after.split()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            words = a[i1:i2]
            out.append(" ".join(words) if len(words) <= 8 else
                       " ".join([*words[:3], "…", *words[-3:]]))
            continue
        if i1 < i2:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j1 < j2:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(x for x in out if x)


def describe(findings: list[Finding], applied: bool) -> str:
    lines = []
    for finding in findings:
        para = finding.paragraph
        lines.append(f"{finding.origin}:")
        if para.changed:
            lines.append(f"  change: {word_diff(para.before, para.after)}")
        lines += [f"  comment by {note}" for note in para.comments]
        if applied and para.changed:
            lines.append("  applied" if finding.applied else f"  not applied: {finding.why}")
        elif finding.why and para.changed:
            lines.append(f"  for the analyst: {finding.why}")
    done = sum(f.applied for f in findings)
    lines.append(f"{len(findings)} paragraph(s) changed or commented"
                 + (f"; {done} change(s) applied" if applied else ""))
    return "\n".join(lines)


def _shown(path: Path) -> str:
    from tunisia_report.dataset.files import display_path

    return display_path(path)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "review", help="trace a reviewer's Word changes back to cells, rows and catalogues",
        description="Read a Word report the project wrote and a colleague edited (tracked "
                    "changes, comments) and report each changed or commented paragraph with "
                    "its origin: a notebook's Markdown cell, a row of claims.csv, a catalogue "
                    "entry, or text generated from the data.")
    p.add_argument("docx", type=Path, help="the edited .docx")
    p.add_argument("--notebook", type=Path, action="append",
                   help="a notebook the document was made from (repeatable; default: every "
                        "notebook in notebooks/)")
    p.add_argument("--data-dir", type=Path, default=None, help="the data folder (default: data/)")
    p.add_argument("--lang", default=None,
                   help="the document's edition (default: the language the document states)")
    p.add_argument("--apply", action="store_true",
                   help="write the changes that touch only words into their Markdown cells "
                        "(English) or catalogue entries, and list the rest")
    p.set_defaults(func=cmd_review)


def cmd_review(args: argparse.Namespace) -> int:
    from lxml import etree

    from tunisia_report.paths import DATA_DIR, NOTEBOOKS_DIR

    if not args.docx.is_file():
        print(f"error: {args.docx}: no such file", file=sys.stderr)
        return 2
    try:
        findings = review(args.docx, args.notebook or sorted(NOTEBOOKS_DIR.glob("*.ipynb")),
                          args.data_dir or DATA_DIR, args.lang)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        print(f"error: {args.docx}: not a Word document the project wrote ({exc})",
              file=sys.stderr)
        return 1
    if args.apply:
        apply(findings)
    print(describe(findings, args.apply))
    return 0
