"""One-off: merge the attack census's staging folders into the dataset.

    python scripts/merge_census.py FOLDER [FOLDER ...]

Each folder holds attacks.csv, tolls.csv, sources.csv, searches.csv, totals.csv and
translations.csv in the staging format of the census (see the section's method paragraph).
Rows are merged into data/: an attack already in the table (same id, or same first day and
governorate) keeps its row and gains the folder's tolls only when it has none of that
category; an attack whose main source is a wiki, a mirror of one or a blog is left out (an
editor's rule: a wiki is a guide, never the source). Coordinates come with a note instead of a
source: they are written to data/raw/attack_coordinates.csv, the documented record the source
`census-coordinates` points to. Sources are appended to data/sources.csv in its columns and,
with the census's extra columns (language, copy_host, date_note, the finer kind), to
../decade-new-sources.csv for the merge with the sources schema of another branch.
A published total keeps the folder's `total_id` (else one made of its source and year,
unique), the row_id its French and Arabic translations are merged under.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
NEW_SOURCES = ROOT.parent / "decade-new-sources.csv"
COORDINATES = DATA / "raw" / "attack_coordinates.csv"
COORDINATES_SOURCE = "census-coordinates"
ACCESSED = "2026-12-06"
# The census's source kinds in the sources table's current vocabulary.
KIND_NOW = {"official-statement": "primary-statement", "official-report": "government-statement",
            "blog": "aggregator"}
NOT_A_SOURCE = {"wiki", "blog"}  # an attack resting only on one of these is left out
SOURCE_FIELDS = ["source_id", "kind", "title", "short_title", "author", "producer", "newsroom",
                 "date_published", "published_precision", "date_accessed", "url", "citation",
                 "license", "path", "sha256"]
NEW_FIELDS = [*SOURCE_FIELDS, "language", "copy_host", "date_note"]
SEARCH_FIELDS = ["search_id", "query", "lang", "year", "date_searched", "results",
                 "results_read", "found", "note"]
SOURCE_COLUMNS = ("claim_source_id", "blame_source_id", "libya_link_source_id")
TOTAL_FIELDS = ["total_id", "first_year", "year", "measure", "value", "publisher", "source_id",
                "note"]


def read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fields_of(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


def write(path: Path, rows: list[dict], fields: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k) or "" for k in fields})


def total_id(row: dict, taken: set[str]) -> str:
    """A published total's id: the folder's own `total_id` when it gives one (its translations
    use it as row_id), else a slug of its source and year; made unique with -2, -3..."""
    base = (row.get("total_id") or "").strip() or f"{row['source_id']}-{row['year']}"
    base = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def normal_date(row: dict, date: str, precision: str | None) -> None:
    """A month given as YYYY-MM, or as a day other than the first, stored as its first day; no
    precision without a date."""
    value = (row.get(date) or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}", value):
        value, row[precision] = f"{value}-01", "month"
    if precision and row.get(precision) == "month" and value:
        value = value[:8] + "01"
    if precision and row.get(precision) == "year" and value:
        value = value[:4] + "-01-01"
    row[date] = value
    if precision and not value:
        row[precision] = ""


def month_end(value: str) -> str:
    year, month = int(value[:4]), int(value[5:7])
    following = f"{year + month // 12}-{month % 12 + 1:02d}-01"
    import datetime
    day = datetime.date.fromisoformat(following) - datetime.timedelta(days=1)
    return day.isoformat()


def citation(row: dict) -> str:
    title = f' "{row["title"]}."' if row.get("title") else ""
    when = row.get("date_published") or "n.d."
    url = f" {row['url']}." if row.get("url") else ""
    return f"{row['producer']}.{title} {when}.{url}"


def append_sources(rows: list[dict]) -> dict[str, str]:
    """Append sources not yet in the table (by id or address); returns the ids of those
    already there under another id: {new id: id in the table}."""
    table = read(DATA / "sources.csv")
    ids = {r["source_id"] for r in table}
    urls = {r["url"]: r["source_id"] for r in table if r["url"]}
    extra = read(NEW_SOURCES)
    alias = {}
    for row in rows:
        normal_date(row, "date_published", "published_precision")
        row["url"] = re.sub(r"/?\{\{[^}]*\}\}.*$", "", row.get("url") or "")
        if row["source_id"] in ids:
            continue
        if row.get("url") and row["url"] in urls:
            alias[row["source_id"]] = urls[row["url"]]
            continue
        fine = dict(row)
        fine.setdefault("date_accessed", ACCESSED)
        fine["date_accessed"] = fine.get("date_accessed") or ACCESSED
        fine["citation"] = fine.get("citation") or citation(fine)
        fine["license"] = fine.get("license") or (
            f"Copyright {fine['producer']}; facts cited, no text copied")
        if not fine.get("date_published"):
            fine["published_precision"] = ""
        now = dict(fine, kind=KIND_NOW.get(fine["kind"], fine["kind"]))
        table.append(now)
        extra.append(fine)
        ids.add(row["source_id"])
        urls[row.get("url")] = row["source_id"]
    write(DATA / "sources.csv", table, SOURCE_FIELDS)
    write(NEW_SOURCES, extra, NEW_FIELDS)
    return alias


def coordinates_record(updates: dict[str, tuple[str, str, str]]) -> None:
    """Write the coordinates record and refresh its source row's checksum."""
    rows = {r["attack_id"]: r for r in read(COORDINATES)}
    for attack, (lat, lon, note) in updates.items():
        rows[attack] = {"attack_id": attack, "latitude": lat, "longitude": lon, "note": note}
    write(COORDINATES, sorted(rows.values(), key=lambda r: r["attack_id"]),
          ["attack_id", "latitude", "longitude", "note"])
    digest = hashlib.sha256(COORDINATES.read_bytes()).hexdigest()
    table = read(DATA / "sources.csv")
    if not any(r["source_id"] == COORDINATES_SOURCE for r in table):
        append_sources([{
            "source_id": COORDINATES_SOURCE, "kind": "project-team",
            "title": "Coordinates of the places of attacks, with where each comes from",
            "short_title": "Attack coordinates", "producer": "Project team",
            "newsroom": "Project team", "citation": "Coordinates of the places of attacks as "
            "recorded by the project team, each with a note on where it comes from (a town "
            "centre from a gazetteer, a mountain's summit), in raw/attack_coordinates.csv.",
            "license": "Public domain (facts)", "path": "raw/attack_coordinates.csv",
            "language": "en"}])
        table = read(DATA / "sources.csv")
    for row in table:
        if row["source_id"] == COORDINATES_SOURCE:
            row["sha256"] = digest
    write(DATA / "sources.csv", table, SOURCE_FIELDS)


