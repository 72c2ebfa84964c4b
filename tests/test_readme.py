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
