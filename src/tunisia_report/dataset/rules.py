"""The article's dataset: the rules across fields and tables that a column schema cannot state
(figures, events, places, sources and their stored files, quotes, translations and editions,
claims, the map's places, amounts in words). `dataset.validate` runs them after the Table Schema
checks; each appends its problems (file, line, field, expected, found) to the list it is given.
A cell that failed its own check is not reported again here.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from tunisia_report.dataset import gazetteer, numbers
from tunisia_report.dataset.files import PackageFileError, display_path, read_package_file
from tunisia_report.dataset.schema import TRANSLATED_FIELDS, read_descriptor, resources
from tunisia_report.exceptions import DataValidationError, Problem
from tunisia_report.paths import GEOJSON


def normalise(text: str) -> str:
    """Collapse runs of whitespace, so quotes match across line breaks."""
    return " ".join(text.split())


def check_sources(tables: dict, data_dir: Path, problems: list[Problem]) -> dict[str, str]:
    """Each source file exists and matches its sha256; returns the normalised texts by id."""
    shown = display_path(data_dir / "sources.csv")
    texts = {}
    for row in tables.get("sources", []):
        if not row.get("path"):
            continue
        try:
            raw = read_package_file(data_dir, row["path"])
        except PackageFileError as exc:
            found = row["path"] if exc.found == "no such file" else exc.found
            problems.append(Problem(shown, row["_line"], "path", exc.expected, found))
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if row.get("sha256") and digest != row["sha256"]:
            expected = f"{row['path']} to have the recorded sha256 {row['sha256']}"
            found = f"{digest} (the file was changed)"
            problems.append(Problem(shown, row["_line"], "sha256", expected, found))
            continue
        texts[row["source_id"]] = normalise(raw.decode("utf-8", errors="replace"))
    return texts


def check_quotes(res_list, tables: dict, texts: dict, data_dir: Path, problems: list[Problem]):
    """Every quote appears verbatim (whitespace-normalised) in the text of its source."""
    for resource in res_list:
        if "quote" not in resource.field_names:
            continue
        shown = display_path(data_dir / resource.path)
        for row in tables.get(resource.name, []):
            quote, source = row.get("quote"), row.get("source_id")
            if not quote or source not in texts:
                continue
            if normalise(quote) not in texts[source]:
                expected = f"words that appear verbatim in the source {source}"
                problems.append(Problem(shown, row["_line"], "quote", expected, repr(quote)))


def empty_cell(row: dict, name: str) -> bool:
    """The cell is there and empty (not a value that failed its own check, already reported)."""
    return name in row and row[name] is None and name not in row.get("_invalid", ())


def check_rules(tables: dict, data_dir: Path, problems: list[Problem]):
    """Rules across fields that a column schema cannot state; a cell that failed its own check
    is not reported again here."""
    shown = display_path(data_dir / "figures.csv")
    for row in tables.get("figures", []):
        kind, has_value = row.get("value_kind"), row.get("value") is not None
        if kind == "qualitative" and has_value:
            problems.append(Problem(shown, row["_line"], "value", "no value for a qualitative "
                                    "amount", repr(row["value"])))
        elif kind and kind != "qualitative" and empty_cell(row, "value"):
            problems.append(Problem(shown, row["_line"], "value", f"a number for an {kind} "
                                    "figure", "an empty cell"))
    shown = display_path(data_dir / "events.csv")
    for row in tables.get("events", []):
        start, end = row.get("start_date"), row.get("end_date")
        precision = row.get("date_precision")
        if precision == "before" and start is not None:
            problems.append(Problem(shown, row["_line"], "start_date", "no start date for "
                                    "precision 'before'", start.isoformat()))
        elif precision in ("day", "month", "year") and empty_cell(row, "start_date"):
            problems.append(Problem(shown, row["_line"], "start_date", f"a start date for "
                                    f"precision '{precision}'", "an empty cell"))
        elif start and end and start > end:
            problems.append(Problem(shown, row["_line"], "end_date", f"a date on or after the "
                                    f"start date {start}", end.isoformat()))
    check_translations(tables, data_dir, problems)
    shown = display_path(data_dir / "places.csv")
    for row in tables.get("places", []):
        if row.get("kind") not in (None, "country"):
            for name in ("latitude", "longitude"):
                if empty_cell(row, name):
                    problems.append(Problem(shown, row["_line"], name, f"a {name} for a "
                                            f"{row['kind']}", "an empty cell"))


def check_translations(tables: dict, data_dir: Path, problems: list[Problem]):
    """Each translation names a row that exists and a field that editions translate."""
    shown = display_path(data_dir / "translations.csv")
    # Each translated table's key is its first column (figure_id, event_id, thesis_id, ...).
    keys = {name: {row_key(r) for r in tables.get(name, [])}
            for name in TRANSLATED_FIELDS if name in tables}
    for row in tables.get("translations", []):
        resource, row_id, field = row.get("resource"), row.get("row_id"), row.get("field")
        if resource in keys and row_id not in keys[resource]:
            problems.append(Problem(shown, row["_line"], "row_id", f"an id of {resource}",
                                    repr(row_id)))
        fields = TRANSLATED_FIELDS.get(resource, ())
        if resource and field and field not in fields:
            problems.append(Problem(shown, row["_line"], "field", "a translated field of "
                                    f"{resource}: {', '.join(fields)}", repr(field)))
    check_editions(tables, data_dir, problems)


def edition_languages(data_dir: Path) -> list[str]:
    """The languages of the editions other than the dataset's own: those the `lang` column of
    the translations table admits."""
    try:
        descriptor = read_descriptor(data_dir)
    except DataValidationError:
        return []
    for resource in resources(descriptor):
        if resource.name == "translations":
            for field in resource.fields:
                if field["name"] == "lang":
                    return list(field.get("constraints", {}).get("enum", []))
    return []


def map_countries(data_dir: Path) -> list[str]:
    """The ISO codes of the map's countries (tunisia_region.geojson), whose names each edition
    translates; none when the package holds no map."""
    try:
        features = json.loads(read_package_file(data_dir, GEOJSON.name))["features"]
        return [f["properties"]["iso_a3"] for f in features]
    except (PackageFileError, ValueError, KeyError, TypeError):
        return []  # no map here: the map's own checks say so when it is drawn


def check_editions(tables: dict, data_dir: Path, problems: list[Problem]):
    """Every text an edition shows in its language has its translation: each translated field
    that holds a value, in each edition's language, and the map's country names."""
    given = {(r.get("resource"), r.get("row_id"), r.get("field"), r.get("lang"))
             for r in tables.get("translations", [])}
    languages = edition_languages(data_dir)
    for name, fields in TRANSLATED_FIELDS.items():
        if name == "countries" or name not in tables:
            continue
        shown = display_path(data_dir / f"{name}.csv")
        for row in tables[name]:
            key = row_key(row)  # the first column, as for check_translations ('thesis_id')
            for field in fields:
                if row.get(field) in (None, "") or key is None:
                    continue  # nothing to translate (an empty cell stays empty)
                for lang in languages:
                    if (name, key, field, lang) not in given:
                        problems.append(Problem(
                            shown, row["_line"], field, f"its {lang!r} text in translations.csv "
                            f"(the {lang} edition shows it)", "none"))
    shown = display_path(data_dir / "translations.csv")
    for iso in map_countries(data_dir) if "translations" in tables else []:
        for lang in languages:
            if ("countries", iso, "name", lang) not in given:
                problems.append(Problem(shown, None, "text", f"the {lang!r} name of the map's "
                                        f"country {iso} (the {lang} edition's map shows it)",
                                        "none"))


def row_key(row: dict):
    """A typed row's id: the value of its first column."""
    return next((value for name, value in row.items() if not name.startswith("_")), None)


