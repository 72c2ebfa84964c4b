"""The bibliography and data downloads as the tools people use read them: pandoc (as a reader
and with --citeproc), rispy, a spreadsheet's formula rule, and the project's own validation on
an unzipped data.zip. Hostile text in a source's fields must come out literally and harmlessly."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile

import pytest
import rispy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tunisia_report.export.citation_files import (
    biblatex,
    csl_json,
    latex_text,
    plain_field,
    ris,
)
from tunisia_report.export.downloads import data_package, downloads, safe_csv
from tunisia_report.paths import DATA_DIR
from tunisia_report.text.bibliography import csl_items
from tunisia_report.text.escape import spreadsheet_cell
from tunisia_report.text.pandoc import pandoc_path

HOSTILE_TITLES = [
    "Forged\nTY  - JOUR\nTI  - attacker's record\nER  - ",
    "Right-to-left \u202eoverride\u202c inside",
    "LaTeX {specials} \\ $x^2$ 50% & #1 _a_ ~ }{",
    "Markup <i>not</i> *emphasis* [link](javascript:alert(1))",
    "Quotes 'straight' \"double\" -- and --- dashes",
    "Tunisie : l'attaque du mont Châambi, selon le ministère",
    "هجوم جبل الشعانبي: 14 جنديا",
]


def _pandoc(data: bytes, fmt: str, to: str = "csljson") -> bytes:
    return subprocess.run([pandoc_path(), f"--from={fmt}", f"--to={to}"], input=data,
                          capture_output=True, check=True, timeout=60).stdout


def _item(title: str, i: int = 0, lang: str = "en") -> dict:
    return {"id": f"s{i}", "type": "article-newspaper", "title": title,
            "container-title": "Reuters", "language": lang,
            "issued": {"date-parts": [[2014, 7, 17]]}, "URL": "https://example.org/a b{c}%"}


@pytest.fixture(scope="module")
def real_items(data):
    return csl_items(data.sources)


@pytest.fixture(scope="module")
def files():
    return downloads(DATA_DIR)


def test_ris_has_one_record_per_source_no_numbered_headers_and_web_types(files, real_items):
    text = files["sources.ris"].decode()
    assert not any(line.strip().rstrip(".").isdigit() for line in text.splitlines())
    entries = rispy.loads(text)
    assert [e["id"] for e in entries] == [item["id"] for item in real_items]
    types = {e["id"]: e["type_of_reference"] for e in entries}
    assert types["bechri-2014"] == "ELEC"
    assert types["reuters-2014-07-17-chaambi"] == "NEWS"


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_hostile_title_stays_one_field_in_every_bibliography_file(title):
    items = [_item(title, 0), _item("Second", 1, "fr")]
    entries = rispy.loads(ris(items).decode())
    assert [e["id"] for e in entries] == ["s0", "s1"]  # no forged record
    assert entries[0]["title"] == plain_field(title)
    back = json.loads(_pandoc(biblatex(items), "biblatex"))
    assert [b["id"] for b in back] == ["s0", "s1"]
    assert back[0]["title"] == plain_field(title)  # case, quotes and markup kept as text
    csl = json.loads(csl_json(items))
    assert csl[0]["title"] == plain_field(title)
    for output in (ris(items), biblatex(items), csl_json(items)):
        assert "\u202e" not in output.decode()


def test_plain_field_removes_every_control_and_bidi_override():
    assert plain_field("a\r\nb\tc\u2028d\u202ee\u2066f\x00g") == "a b c d e f g"


def test_biblatex_keeps_case_sets_langid_and_keeps_each_field_on_one_line():
    entry = biblatex([_item("Tunisia says army kills seven militants", lang="fr")]).decode()
    assert "title = {{Tunisia says army kills seven militants}}" in entry
    assert "langid = {french}" in entry
    assert all(line.endswith((",", "{", "}")) for line in entry.splitlines() if line)
    assert latex_text("50% & $") == r"50\% \& \$"


def test_bibliography_files_carry_each_sources_language(files, data):
    if "language" not in data.sources.columns:
        pytest.skip("the sources table has no language column yet")
    items = json.loads(files["sources.json"])
    assert all(item.get("language") for item in items)
    assert all(e.get("language") for e in rispy.loads(files["sources.ris"].decode()))


@pytest.mark.parametrize("name", ["sources.json", "sources.bib", "sources.ris"])
def test_pandoc_citeproc_cites_from_each_bibliography_file(files, name, tmp_path):
    (tmp_path / name).write_bytes(files[name])
    doc = b"See [@bechri-2014] and [@reuters-2014-07-17-chaambi].\n"
    out = subprocess.run([pandoc_path(), "--citeproc", f"--bibliography={tmp_path / name}",
                          "--from=markdown", "--to=plain"], input=doc, capture_output=True,
                         check=True, timeout=60)
    text = out.stdout.decode()
    assert "Bechri" in text and "Reuters" in text
    assert b"not found" not in out.stderr


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40))
def test_any_text_round_trips_through_ris_and_biblatex(title):
    items = [_item(title), _item("after", 1)]
    entries = rispy.loads(ris(items).decode())
    assert [e["id"] for e in entries] == ["s0", "s1"]
    assert entries[0].get("title", "") == plain_field(title).strip()
    back = json.loads(_pandoc(biblatex(items), "biblatex"))
    assert [b["id"] for b in back] == ["s0", "s1"]


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(cell):
    assert spreadsheet_cell(cell) == "'" + cell
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows([["id", "text"], ["a", cell]])
    out = safe_csv(buffer.getvalue().encode()).decode()
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows == [["id", "text"], ["a", "'" + cell]]


def test_safe_csv_keeps_the_bytes_of_a_harmless_file_and_only_the_named_columns():
    content = b"id,value,text\na,-5,\"fine, quoted\"\n"
    assert safe_csv(content, {"text"}) == content
    assert safe_csv(b"id,value,text\na,-5,=1+1\n", {"text"}) == b"id,value,text\na,-5,'=1+1\n"


def test_claims_csv_neutralises_a_formula_in_a_quote(data, monkeypatch):
    import tunisia_report.dataset.verdicts as verdicts
    from tunisia_report.export.downloads import claims_file

    real = verdicts.claims_csv
    monkeypatch.setattr(verdicts, "claims_csv",
                        lambda d: real(d).replace("claim_id,", "claim_id,", 1)
                        + 'forged,"=HYPERLINK(""http://x"")",,,,0,\n')
    text = claims_file(data, "en").decode()
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_unzipped_data_zip_validates(tmp_path):
    with zipfile.ZipFile(io.BytesIO(data_package(DATA_DIR))) as archive:
        archive.extractall(tmp_path)
    from tunisia_report.dataset.validate import collect_problems

    assert collect_problems(tmp_path) == []
