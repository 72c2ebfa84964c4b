"""The README's summary quotes the dataset: every number in it is a number the dataset holds."""

from __future__ import annotations

import re

from tunisia_report.paths import ROOT


def test_readme_numbers_come_from_the_dataset(data):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme.split("**What the article reports**", 1)[1].split("\n\n", 1)[0]
    known = {int(v) for v in data.figures["value"].dropna()}
    known |= {d.year for d in data.figures["date"]}
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\b\d[\d,]*\b", paragraph)]
    assert len(numbers) >= 6
    unknown = [n for n in numbers if n not in known]
    assert unknown == [], f"numbers in the README that the dataset does not hold: {unknown}"


def test_readme_is_for_users_and_links_the_rest():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.split()) < 1200
    for page in ("architecture", "data-model", "method", "benchmarks"):
        assert f"(docs/{page}.md)" in readme and (ROOT / "docs" / f"{page}.md").is_file()
    for words in ("make report", "make test", "make preview", "make lab", "review"):
        assert words in readme


def test_the_documented_options_are_documented():
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for words in ("`--variants-dir DIR`", "`citation_style`", "`--quiet`", "make preview",
                  "review edited.docx --apply"):
        assert words in architecture, words