def check_sources_rules(tables: dict, data_dir: Path, problems: list[Problem]):
    """A stored file has both its path and its sha256; the article's text is stored; a date of
    publication has its precision, and a month is stored as its first day."""
    shown = display_path(data_dir / "sources.csv")
    for row in tables.get("sources", []):
        line = row["_line"]
        if "path" in row and "sha256" in row and (row["path"] is None) != (row["sha256"] is None):
            field, given = ("sha256", "path") if row["sha256"] is None else ("path", "sha256")
            problems.append(Problem(shown, line, field, f"a {field} with the {given}",
                                    "an empty cell"))
        if row.get("kind") == "article" and "path" in row and row["path"] is None:
            problems.append(Problem(shown, line, "path", "the stored text of the article",
                                    "an empty cell"))
        published, precision = row.get("date_published"), row.get("published_precision")
        if "published_precision" not in row:
            continue
        if (published is None) != (precision is None):
            expected = ("a precision for the date published" if precision is None
                        else "no precision without a date published")
            found = "an empty cell" if precision is None else repr(precision)
            problems.append(Problem(shown, line, "published_precision", expected, found))
        elif precision == "month" and published.day != 1:
            problems.append(Problem(shown, line, "date_published", "the first day of the month "
                                    "for precision 'month'", published.isoformat()))
        if row.get("url") is not None and (wrong := url_problem(row["url"])):
            problems.append(Problem(shown, line, "url", wrong, repr(row["url"])))
    check_copies(tables, shown, problems)


