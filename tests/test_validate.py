"""Validation catches each kind of defect, with a clear message naming file, row and field."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers import PYTHON, read_table, set_cell
from tunisia_report.dataset.validate import collect_problems, validate
from tunisia_report.exceptions import DataValidationError
from tunisia_report.parameters import project_report_date


def replace_in(name: str, old: str, new: str):
    def corrupt(data: Path):
        path = data / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture text {old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return corrupt


def write_bytes(name: str, transform):
    def corrupt(data: Path):
        path = data / name
        path.write_bytes(transform(path.read_bytes()))
    return corrupt


def drop_column(name: str, column: str):
    def corrupt(data: Path):
        path = data / name
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        assert header[-1] == column
        path.write_text("\n".join(",".join(line.rsplit(",", 1)[:1]) for line in lines) + "\n")
    return corrupt


# (id, corruption, file, line, field, words in the message)
CASES = [
    ("missing-column", drop_column("sources.csv", "sha256"),
     "sources.csv", 1, "sha256", "expected a column 'sha256', got no such column"),
    ("extra-column", replace_in("actors.csv", "source_id,quote\n", "source_id,quote,notes\n"),
     "actors.csv", 1, "notes", "an extra column 'notes'"),
    ("wrong-type", replace_in("figures.csv", ",14,fourteen,", ",fourteen,fourteen,"),
     "figures.csv", 2, "value", "expected a whole number, got 'fourteen'"),
    ("negative-count", replace_in("figures.csv", ",20,twenty,", ",-20,twenty,"),
     "figures.csv", 3, "value", "expected a value of at least 0, got '-20'"),
    ("unknown-category", replace_in("events.csv", ",diplomacy,", ",tourism,"),
     "events.csv", 5, "category", "expected one of assassination, attack"),
    ("dangling-foreign-key", replace_in("events.csv", ",mount-chaambi,", ",mount-olympus,"),
     "events.csv", 11, "place_id", "expected an existing places place_id, got 'mount-olympus'"),
    ("duplicate-id", replace_in("places.csv", "syria,Syria", "libya,Syria"),
     "places.csv", 5, "place_id", "expected a unique value, got 'libya' again (first on line 4)"),
    ("quote-not-in-source", replace_in("figures.csv", "left fourteen soldiers dead",
                                       "left fifteen soldiers dead"),
     "figures.csv", 2, "quote", "expected words that appear verbatim in the source bechri-2014"),
    ("tampered-source", replace_in("raw/tunisia-security-first-policy-2014-07-23.txt",
                                   "fourteen soldiers", "fifteen soldiers"),
     "sources.csv", 2, "sha256", "(the file was changed)"),
    ("impossible-date", replace_in("events.csv", "2014-02-01,2014-02-28", "2014-02-01,2014-02-30"),
     "events.csv", 5, "end_date", "expected a real calendar date as YYYY-MM-DD, got '2014-02-30'"),
    ("empty-file", write_bytes("measures.csv", lambda b: b""),
     "measures.csv", None, None, "expected a CSV file with a header row, got an empty file"),
    ("byte-order-mark", write_bytes("actors.csv", lambda b: b"\xef\xbb\xbf" + b),
     "actors.csv", 1, None, "expected UTF-8 without a byte-order mark"),
    ("not-utf8", write_bytes("places.csv", lambda b: b.replace(b"Tunis,", b"Tun\xefs,", 1)),
     "places.csv", 6, None, "expected UTF-8 text, got the byte 0xef"),
    ("qualitative-with-number", replace_in("figures.csv", ",,several,", ",3,several,"),
     "figures.csv", 9, "value", "expected no value for a qualitative amount, got 3"),
]


def test_real_dataset_is_valid(repo_root):
    assert collect_problems(repo_root / "data") == []


@pytest.mark.parametrize(("case", "corrupt", "file", "line", "field", "words"), CASES,
                         ids=[c[0] for c in CASES])
def test_each_defect_is_reported(data_copy, case, corrupt, file, line, field, words):
    corrupt(data_copy)
    with pytest.raises(DataValidationError) as info:
        validate(data_copy)
    problems = info.value.problems
    matching = [p for p in problems if p.file.endswith(file) and p.row == line
                and p.field == field and words in str(p)]
    assert matching, "\n".join(str(p) for p in problems)
    where = f"{file}:{line}" if line else file
    assert where in str(matching[0])


def test_all_problems_are_reported_at_once(data_copy):
    replace_in("figures.csv", ",14,fourteen,", ",fourteen,fourteen,")(data_copy)
    replace_in("events.csv", ",mount-chaambi,", ",nowhere,")(data_copy)
    problems = collect_problems(data_copy)
    assert {p.field for p in problems} >= {"value", "place_id"}


@pytest.mark.parametrize("case", ["wrong-type", "empty-file", "not-utf8"])
def test_cli_prints_problems_and_exits_1(data_copy, case):
    corrupt = next(c[1] for c in CASES if c[0] == case)
    corrupt(data_copy)
    proc = subprocess.run([PYTHON, "-m", "tunisia_report", "validate", str(data_copy)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "problem(s): the dataset is not valid" in proc.stderr


def test_cli_accepts_valid_data(data_copy):
    proc = subprocess.run([PYTHON, "-m", "tunisia_report", "validate", str(data_copy)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "valid" in proc.stdout


def test_frictionless_agrees(repo_root):
    exe = Path(PYTHON).parent / "frictionless"
    proc = subprocess.run([str(exe), "validate", "data/datapackage.json"], cwd=repo_root,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:]


# A defect gets one message: no second one about what follows from it.
ONE_PROBLEM = [
    ("negative-count", replace_in("figures.csv", ",20,twenty,", ",-20,twenty,"),
     "figures.csv:3: value: expected a value of at least 0, got '-20'"),
    ("quoted-thousands", replace_in("figures.csv", ",8000,", ',"8,000",'),
     "figures.csv:6: value: expected a whole number, got '8,000'"),
    ("unquoted-thousands", replace_in("figures.csv", ",8000,", ",8,000,"),
     "figures.csv:6: value: expected a whole number, got '8,000' (its unquoted comma made 2 "
     "cells of it)"),
    ("unquoted-comma-in-text", replace_in("events.csv", "Ennahda forced to step down",
                                          "Ennahda, forced to step down"),
     "events.csv:3: title: expected the text quoted, as it holds a comma, got 'Ennahda, forced "
     "to step down' (its unquoted comma made 2 cells of it)"),
    ("bad-start-date", replace_in("events.csv", "2014-02-01,2014-02-28,month",
                                  "2014-02-31,2014-02-28,month"),
     "events.csv:5: start_date: expected a real calendar date as YYYY-MM-DD, got '2014-02-31'"),
]


@pytest.mark.parametrize(("case", "corrupt", "message"), ONE_PROBLEM,
                         ids=[c[0] for c in ONE_PROBLEM])
def test_one_message_per_problem(data_copy, case, corrupt, message):
    corrupt(data_copy)
    problems = [str(p) for p in collect_problems(data_copy)]
    assert len(problems) == 1, problems
    assert problems[0].endswith(message), problems


def _descriptor(edit):
    def corrupt(data: Path):
        import json

        path = data / "datapackage.json"
        path.write_text(json.dumps(edit(json.loads(path.read_text()))))
    return corrupt


def _without_schema(d):
    del d["resources"][2]["schema"]
    return d


def _bad_type(d):
    d["resources"][1]["schema"]["fields"][0]["type"] = "money"
    return d


# A descriptor that is valid JSON of the wrong shape: problems, not a traceback.
DESCRIPTOR_SHAPES = [
    ("a-list", _descriptor(lambda d: []), ["datapackage.json: expected an object, got a list"]),
    ("no-resources", _descriptor(lambda d: {"name": "x"}),
     ["datapackage.json: resources: expected a list of resources, got none"]),
    ("no-schema", _descriptor(_without_schema),
     ["datapackage.json: resources[2].schema: expected a schema, got none"]),
    ("unknown-type", _descriptor(_bad_type),
     ["datapackage.json: resources[1].schema.fields[0].type: expected one of string, integer, "
      "number, date, got the text 'money'"]),
]


@pytest.mark.parametrize(("case", "corrupt", "messages"), DESCRIPTOR_SHAPES,
                         ids=[c[0] for c in DESCRIPTOR_SHAPES])
def test_descriptor_of_the_wrong_shape_is_a_problem(data_copy, case, corrupt, messages):
    corrupt(data_copy)
    proc = subprocess.run([PYTHON, "-m", "tunisia_report", "validate", str(data_copy)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == len(messages) + 1, lines
    for line, message in zip(lines, messages, strict=False):
        assert line.endswith(message), lines


# --- the public record: reports, their sources and event_actors ----------------------------

MONTHLY = "chaambi-soldiers-killed--kapitalis-2014-07-chaambi-toll"  # a page of 17 July 2014
KILLED = "chaambi-soldiers-killed--reuters-2014-07-17-chaambi"  # reports.csv line 2
ATTACK = "chaambi-attack--reuters-2014-07-17-chaambi"  # reports.csv line 5
REUTERS = "reuters-2014-07-17-chaambi"  # sources.csv line 5

# (id, [(table, key, field, value), ...], file, line, field, words in the message)
RECORD_CASES = [
    ("report-about-both", [("reports", KILLED, "event_id", "chaambi-attack")],
     "reports.csv", 2, "figure_id,event_id", "expected exactly one of figure_id and event_id, "
     "got both"),
    ("report-about-nothing", [("reports", KILLED, "figure_id", "")],
     "reports.csv", 2, "figure_id,event_id", "got neither"),
    ("unknown-subject", [("reports", KILLED, "figure_id", "soldiers-missing")],
     "reports.csv", 2, "figure_id", "expected an existing figures figure_id, got "
     "'soldiers-missing'"),
    ("unknown-source", [("reports", KILLED, "source_id", "reuters-2099")],
     "reports.csv", 2, "source_id", "expected an existing sources source_id, got 'reuters-2099'"),
    ("source-without-url", [("sources", REUTERS, "url", "")],
     "reports.csv", 2, "source_id", "expected a source with a URL, got 'reuters-2014-07-17-"
     "chaambi', which has none"),
    ("source-without-access-date", [("sources", REUTERS, "date_accessed", "")],
     "sources.csv", 5, "date_accessed", "expected a value (required), got an empty cell"),
    ("unreal-report-date", [("reports", ATTACK, "end_date", "2014-07-32")],
     "reports.csv", 5, "end_date", "expected a real calendar date as YYYY-MM-DD"),
    ("report-dates-reversed", [("reports", ATTACK, "start_date", "2014-07-18")],
     "reports.csv", 5, "end_date", "expected a date on or after the start date 2014-07-18, got "
     "2014-07-16"),
    ("month-not-spanned", [("reports", ATTACK, "date_precision", "month")],
     "reports.csv", 5, "start_date", "expected the first day of a month for precision 'month', "
     "got 2014-07-16"),
    ("dates-without-precision", [("reports", ATTACK, "date_precision", "")],
     "reports.csv", 5, "date_precision", "expected a date_precision for the dates"),
    ("wrong-unit", [("reports", KILLED, "unit", "troops")],
     "reports.csv", 2, "unit", "expected the unit of figure chaambi-soldiers-killed, 'soldiers', "
     "got 'troops'"),
    ("number-called-qualitative", [("reports", KILLED, "value_kind", "qualitative")],
     "reports.csv", 2, "value_kind", "expected exact, estimate or lower_bound for a number"),
    ("amount-for-an-event", [("reports", ATTACK, "value", "3")],
     "reports.csv", 5, "value", "expected no amount in a report about an event, got 3"),
    ("place-without-relation", [("reports", ATTACK, "place_relation", "")],
     "reports.csv", 5, "place_relation", "expected a place_relation exactly when a place is "
     "given"),
    ("stored-file-without-digest", [("sources", "bechri-2014", "sha256", "")],
     "sources.csv", 2, "sha256", "expected a sha256 with the path, got an empty cell"),
    ("month-published-midmonth", [("sources", REUTERS, "published_precision", "month")],
     "sources.csv", 5, "date_published", "expected the first day of the month"),
    ("unknown-actor-in-event", [("event_actors", "ennahda-steps-down", "actor_id", "nobody")],
     "event_actors.csv", 7, "actor_id", "expected an existing actors actor_id, got 'nobody'"),
    ("url-template-leftover", [("sources", REUTERS, "url", "https://example.org/news/{{url}}")],
     "sources.csv", 5, "url", "expected a URL without template leftovers such as '{{url}}', "
     "got 'https://example.org/news/{{url}}'"),
    ("url-relative", [("sources", REUTERS, "url", "/article/tunisia-violence")],
     "sources.csv", 5, "url", "expected an absolute http(s) URL, got '/article/tunisia-violence'"),
    ("url-not-http", [("sources", REUTERS, "url", "ftp://in.reuters.com/article")],
     "sources.csv", 5, "url", "expected an absolute http(s) URL"),
    ("stated-after-published", [("reports", KILLED, "stated_date", "2014-07-18")],
     "reports.csv", 2, "stated_date", "expected a date on or before its page's publication "
     "(2014-07-17, day), got 2014-07-18"),
    ("stated-after-published-month", [("reports", MONTHLY, "stated_date", "2014-08-01"),
                                      ("reports", MONTHLY, "stated_precision", "month")],
     "reports.csv", 27, "stated_date", "expected a date on or before its page's publication "
     "(2014-07-17, day), got 2014-08-01"),
    ("stated-without-precision", [("reports", KILLED, "stated_precision", "")],
     "reports.csv", 2, "stated_precision", "expected a stated_precision with the stated_date, "
     "got an empty cell"),
    ("stated-month-midmonth", [("reports", KILLED, "stated_precision", "month")],
     "reports.csv", 2, "stated_date", "expected the first day of the month for precision "
     "'month', got 2014-07-17"),
    ("stated-year-midyear", [("reports", KILLED, "stated_precision", "year")],
     "reports.csv", 2, "stated_date", "expected 1 January for precision 'year', got 2014-07-17"),
    ("at-least-not-a-lower-bound", [("reports", KILLED, "note", "At least 14 soldiers killed.")],
     "reports.csv", 2, "value_kind", "expected lower_bound for a note that says 'at least' or "
     "'more than', got 'exact'"),
    ("more-than-not-a-lower-bound",
     [("reports", KILLED, "note", "More than 14 dead, the ministry said; later 15.")],
     "reports.csv", 2, "value_kind", "expected lower_bound for a note that says"),
    ("no-originator", [("reports", KILLED, "originator", "")],
     "reports.csv", 2, "originator", "expected a value (required), got an empty cell"),
    ("unknown-claim", [("claims", "chaambi-attack", "claim_id", "chaambi-raid")],
     "claims.csv", 21, "claim_id", "expected the id of a figure or an event, got 'chaambi-raid'"),
    ("unknown-test", [("claims", "chaambi-attack", "tests", "weather")],
     "claims.csv", 21, "tests", "expected text matching the pattern (amount|who|said"),
    ("unknown-source-kind", [("sources", REUTERS, "kind", "aggregator")],
     "sources.csv", 5, "kind", "expected one of article, official-statement, official-report"),
]


def test_a_lower_bound_said_later_in_the_note_is_not_flagged(data_copy):
    # The Reuters note gives the spokesman's exact 14 first, Reuters' own 'at least' after.
    assert "at least 14" in next(
        line for line in (data_copy / "reports.csv").read_text(encoding="utf-8").splitlines()
        if line.startswith(KILLED))
    assert collect_problems(data_copy) == []


def assert_change_reported(data_copy, changes, file, line, field, words):
    """Apply `changes` ((table, row id, column, value)) to the data copy; validation must name
    `file:line: field` with `words`. The line is that of the first changed row of `file` as the
    data stand (the census moves rows), or `line` when no change is in `file`."""
    keys = [key for table, key, _, _ in changes if f"{table}.csv" == file]
    if keys:
        line = _line_of(data_copy, file, keys[0])
    for table, key, column, value in changes:
        set_cell(data_copy, table, key, column, value)
    problems = collect_problems(data_copy)
    matching = [p for p in problems if p.file.endswith(file) and p.row == line
                and p.field == field and words in str(p)]
    assert matching, "\n".join(str(p) for p in problems)
    assert f"{file}:{line}: {field}: expected" in str(matching[0])


def _line_of(data_dir, file: str, key: str) -> int:
    """The line of the row whose first cell is `key` in data_dir/file (the header is line 1)."""
    header, rows = read_table(data_dir, file.removesuffix(".csv"))
    return 2 + [row[0] for row in rows].index(key)


@pytest.mark.parametrize(("case", "changes", "file", "line", "field", "words"), RECORD_CASES,
                         ids=[c[0] for c in RECORD_CASES])
def test_each_defect_of_the_record_is_reported(data_copy, case, changes, file, line, field,
                                               words):
    assert_change_reported(data_copy, changes, file, line, field, words)


def test_a_value_too_large_for_the_report_is_a_problem(data_copy):
    from tests.helpers import set_cell

    set_cell(data_copy, "figures", "chaambi-soldiers-killed", "value", str(2 ** 63))
    assert [str(p).split("data/", 1)[1] for p in collect_problems(data_copy)] == [
        f"figures.csv:2: value: expected a whole number of at most 15 digits, got '{2 ** 63}'"]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_translation_an_edition_needs_is_checked_by_validate(data_copy, lang):
    path = data_copy / "translations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    gone = [line for line in lines if line.startswith("events,") and f",title,{lang}," in line]
    path.write_text("".join(line for line in lines if line != gone[0]), encoding="utf-8")
    event_id = gone[0].split(",")[1]
    found = [str(p) for p in collect_problems(data_copy)]
    assert len(found) == 1 and "events.csv:" in found[0], found
    assert found[0].endswith(f": title: expected its '{lang}' text in translations.csv (the "
                             f"{lang} edition shows it), got none")
    line = int(found[0].split("events.csv:")[1].split(":")[0])
    events = (data_copy / "events.csv").read_text(encoding="utf-8").splitlines()
    assert events[line - 1].startswith(event_id + ",")


@pytest.mark.parametrize("text", ["a\x00b", "\x1b[31mred", "bell\x07", "c1\x85",
                                  "Forged\nTY  - JOUR", "carriage\r\nreturn", "tab\there",
                                  "line\u2028separator", "spoof \u202egnp.exe", "isolate\u2067x",
                                  "mark\u200fx"])
def test_control_and_bidi_characters_in_text_are_a_problem(data_copy, text):
    set_cell(data_copy, "events", "assassinations-2013", "title", text)
    found = [str(p) for p in collect_problems(data_copy)]
    assert len(found) == 1, found
    assert "events.csv:2: title: expected one line of text without control " in found[0]


# The record after the article: one corrupted copy per kind of defect its rules catch.
# (id, changes as (table, row id, column, value), file, line, field, words in the message)
AFTER_CASES = [
    ("statement-date-without-precision",
     [("tolls", "boulaaba-security-xinhua", "stated_precision", "")],
     "tolls.csv", 4, "stated_precision", "expected a stated_precision for the stated_date"),
    ("precision-without-statement-date",
     [("departures", "stopped-8000-benjeddou", "stated_date", "")],
     "departures.csv", 2, "stated_precision", "expected no stated_precision without a "
     "stated_date"),
    ("statement-month-midmonth",
     [("tolls", "boulaaba-security-xinhua", "stated_precision", "month")],
     "tolls.csv", 4, "stated_date", "expected the first day of the month"),
    ("attack-ends-before-it-starts",
     [("attacks", "sousse-2015-06-26", "end_date", "2015-06-25")],
     "attacks.csv", 20, "end_date", "expected a date on or after the start date"),
    ("border-area-without-country",
     [("attacks", "jendouba-2018-07-08", "border_iso3", "")],
     "attacks.csv", 60, "border_iso3", "expected the neighbouring country for setting "
     "'border-remote'"),
    ("claim-without-source",
     [("attacks", "sousse-2015-06-26", "claim_source_id", "")],
     "attacks.csv", 20, "claim_source_id", "expected the source of the claim"),
    ("libya-link-without-source",
     [("attacks", "sousse-2015-06-26", "libya_link_source_id", "")],
     "attacks.csv", 20, "libya_link_source_id", "expected the source of the link"),
    ("unknown-toll-category",
     [("tolls", "boulaaba-security-xinhua", "category", "tourists")],
     "tolls.csv", 4, "category", "expected one of security-forces, civilians, militants"),
    ("toll-of-unknown-attack",
     [("tolls", "boulaaba-security-xinhua", "attack_id", "atlantis-2015")],
     "tolls.csv", 4, "attack_id", "expected an existing attacks attack_id"),
    ("range-without-high-end",
     [("departures", "left-2000-3000-authorities", "value_high", "")],
     "departures.csv", 8, "value_high", "expected the high end of the range"),
    ("range-running-down",
     [("departures", "left-2000-3000-authorities", "value_high", "1000")],
     "departures.csv", 8, "value_high", "expected at least the value 2000"),
    ("article-estimate-without-quote",
     [("departures", "stopped-8000-benjeddou", "source_id", "bechri-2014")],
     "departures.csv", 2, "quote", "expected the article's words for its own estimate"),
    ("quote-from-another-source",
     [("departures", "stopped-12490-gharsalli", "quote", "12 490 empêchés")],
     "departures.csv", 3, "quote", "expected no quote from a source other than the article"),
    ("amount-without-currency",
     [("assistance", "deu-border-radar-2017", "currency", "")],
     "assistance.csv", 9, "currency", "expected the currency of the amount"),
    ("thesis-quote-not-in-article",
     [("theses", "far-from-over", "quote", "the struggle is over")],
     "theses.csv", 3, "quote", "expected words that appear verbatim in the source bechri-2014"),
    ("unknown-thesis-verdict",
     [("theses", "gains", "verdict", "hope")],
     "theses.csv", 2, "verdict", "expected one of borne-out, partly"),
]


def test_corroboration_of_an_unknown_fact_is_reported(data_copy):
    replace_in("corroborations.csv", "attacks,sousse-2015-06-26,guardian",
               "attacks,atlantis-2015,guardian")(data_copy)
    problems = [str(p) for p in collect_problems(data_copy)]
    assert "corroborations.csv:2: row_id: expected an id of attacks, got 'atlantis-2015'" in \
        "\n".join(problems), problems


@pytest.mark.parametrize(("case", "changes", "file", "line", "field", "words"), AFTER_CASES,
                         ids=[c[0] for c in AFTER_CASES])
def test_each_defect_of_the_record_after_is_reported(data_copy, case, changes, file, line,
                                                     field, words):
    assert_change_reported(data_copy, changes, file, line, field, words)


def _day_after_report() -> str:
    return (date.fromisoformat(project_report_date()) + timedelta(days=1)).isoformat()


# The search log (searches.csv): (id, changes as (key, column, value), line, field, words).
SEARCH_CASES = [
    ("searched-after-the-report", [("chaambi-soldiers-killed-en", "date_searched", None)],
     2, "date_searched", "expected a date on or before the report's date"),
    ("unknown-claim", [("chaambi-soldiers-killed-en", "claim_id", "chaambi-goats-killed")],
     2, "claim_id", "expected an existing claims claim_id, got 'chaambi-goats-killed'"),
    ("empty-query", [("chaambi-soldiers-killed-en", "query", "")],
     2, "query", "expected a value (required), got an empty cell"),
    ("claim-and-table", [("chaambi-soldiers-killed-en", "resource", "attacks")],
     2, "claim_id,resource", "expected exactly one of claim_id and resource, got both"),
    ("neither-claim-nor-table", [("attacks-en", "resource", "")],
     25, "claim_id,resource", "expected exactly one of claim_id and resource, got neither"),
    ("unknown-table", [("attacks-en", "resource", "sources")],
     25, "resource", "expected one of attacks, tolls, departures, outcomes, assistance"),
    ("more-in-record-than-found", [("tolls-en", "in_record", "9")],
     27, "in_record", "expected at most the 8 results, got 9"),
    ("unknown-language", [("attacks-en", "lang", "de")],
     25, "lang", "expected one of en, fr, ar, got 'de'"),
]


@pytest.mark.parametrize(("case", "changes", "line", "field", "words"), SEARCH_CASES,
                         ids=[c[0] for c in SEARCH_CASES])
def test_each_defect_of_the_search_log_is_reported(data_copy, case, changes, line, field, words):
    for key, column, value in changes:
        set_cell(data_copy, "searches", key, column,
                 _day_after_report() if value is None else value)
    problems = collect_problems(data_copy)
    matching = [p for p in problems if p.file.endswith("searches.csv") and p.row == line
                and p.field == field and words in str(p)]
    assert matching, "\n".join(str(p) for p in problems)
    assert f"searches.csv:{line}: {field}: expected" in str(matching[0])


def test_the_search_log_is_valid_and_dated_no_later_than_the_report(data):
    log = data.searches
    assert len(log) and log["date_searched"].max().date() <= \
        date.fromisoformat(project_report_date())
    assert set(log["claim_id"].dropna()) <= set(data.claims["claim_id"])


# --- the sources a verdict cites: titles, dates, languages, kinds and the copy rule -----------

LE_TEMPS = "letemps-tn-2014-07-chaambi"  # sources.csv line 9: Le Temps read on Turess
SOURCE_CASES = [
    ("title-is-a-url", [(REUTERS, "title", "https://in.reuters.com/article/x")], 5, "title",
     "the title the page shows, not its URL"),
    ("title-read-from-the-url", [(REUTERS, "title", "Tunisia toll (title taken from the URL)")],
     5, "title", "the title the page shows"),
    ("no-title", [(REUTERS, "title", "")], 5, "title", "a value (required)"),
    ("no-date-no-note", [(REUTERS, "date_published", ""), (REUTERS, "published_precision", "")],
     5, "date_note", "why there is no date published"),
    ("no-language", [(REUTERS, "language", "")], 5, "language", "a value (required)"),
    ("language-not-iso", [(REUTERS, "language", "English")], 5, "language", "pattern"),
    ("old-kind", [(REUTERS, "kind", "primary-statement")], 5, "kind", "expected one of"),
    ("mirror-with-a-newsroom", [(LE_TEMPS, "kind", "mirror"), (LE_TEMPS, "producer", "Turess")],
     9, "newsroom", "no newsroom for a mirror"),
    ("mirror-without-its-host", [(LE_TEMPS, "kind", "mirror"), (LE_TEMPS, "producer", "Turess"),
                                 (LE_TEMPS, "newsroom", ""), (LE_TEMPS, "copy_host", "")],
     9, "copy_host", "the copy site of a mirror"),
    ("copy-without-its-newsroom", [(LE_TEMPS, "newsroom", "")], 9, "newsroom",
     "the newsroom that wrote the text (kind 'mirror' when it is unknown)"),
    ("publisher-of-two-kinds", [(LE_TEMPS, "producer", "Reuters")], 9, "kind",
     "'news-agency', the kind of 'Reuters' on line 5 (a publisher has one kind)"),
]


@pytest.mark.parametrize(("case", "changes", "line", "field", "words"), SOURCE_CASES,
                         ids=[c[0] for c in SOURCE_CASES])
def test_each_defect_of_a_source_is_reported(data_copy, case, changes, line, field, words):
    for key, column, value in changes:
        set_cell(data_copy, "sources", key, column, value)
    problems = collect_problems(data_copy)
    matching = [p for p in problems if p.file.endswith("sources.csv") and p.row == line
                and p.field == field and words in str(p)]
    assert matching, "\n".join(str(p) for p in problems)


def test_a_copy_read_on_a_copy_site_and_a_mirror_coded_by_the_rule_are_valid(data_copy):
    set_cell(data_copy, "sources", LE_TEMPS, "kind", "mirror")
    set_cell(data_copy, "sources", LE_TEMPS, "producer", "Turess")
    set_cell(data_copy, "sources", LE_TEMPS, "newsroom", "")
    assert collect_problems(data_copy) == []


def test_every_source_of_the_record_has_a_title_a_date_or_a_note_and_a_language(data):
    sources = data.sources
    assert sources["title"].notna().all() and sources["language"].notna().all()
    undated = sources[sources["date_published"].isna()]
    assert undated["date_note"].notna().all()
    assert not sources["title"].str.contains("from the URL", case=False).any()


def test_no_verdict_rests_on_a_mirror_blog_or_wiki_alone(data):
    from tunisia_report.dataset.verdicts import NOT_INDEPENDENT, claims

    kinds = data.sources.set_index("source_id")["kind"]
    for claim in claims(data).itertuples():
        if claim.verdict == "unverifiable":
            continue
        assert claim.n_channels >= 1, claim.claim_id
        assert kinds[claim.source_ids[0]] not in NOT_INDEPENDENT, claim.claim_id


# Validation that means it: a statement date in every table, coordinates a map can draw, places
# that resolve, and a figure's words that agree with its value. Each case failed validation's
# silence before these rules. (id, changes as (table, row id, column, value), file, line,
# field, words in the message)
MEANING_CASES = [
    ("toll-stated-after-its-page", [("tolls", "chaambi-security-reuters", "stated_date",
                                     "2014-07-18")],
     "tolls.csv", 2, "stated_date", "expected a date on or before its page's publication "
     "(2014-07-17, day, source reuters-2014-07-17-chaambi), got 2014-07-18"),
    ("toll-stated-after-its-page-month", [("tolls", "jendouba-security-early", "stated_date",
                                           "2018-08-01")],
     "tolls.csv", 38, "stated_date", "(2018-07-01, month, source elmoudjahid-2018-07-jendouba), "
     "got 2018-08-01"),
    ("toll-stated-in-a-later-year", [("tolls", "chaambi-security-reuters", "stated_date",
                                      "2015-01-01"),
                                     ("tolls", "chaambi-security-reuters", "stated_precision",
                                      "year")],
     "tolls.csv", 2, "stated_date", "got 2015-01-01"),
    ("departure-stated-after-its-page", [("departures", "stopped-16000-government",
                                          "stated_date", "2016-04-01")],
     "departures.csv", 4, "stated_date", "expected a date on or before its page's publication"),
    ("attack-stated-after-its-page", [("attacks", "boulaaba-2015-02-17", "stated_date",
                                       "2015-02-20")],
     "attacks.csv", 3, "stated_date", "(2015-02-19, day, source xinhua-2015-02-19-boulaaba)"),
    ("outcome-stated-after-its-page", [("outcomes", "att-created", "stated_date", "2013-11-16")],
     "outcomes.csv", 2, "stated_date", "expected a date on or before its page's publication"),
    ("assistance-stated-after-its-page", [("assistance", "usa-mnna", "stated_date",
                                           "2015-07-12")],
     "assistance.csv", 3, "stated_date", "expected a date on or before its page's publication"),
    ("latitude-off-the-globe", [("attacks", "sousse-2015-06-26", "latitude", "95")],
     "attacks.csv", 5, "latitude", "expected a latitude within the maps' region, 30.0 to 38.4 "
     "(Tunisia and its borders), got 95.0"),
    ("longitude-off-the-globe", [("attacks", "sousse-2015-06-26", "longitude", "500")],
     "attacks.csv", 5, "longitude", "expected a longitude within the maps' region, 5.8 to 15.2"),
    ("latitude-and-longitude-swapped", [("attacks", "sousse-2015-06-26", "latitude", "10.58"),
                                        ("attacks", "sousse-2015-06-26", "longitude", "35.91")],
     "attacks.csv", 5, "latitude", "got 10.58"),
    ("place-off-the-map", [("places", "tunis", "latitude", "48.85")],
     "places.csv", 6, "latitude", "expected a latitude within the maps' region"),
    ("place-that-is-nowhere", [("attacks", "sousse-2015-06-26", "place", "Atlantis")],
     "attacks.csv", 5, "place", "expected the name of a row of places.csv or of a locality of "
     "Tunisia (before any detail in brackets), got 'Atlantis'"),
    ("place-nowhere-with-a-real-detail", [("attacks", "bardo-2015-03-18", "place",
                                           "Atlantis (Bardo)")],
     "attacks.csv", 4, "place", "got 'Atlantis (Bardo)'"),
    ("place-far-from-its-coordinates", [("attacks", "sousse-2015-06-26", "place",
                                         "Ben Guerdane (Port El Kantaoui)")],
     "attacks.csv", 5, "latitude,longitude", "expected coordinates within 30 km of Ben Gardane "
     "(33.13783, 11.21965), the place named, got 35.9120889, 10.580028 (314 km away)"),
    ("figure-value-against-its-words", [("figures", "chaambi-soldiers-injured", "value", "21")],
     "figures.csv", 3, "value", "expected 20, the number the words 'twenty' give, got 21"),
    ("figure-thousands-against-its-words", [("figures", "departures-prevented", "value",
                                             "80000")],
     "figures.csv", 6, "value", "expected 8000, the number the words 'eight thousand' give"),
    ("figure-words-not-in-its-quote", [("figures", "chaambi-soldiers-killed", "amount_text",
                                        "fourteen or so")],
     "figures.csv", 2, "amount_text", "expected the article's words as its quote gives them"),
    ("departure-value-against-its-quote", [("departures", "stopped-8000-benjeddou", "source_id",
                                            "bechri-2014"),
                                           ("departures", "stopped-8000-benjeddou", "quote",
                                            "eight thousand jihadists have been prevented"),
                                           ("departures", "stopped-8000-benjeddou", "value",
                                            "8500")],
     "departures.csv", 2, "value", "expected one of the numbers its quote states (8000), got "
     "8500"),
]


@pytest.mark.parametrize(("case", "changes", "file", "line", "field", "words"), MEANING_CASES,
                         ids=[c[0] for c in MEANING_CASES])
def test_each_rule_that_gives_the_data_meaning_is_enforced(data_copy, case, changes, file, line,
                                                            field, words):
    assert_change_reported(data_copy, changes, file, line, field, words)


def test_a_corroboration_stated_after_its_page_is_reported(data_copy):
    replace_in("corroborations.csv", "guardian-2015-07-25-ct-law,2015-07-25",
               "guardian-2015-07-25-ct-law,2015-07-26")(data_copy)
    assert [str(p).split("data/", 1)[1] for p in collect_problems(data_copy)] == [
        "corroborations.csv:2: stated_date: expected a date on or before its page's "
        "publication (2015-07-25, day, source guardian-2015-07-25-ct-law), got 2015-07-26"]


@pytest.mark.parametrize(("table", "key", "stated", "precision"), [
    ("tolls", "jendouba-security-early", "2018-07-31", "day"),  # a page dated to its month
    ("departures", "stopped-16000-government", "2016-03-01", "month"),  # the page's own month
    ("tolls", "chaambi-security-reuters", "2014-01-01", "year"),  # the page's own year
])
def test_a_statement_within_its_page_period_is_accepted(data_copy, table, key, stated, precision):
    set_cell(data_copy, table, key, "stated_date", stated)
    set_cell(data_copy, table, key, "stated_precision", precision)
    assert collect_problems(data_copy) == []


@pytest.mark.parametrize(("words", "lang", "value"), [
    ("fourteen", "en", 14), ("twenty-one", "en", 21), ("eight thousand", "en", 8000),
    ("one hundred and five", "en", 105), ("the 1950s", "en", 1950), ("12,490", "en", 12490),
    ("vingt", "fr", 20), ("quatre-vingt-deux", "fr", 82), ("soixante et onze", "fr", 71),
    ("deux mille", "fr", 2000), ("several", "en", None), ("large quantities", "en", None),
    ("twenty", "ar", None),
])
def test_number_words_are_read_in_their_language(words, lang, value):
    from tunisia_report.dataset.numbers import parse

    assert parse(words, lang) == value


@pytest.mark.parametrize("breaks", [1, 2])
def test_an_unquoted_carriage_return_is_text_of_its_cell(data_copy, breaks):
    """A lone carriage return a CSV writer left unquoted would end the row inside a cell: it is
    read as part of the cell, and named there (not as rows with too few cells)."""
    path = data_copy / "searches.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[3].startswith("chaambi-deadliest-since-en,Tunisia army deadliest attack")
    lines[3] = lines[3].replace("deadliest attack", "deadliest\rattack" if breaks == 1
                                else "dead\rliest\rattack", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    found = [str(p).split("data/", 1)[1] for p in collect_problems(data_copy)]
    assert len(found) == 1, found
    assert found[0].startswith("searches.csv:4: query: expected one line of text without "
                               "control or bidirectional control characters, got 'Tunisia army "
                               "dead")
    assert found[0].endswith("(U+000D)")


@pytest.mark.parametrize(("resource", "field"), [("totals", "measure"), ("theses", "short")])
def test_a_missing_translation_of_a_total_or_a_thesis_is_a_problem(data_copy, resource, field):
    """Every translated table is checked by its first column (`total_id`, `thesis_id`)."""
    path = data_copy / "translations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    gone = next(line for line in lines if line.startswith(f"{resource},")
                and f",{field},ar," in line)
    path.write_text("".join(line for line in lines if line != gone), encoding="utf-8")
    found = [str(p) for p in collect_problems(data_copy)]
    assert len(found) == 1 and f"{resource}.csv:" in found[0], found
    assert found[0].endswith(f": {field}: expected its 'ar' text in translations.csv (the ar "
                             "edition shows it), got none")