def year_of(search: dict, period: tuple[int, int]) -> str:
    """The year a search was about: one named in its query or note, within the period."""
    years = {int(y) for y in re.findall(r"\b(20[12]\d)\b", f"{search['query']} {search['note']}")}
    years = sorted(y for y in years if period[0] <= y <= period[1])
    return str(years[0]) if len(years) == 1 else ""


def merge(folder: Path) -> dict:
    period = tuple(int(y) for y in re.findall(r"\d{4}", folder.name)) or (2014, 2024)
    period = (period[0], period[-1])
    prefix = folder.name.replace("-", "")
    sources = read(folder / "sources.csv")
    kinds = {s["source_id"]: s["kind"] for s in sources}
    attacks = read(DATA / "attacks.csv")
    fields = fields_of(DATA / "attacks.csv")
    by_id = {a["attack_id"]: a for a in attacks}
    by_day = {(a["start_date"], a["governorate"]): a["attack_id"] for a in attacks}
    same: dict[str, str] = {}
    report = {"added": 0, "existing": 0, "dropped": [], "tolls": 0}
    coords = {}
    for row in read(folder / "attacks.csv"):
        known = by_id.get(row["attack_id"]) and row["attack_id"] or by_day.get(
            (row["start_date"], row["governorate"]))
        if known:
            same[row["attack_id"]] = known
            report["existing"] += 1
            continue
        if kinds.get(row["source_id"], "wiki") in NOT_A_SOURCE:
            report["dropped"].append(row["attack_id"])
            continue
        normal_date(row, "stated_date", "stated_precision")
        if row["date_precision"] == "month":
            row["start_date"] = row["start_date"][:8] + "01"
            row["end_date"] = month_end(row["end_date"])
        coords[row["attack_id"]] = (row["latitude"], row["longitude"], row["coordinates_note"])
        row["coordinates_source_id"] = COORDINATES_SOURCE
        attacks.append({k: row.get(k, "") for k in fields})
        by_id[row["attack_id"]] = row
        report["added"] += 1
    tolls = read(DATA / "tolls.csv")
    toll_fields = fields_of(DATA / "tolls.csv")
    have = {(t["attack_id"], t["category"]) for t in tolls}
    ids = {t["toll_id"] for t in tolls}
    for row in read(folder / "tolls.csv"):
        attack = same.get(row["attack_id"], row["attack_id"])
        if attack not in by_id or attack in report["dropped"]:
            continue
        if row["attack_id"] in same and (attack, row["category"]) in have:
            continue
        row["attack_id"] = attack
        normal_date(row, "stated_date", "stated_precision")
        if row["toll_id"] in ids:
            row["toll_id"] = f"{row['toll_id']}-{prefix}"
        ids.add(row["toll_id"])
        tolls.append({k: row.get(k, "") for k in toll_fields})
        report["tolls"] += 1
    used = {r["source_id"] for r in attacks} | {r["source_id"] for r in tolls} | {
        r.get(k) for r in attacks for k in SOURCE_COLUMNS}
    alias = append_sources([s for s in sources if s["source_id"] in used])
    for row in [*attacks, *tolls]:
        for key in ("source_id", *SOURCE_COLUMNS):
            if row.get(key) in alias:
                row[key] = alias[row[key]]
    write(DATA / "attacks.csv", sorted(attacks, key=lambda a: (a["start_date"], a["attack_id"])),
          fields)
    write(DATA / "tolls.csv", tolls, toll_fields)
    coordinates_record(coords)
    searches = read(DATA / "census_searches.csv")
    for row in read(folder / "searches.csv"):
        row["search_id"] = f"{prefix}-{row['search_id']}".lower()
        row["year"] = year_of(row, period)
        searches.append(row)
    write(DATA / "census_searches.csv", searches, SEARCH_FIELDS)
    totals = read(DATA / "totals.csv")
    total_ids = {t["total_id"] for t in totals}
    new_totals = {}  # the folder's total_id (or the id given) -> the id written
    for row in read(folder / "totals.csv"):
        span = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", row["year"].strip())
        if not span:
            continue
        row["first_year"] = span[1] if span[2] else ""
        row["year"] = span[2] or span[1]
        staged, row["total_id"] = row.get("total_id"), total_id(row, total_ids)
        total_ids.add(row["total_id"])
        new_totals[staged or row["total_id"]] = row["total_id"]
        totals.append(row)
    alias = append_sources([s for s in sources
                            if s["source_id"] in {t["source_id"] for t in totals}])
    for row in totals:
        row["source_id"] = alias.get(row["source_id"], row["source_id"])
    write(DATA / "totals.csv", totals, TOTAL_FIELDS)
    translations = read(DATA / "translations.csv")
    known = {(t["resource"], t["row_id"], t["field"], t["lang"]) for t in translations}
    for row in read(folder / "translations.csv"):
        if row["resource"] == "totals":
            row["row_id"] = new_totals.get(row["row_id"], "")
        key = (row["resource"], row["row_id"], row["field"], row["lang"])
        ours = (row["resource"] == "totals" and row["row_id"]) or (
            row["row_id"] in by_id and row["row_id"] not in same)
        if ours and key not in known:
            translations.append(row)
            known.add(key)
    write(DATA / "translations.csv", translations, fields_of(DATA / "translations.csv"))
    return report


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(name, merge(Path(name)))
