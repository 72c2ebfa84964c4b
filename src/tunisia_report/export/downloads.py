"""The files written beside each report for colleagues to reuse, from the data the report read.

`DOWNLOADS` names them, once: the bibliography as CSL-JSON (what citeproc reads), BibLaTeX
(pandoc writes it from the CSL-JSON) and RIS (rispy); the data package as rendered
(``data.zip``: datapackage.json and the files it lists, byte for byte); and the claims with their
verdicts (``claims.csv``). Every file has the same bytes for the same data.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tunisia_report.export.archive import write_zip

#: file name -> what it holds (the HTML's and the index's link text say the same).
DOWNLOADS = {
    "sources.json": "CSL-JSON",
    "sources.bib": "BibLaTeX",
    "sources.ris": "RIS",
    "data.zip": "Data Package",
    "claims.csv": "CSV",
}
# RIS types for the CSL types of `dataset.bibliography.CSL_TYPES`.
RIS_TYPES = {"webpage": "ELEC", "article-newspaper": "NEWS", "entry-encyclopedia": "ENCYC",
             "dataset": "DATA", "document": "GEN"}


def csl_json(items: list[dict]) -> bytes:
    """CSL-JSON, one item per source, keys sorted: stable bytes."""
    return (json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def biblatex(csl: bytes) -> bytes:
    """The CSL-JSON bibliography as BibLaTeX, written by pandoc."""
    from tunisia_report.text.pandoc import pandoc_path

    proc = subprocess.run([pandoc_path(), "--from=csljson", "--to=biblatex"], input=csl,
                          capture_output=True, check=False, timeout=60)
    if proc.returncode != 0:
        from tunisia_report.exceptions import ExportError

        raise ExportError("pandoc could not write sources.bib: "
                          + proc.stderr.decode("utf-8", "replace"))
    return proc.stdout


def _ris_date(date: dict | None) -> str | None:
    """RIS's YYYY/MM/DD/ form of CSL date-parts (missing parts left empty)."""
    if not date:
        return None
    parts = [str(p).zfill(2) for p in date["date-parts"][0]] + ["", ""]
    return "/".join(parts[:3]) + "/"


def ris(items: list[dict]) -> bytes:
    """The bibliography as RIS, written by rispy."""
    import rispy

    entries = []
    for item in items:
        entry = {"type_of_reference": RIS_TYPES.get(item["type"], "GEN"), "id": item["id"]}
        if "title" in item:
            entry["title"] = item["title"]
        if "title-short" in item:
            entry["short_title"] = item["title-short"]
        if "author" in item:
            entry["authors"] = [", ".join(filter(None, (a.get("family"), a.get("given"))))
                                for a in item["author"]]
        if "container-title" in item:
            entry["secondary_title"] = item["container-title"]
        if "publisher" in item:
            entry["publisher"] = item["publisher"]
        if _ris_date(item.get("issued")):
            entry["date"] = _ris_date(item["issued"])
            entry["year"] = str(item["issued"]["date-parts"][0][0])
        if _ris_date(item.get("accessed")):
            entry["access_date"] = _ris_date(item["accessed"])
        if "URL" in item:
            entry["urls"] = [item["URL"]]
        entries.append(entry)
    return rispy.dumps(entries).encode("utf-8")


def data_package(data_dir: Path) -> bytes:
    """``data.zip``: datapackage.json and each file its resources list, exactly as on disk."""
    descriptor_path = Path(data_dir) / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    entries = {"datapackage.json": descriptor_path.read_bytes()}
    for resource in descriptor.get("resources", []):
        paths = resource.get("path")
        for path in [paths] if isinstance(paths, str) else paths or []:
            entries[path] = (Path(data_dir) / path).read_bytes()
    return write_zip(entries)


def claims_file(data, lang: str) -> bytes:
    """claims.csv in the edition's language (`dataset.verdicts.claims_csv`)."""
    from tunisia_report.dataset.verdicts import claims_csv
    from tunisia_report.text.i18n import language

    with language(lang):
        return claims_csv(data.localized(lang)).encode("utf-8")


def downloads(data_dir: Path, lang: str = "en") -> dict[str, bytes]:
    """Every download's bytes, by file name (the keys of `DOWNLOADS`), for the edition `lang`
    (claims.csv is in its language; the bibliography and data are the dataset's own)."""
    from tunisia_report.dataset import load
    from tunisia_report.text.bibliography import csl_items

    data = load(data_dir, check=False)
    items = csl_items(data.sources)
    csl = csl_json(items)
    return {"sources.json": csl, "sources.bib": biblatex(csl), "sources.ris": ris(items),
            "data.zip": data_package(data_dir), "claims.csv": claims_file(data, lang)}


def write_downloads(data_dir: Path, folder: Path, lang: str = "en") -> list[Path]:
    """Write the downloads into `folder` (a staging folder: published with the report)."""
    written = []
    for name, content in downloads(data_dir, lang).items():
        path = Path(folder) / name
        path.write_bytes(content)
        written.append(path)
    return written
