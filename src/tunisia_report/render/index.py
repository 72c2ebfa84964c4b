"""``index.html`` of an output folder: every edition rendered there, with its files.

Written by every render (`render.cli`), after publishing, from what is on disk: the folder itself
(the default render) and each variant's sub-folder. Relative links only, the report's
Content-Security-Policy, no script: the output folder can be published as a static site as it is.
The same files give the same bytes (sizes, and each edition's report date, never a clock).
"""

from __future__ import annotations

import contextlib
import html
import json
import os
from pathlib import Path

from tunisia_report.exceptions import ReportError

INDEX_NAME = "index.html"
REPORT_STEM = "report"
# What a reader gets behind each link, in the order shown.
FILES = {
    "report.html": "Read online (HTML)",
    "report.pdf": "PDF",
    "report.docx": "Word",
    "report.ipynb": "Executed notebook",
    "claims.csv": "Claims and verdicts (CSV)",
    "data.zip": "Data (Data Package, ZIP)",
    "sources.json": "Bibliography (CSL-JSON)",
    "sources.bib": "Bibliography (BibLaTeX)",
    "sources.ris": "Bibliography (RIS)",
}

STYLE = """
body{font:1rem/1.5 Georgia,'Libertinus Serif',serif;color:#1d2329;margin:0 auto;
max-width:46rem;padding:1rem}
h1{font-size:1.5rem;color:#0b3d63;line-height:1.25}
h2{font-size:1.15rem;color:#0b3d63;margin:1.6rem 0 .2rem}
p.subtitle{font-style:italic;margin:.1rem 0}
p.meta{color:#56606b;margin:.1rem 0 .5rem}
ul{list-style:none;padding:0;margin:0}
li{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.2rem 1rem;
padding:.35rem 0;border-bottom:1px solid #d5dbe1}
a{color:#0b3d63}
a:focus-visible{outline:2px solid #0b3d63;outline-offset:2px}
.size{color:#56606b;font-variant-numeric:tabular-nums}
"""


def file_size(n: int) -> str:
    """'12 KB', '1.4 MB' (decimal units, as file managers show them)."""
    if n < 1000:
        return f"{n} bytes"
    if n < 1_000_000:
        return f"{round(n / 1000)} KB"
    return f"{n / 1_000_000:.1f} MB"


def edition_folders(root: Path) -> list[tuple[str, Path]]:
    """(name, folder) of every rendered edition: the root's own report, then each sub-folder
    holding one, the default variant's first, then by name. The root's report is left out
    when it is a copy of the default variant's folder (`render --all-variants` writes both):
    each edition is listed once."""
    from tunisia_report.render.variants import DEFAULT_VARIANT

    def has_report(folder: Path) -> bool:
        return any((folder / name).is_file() for name in FILES if name.startswith(REPORT_STEM))

    found = []
    subs = [(p.name, p) for p in sorted(root.iterdir(), key=lambda p: (p.name != DEFAULT_VARIANT,
                                                                       p.name))
            if p.is_dir() and not p.name.startswith(".") and has_report(p)]
    default = dict(subs).get(DEFAULT_VARIANT)
    if has_report(root) and not (default and _same_files(root, default)):
        found.append(("", root))  # the default render
    return found + subs


def _same_files(one: Path, other: Path) -> bool:
    """Whether the two folders hold the same report files, byte for byte."""
    names = [name for name in FILES if (one / name).is_file() or (other / name).is_file()]
    return all((one / n).is_file() and (other / n).is_file()
               and (one / n).stat().st_size == (other / n).stat().st_size
               and (one / n).read_bytes() == (other / n).read_bytes() for n in names)


def language_name(lang: str) -> str:
    """The edition's language named in that language: "English", "Français", "العربية"."""
    from babel import Locale

    name = Locale.parse(lang.replace("-", "_")).get_language_name(lang.split("-")[0]) or lang
    return name[:1].upper() + name[1:]


