"""The files written beside each report for colleagues to reuse, from the data the report read.

`DOWNLOADS` names them, once: the bibliography as CSL-JSON (what citeproc reads), BibLaTeX and
RIS (`export.citation_files`); the data package as rendered (``data.zip``: datapackage.json, the
files it lists and the stored files its sources point to, so that the unzipped folder validates
and renders the report); and the claims with their verdicts (``claims.csv``). Every file has the
same bytes for the same data. A CSV cell a spreadsheet would run as a formula is neutralised
(`text.escape.spreadsheet_cell`) in claims.csv and in the package's CSVs; any other cell keeps
its bytes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tunisia_report.export.archive import write_zip
from tunisia_report.export.citation_files import biblatex, csl_json, ris
from tunisia_report.text.escape import spreadsheet_cell

#: file name -> what it holds (the HTML's and the index's link text say the same).
DOWNLOADS = {
    "sources.json": "CSL-JSON",
    "sources.bib": "BibLaTeX",
    "sources.ris": "RIS",
    "data.zip": "Data Package",
    "claims.csv": "CSV",
}


def safe_csv(content: bytes, columns: set[str] | None = None) -> bytes:
    """CSV bytes with every cell (or every cell of `columns`) that a spreadsheet would read as a
    formula neutralised; the same bytes when no cell needed it."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
    if not rows:
        return content
    header, changed = rows[0], False
    for row in rows[1:]:
        for i, cell in enumerate(row):
            if (columns is None or header[i] in columns) and spreadsheet_cell(cell) != cell:
                row[i], changed = spreadsheet_cell(cell), True
    if not changed:
        return content
    out = io.StringIO(newline="")
    minimal = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)  # a lone \r quoted too
    for row in rows:
        (quoted if any("\r" in cell for cell in row) else minimal).writerow(row)
    return out.getvalue().encode("utf-8")


def _stored_files(data_dir: Path) -> list[str]:
    """The files the sources table stores beside the data (the article, the map, coordinates)."""
    with open(Path(data_dir) / "sources.csv", encoding="utf-8", newline="") as handle:
        return [row["path"] for row in csv.DictReader(handle) if row.get("path")]


def data_package(data_dir: Path) -> bytes:
    """``data.zip``: datapackage.json, each file its resources list (text columns neutralised
    for spreadsheets, otherwise byte for byte) and the stored files the sources point to."""
    descriptor_path = Path(data_dir) / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    entries = {"datapackage.json": descriptor_path.read_bytes()}
    for resource in descriptor.get("resources", []):
        paths = resource.get("path")
        text = {f["name"] for f in resource.get("schema", {}).get("fields", [])
                if f.get("type", "string") == "string"}
        for path in [paths] if isinstance(paths, str) else paths or []:
            content = (Path(data_dir) / path).read_bytes()
            entries[path] = safe_csv(content, text) if path.endswith(".csv") else content
    for path in _stored_files(data_dir):
        entries.setdefault(path, (Path(data_dir) / path).read_bytes())
    return write_zip(entries)


def claims_file(data, lang: str) -> bytes:
    """claims.csv in the edition's language (`dataset.verdicts.claims_csv`)."""
    from tunisia_report.dataset.verdicts import claims_csv
    from tunisia_report.text.i18n import language

    with language(lang):
        return safe_csv(claims_csv(data.localized(lang)).encode("utf-8"))


def downloads(data_dir: Path, lang: str = "en") -> dict[str, bytes]:
    """Every download's bytes, by file name (the keys of `DOWNLOADS`), for the edition `lang`
    (claims.csv is in its language; the bibliography and data are the dataset's own)."""
    from tunisia_report.dataset import load
    from tunisia_report.text.bibliography import csl_items

    data = load(data_dir, check=False)
    items = csl_items(data.sources)
    csl = csl_json(items)
    return {"sources.json": csl, "sources.bib": biblatex(items), "sources.ris": ris(items),
            "data.zip": data_package(data_dir), "claims.csv": claims_file(data, lang)}


def write_downloads(data_dir: Path, folder: Path, lang: str = "en") -> list[Path]:
    """Write the downloads into `folder` (a staging folder: published with the report)."""
    written = []
    for name, content in downloads(data_dir, lang).items():
        path = Path(folder) / name
        path.write_bytes(content)
        written.append(path)
    return written