TITLE_FROM_URL = re.compile(r"^\s*(https?://|www\.)|\b(taken|read) from the URL\b", re.I)


def check_copies(tables: dict, shown: str, problems: list[Problem]):
    """The copy rule and what a source cites: a title that is neither a URL nor read from one;
    a date or a note saying why there is none; a mirror (a copy whose newsroom is unknown) has
    no newsroom and names its copy host, and every other source has a newsroom; a publisher
    (producer) has one kind everywhere."""
    kinds: dict[str, tuple[str, int]] = {}
    for row in tables.get("sources", []):
        line = row["_line"]
        if "title" in row and row["title"] is not None and TITLE_FROM_URL.search(row["title"]):
            problems.append(Problem(shown, line, "title", "the title the page shows, not its URL "
                                    "or words read from it", repr(row["title"])))
        if "date_note" in row and row.get("date_published") is None and not row["date_note"]:
            problems.append(Problem(shown, line, "date_note", "why there is no date published",
                                    "an empty cell"))
        kind = row.get("kind")
        if "newsroom" in row and kind == "mirror":
            if row["newsroom"] is not None:
                problems.append(Problem(shown, line, "newsroom", "no newsroom for a mirror (a "
                                        "copy whose newsroom is known is coded as that "
                                        "newsroom's, with its copy_host)", repr(row["newsroom"])))
            if "copy_host" in row and row["copy_host"] is None:
                problems.append(Problem(shown, line, "copy_host", "the copy site of a mirror",
                                        "an empty cell"))
        elif "newsroom" in row and row["newsroom"] is None:
            problems.append(Problem(shown, line, "newsroom", "the newsroom that wrote the text "
                                    "(kind 'mirror' when it is unknown)", "an empty cell"))
        producer = row.get("producer")
        if producer is None or kind is None:
            continue
        first = kinds.setdefault(producer, (kind, line))
        if first[0] != kind:
            problems.append(Problem(shown, line, "kind", f"{first[0]!r}, the kind of "
                                    f"{producer!r} on line {first[1]} (a publisher has one "
                                    "kind)", repr(kind)))