def edition_info(name: str, folder: Path) -> tuple[str, str, str, str, str]:
    """(heading, description, language tag, direction, report date) of one edition, from its
    executed notebook and its variant file; the date in the edition's language."""
    from tunisia_report.export.metadata import resolve_metadata
    from tunisia_report.render.variants import DEFAULT_VARIANT, load_variant

    description, title, lang, direction, date = "", name, "en", "ltr", ""
    with contextlib.suppress(ReportError):  # a folder that is no variant: listed by its name
        description = load_variant(name or DEFAULT_VARIANT)["description"]
    notebook = folder / f"{REPORT_STEM}.ipynb"
    if notebook.is_file():  # read as JSON: nbformat's validation of 4 MB took 0.2 s a file
        meta = resolve_metadata(json.loads(notebook.read_text(encoding="utf-8")))
        title = meta.subtitle or meta.title or name
        lang, direction, date = meta.edition.tag, meta.edition.direction, meta.date or ""
    return title, description, lang, direction, date


def index_html(root: Path) -> str:
    """The index page of `root`'s editions."""
    root = Path(root)
    sections = []
    for name, folder in edition_folders(root):
        title, description, lang, direction, date = edition_info(name, folder)
        rows = []
        for file_name, label in FILES.items():
            path = folder / file_name
            if not path.is_file():
                continue
            href = Path(os.path.relpath(path, root)).as_posix()
            rows.append(f'<li><a href="{html.escape(href)}">{html.escape(label)}</a> '
                        f'<span class="size">{file_size(path.stat().st_size)}</span></li>')
        heading_id = f"edition-{html.escape(name)}" if name else "edition-default"
        folder_note = f"{name}/" if name else "this folder"
        lang_attrs = f'lang="{html.escape(lang)}" dir="{html.escape(direction)}"'
        # Isolated (<bdi>), so a right-to-left date keeps its order in the English line.
        meta = " · ".join(filter(None, [
            html.escape(_dashes(description)),
            date and f"<bdi {lang_attrs}>{html.escape(date)}</bdi>"]))
        sections.append(
            f'<section aria-labelledby="{heading_id}">'
            f'<h2 id="{heading_id}"><bdi {lang_attrs}>{html.escape(language_name(lang))}</bdi>'
            f' <small>({html.escape(folder_note)})</small></h2>'
            f'<p class="subtitle"><bdi {lang_attrs}>{html.escape(title)}</bdi></p>'
            f'<p class="meta">{meta}</p><ul>{"".join(rows)}</ul></section>')
    body = "".join(sections) or "<p>Nothing has been rendered yet.</p>"
    # (imported here: a no-op render, checking whether the index is current, has no use for
    # `tunisia_report.report`, which loads the builder, nor for the exporters)
    from tunisia_report.export import CONTENT_SECURITY_POLICY
    from tunisia_report.report.sections import title_block

    heading = html.escape(f"{title_block('en')['title']}: every edition".replace("'", "\u2019"))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{heading}</title>"
        f"<style>{STYLE}</style></head><body><main>"
        f"<h1>{heading}</h1>"
        "<p>Each edition of the report, with its data and bibliography.</p>"
        f"{body}</main></body></html>\n")


def _dashes(text: str) -> str:
    """A spaced hyphen between two phrases as the spaced en dash it stands for."""
    return text.replace(" - ", " \u2013 ")


def index_is_current(root: Path) -> bool:
    """Whether `root`/index.html lists the editions there now and is newer than each of their
    files (a render with nothing to do then leaves it as it is, reading no notebook)."""
    root = Path(root)
    target = root / INDEX_NAME
    if not target.is_file():
        return False
    built = target.stat().st_mtime_ns
    editions = edition_folders(root)
    page = target.read_text(encoding="utf-8")
    if page.count('aria-labelledby="edition-') != len(editions):
        return False
    for name, folder in editions:
        heading_id = f"edition-{html.escape(name)}" if name else "edition-default"
        if f'aria-labelledby="{heading_id}"' not in page or folder.stat().st_mtime_ns > built:
            return False
        if any(p.is_file() and p.stat().st_mtime_ns > built
               for p in (folder / f for f in FILES)):
            return False
    return True


def write_index(root: Path) -> Path:
    """Write `root`/index.html atomically (a reader never sees half of it)."""
    root = Path(root)
    target = root / INDEX_NAME
    partial = root / f".{INDEX_NAME}.partial"
    partial.write_text(index_html(root), encoding="utf-8")
    os.replace(partial, target)
    return target