TEMPLATE_LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\$\{|%7B%7B|%7D%7D", re.I)


def url_problem(url: str) -> str | None:
    """What a source's URL should be, if it is not an absolute http(s) URL free of template
    leftovers ('{{url}}', '${id}')."""
    if not re.match(r"https?://[^/\s?#]+\.[^/\s?#]+", url) or re.search(r"\s", url):
        return "an absolute http(s) URL"
    if TEMPLATE_LEFTOVER.search(url):
        return "a URL without template leftovers such as '{{url}}'"
    return None


def check_claims(tables: dict, data_dir: Path, problems: list[Problem]):
    """Each row of claims names one of the article's figures or events."""
    if "claims" not in tables:
        return
    shown = display_path(data_dir / "claims.csv")
    known = ({r.get("figure_id") for r in tables.get("figures", [])}
             | {r.get("event_id") for r in tables.get("events", [])})
    for row in tables["claims"]:
        if row.get("claim_id") is not None and row["claim_id"] not in known:
            problems.append(Problem(shown, row["_line"], "claim_id",
                                    "the id of a figure or an event", repr(row["claim_id"])))




def check_map_coordinates(res_list, tables: dict, data_dir: Path, problems: list[Problem]):
    """Whatever a map draws (each row of a table with a latitude and a longitude) lies within
    the maps' region, Tunisia and its neighbours' borderlands (`gazetteer.REGION`): a point
    outside it would silently not be drawn."""
    lon0, lon1, lat0, lat1 = gazetteer.REGION
    for resource in res_list:
        if not {"latitude", "longitude"} <= set(resource.field_names):
            continue
        shown = display_path(data_dir / resource.path)
        for row in tables.get(resource.name, []):
            for name, low, high in (("latitude", lat0, lat1), ("longitude", lon0, lon1)):
                value = row.get(name)
                if value is not None and not low <= value <= high:
                    problems.append(Problem(
                        shown, row["_line"], name, f"a {name} within the maps' region, "
                        f"{low} to {high} (Tunisia and its borders)", repr(value)))


def check_place_names(res_list, tables: dict, data_dir: Path, problems: list[Problem]):
    """A place the map labels and the text names (the `place` of a table that also gives its
    coordinates: attacks) resolves to a known place: a row of places (its name, or the name
    it gives in brackets) or a locality of Tunisia (`gazetteer`), by the name before any
    bracketed detail ('Tunis (Bardo)' is Tunis); and its coordinates lie within
    `gazetteer.NEAR_KM` of that place."""
    known: dict[str, tuple[str, float | None, float | None]] = {}
    for row in tables.get("places", []):
        name = row.get("name") or ""
        where = (name, row.get("latitude"), row.get("longitude"))
        for part in re.split(r"\s*[()]\s*", name):
            if part:
                known.setdefault(gazetteer.key(part), where)
    for resource in res_list:
        if not {"place", "latitude", "longitude"} <= set(resource.field_names):
            continue
        shown = display_path(data_dir / resource.path)
        for row in tables.get(resource.name, []):
            place = row.get("place")
            if place is None:
                continue
            head = place.split(" (")[0]
            where = known.get(gazetteer.key(head)) or gazetteer.localities().get(
                gazetteer.key(head))
            if where is None:
                problems.append(Problem(shown, row["_line"], "place", "the name of a row of "
                                        "places.csv or of a locality of Tunisia (before any "
                                        "detail in brackets)", repr(place)))
                continue
            name, lat, lon = where
            point = row.get("latitude"), row.get("longitude")
            if lat is None or None in point:
                continue
            away = gazetteer.distance_km((lat, lon), point)
            if away > gazetteer.NEAR_KM:
                problems.append(Problem(
                    shown, row["_line"], "latitude,longitude", f"coordinates within "
                    f"{gazetteer.NEAR_KM:.0f} km of {name} ({lat}, {lon}), the place named",
                    f"{point[0]}, {point[1]} ({away:.0f} km away)"))


def check_amount_words(res_list, tables: dict, data_dir: Path, problems: list[Problem]):
    """Where the article gives a number in words and the row its value, they agree, read in
    the source's language (sources.csv `language`; English where it does not say): a figure's
    `amount_text` ('twenty' is 20) and the numbers its quote states; and a figure's amount_text
    appears in its quote."""
    sources = {r.get("source_id"): r for r in tables.get("sources", [])}
    for resource in res_list:
        names = set(resource.field_names)
        if not {"value", "quote", "source_id"} <= names:
            continue
        shown = display_path(data_dir / resource.path)
        for row in tables.get(resource.name, []):
            value, quote = row.get("value"), row.get("quote")
            if value is None or quote is None or "value" in row["_invalid"]:
                continue
            lang = (sources.get(row.get("source_id")) or {}).get("language") or "en"
            words = row.get("amount_text")
            stated = numbers.parse(words, lang) if words else None
            if stated is not None and stated != value:
                problems.append(Problem(shown, row["_line"], "value", f"{stated}, the number "
                                        f"the words {words!r} give", repr(value)))
                continue
            if words and normalise(words).casefold() not in normalise(quote).casefold():
                problems.append(Problem(shown, row["_line"], "amount_text", "the article's "
                                        "words as its quote gives them", repr(words)))
            said = numbers.numbers_in(quote, lang)
            if said and value not in said and (stated is None or words is None):
                problems.append(Problem(shown, row["_line"], "value", "one of the numbers its "
                                        f"quote states ({', '.join(map(str, said))})",
                                        repr(value)))
