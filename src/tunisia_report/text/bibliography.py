"""The sources table as a bibliography: CSL-JSON items, the one form citeproc (through pandoc)
formats and the downloads start from (`export.downloads` writes BibLaTeX and RIS from it).

One item per row of sources.csv, keyed by `source_id`: who wrote it, who published it, when
(at the precision the row gives), the URL and the day it was read.
"""

from __future__ import annotations

import re

import pandas as pd

# sources.kind -> CSL item type. Every source was read online: a news story (a newspaper's, a
# broadcaster's or a wire's) is a newspaper article, an official or research report a report, a
# blog a blog post, an official statement a document, the map data a dataset, our own notes a
# document; anything else (the article itself, a reference page, a wiki, a mirror) is a web page
# (Chicago lists no bibliography entry for an encyclopedia).
CSL_TYPES = {
    "newspaper": "article-newspaper",
    "broadcaster": "article-newspaper",
    "news-agency": "article-newspaper",
    "official-report": "report",
    "research": "report",
    "reference": "webpage",
    "wiki": "webpage",
    "mirror": "webpage",
    "blog": "post-weblog",
    "official-statement": "document",
    "map-data": "dataset",
    "project-team": "document",
}
_PRECISION_PARTS = {"day": 3, "month": 2, "year": 1}


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def date_parts(value, precision: str | None = "day") -> dict | None:
    """{"date-parts": [[2014, 7, 23]]}, cut to the precision ("month": [[2014, 7]])."""
    text = _text(value)
    if text is None:
        return None
    stamp = pd.Timestamp(text)
    parts = [stamp.year, stamp.month, stamp.day][:_PRECISION_PARTS.get(precision or "day", 3)]
    return {"date-parts": [parts]}


# Words that make an author a body, not a person: its name stays whole.
BODY_WORDS = {"Officials", "Department", "Ministry", "Staff", "Agency", "Office", "Desk",
              "Editors", "Committee", "Council", "Team"}
INITIALS = re.compile(r"^(?:[A-Z]\.\s*)+$")


def person(name: str) -> dict:
    """'Mohamed Bechri' -> {"family": "Bechri", "given": "Mohamed"}; a name that is not
    'Given Family' words (a comma, a digit, initials only as 'Z. A.', a body as 'Senior State
    Department Officials') stays whole: {"literal": name}."""
    if re.search(r"[,\d]", name) or INITIALS.match(name) or BODY_WORDS & set(name.split()):
        return {"literal": name}
    *given, family = name.split()
    return {"family": family, "given": " ".join(given)} if given else {"family": family}


def people(author: str) -> list[dict]:
    """The `author` cell's names ('Arshad Mohammed; Patrick Markey': two), each a `person`."""
    return [person(name.strip()) for name in author.split(";") if name.strip()]


def csl_item(row) -> dict:
    """One source as a CSL-JSON item."""
    from tunisia_report.text.formatting import publisher  # the mirror is no publisher

    kind = CSL_TYPES.get(str(row["kind"]), "webpage")
    item: dict = {"id": str(row["source_id"]), "type": kind}
    if _text(row["author"]):
        item["author"] = people(_text(row["author"]))
    if _text(row["title"]):
        item["title"] = _text(row["title"])
    if _text(row.get("short_title")):
        item["title-short"] = _text(row["short_title"])
    name = publisher(row["producer"])
    if kind in ("webpage", "article-newspaper", "report"):
        item["container-title"] = name
    else:
        item["publisher"] = name
    issued = date_parts(row["date_published"], _text(row.get("published_precision")))
    if issued:
        item["issued"] = issued
    accessed = date_parts(row["date_accessed"])
    if accessed:
        item["accessed"] = accessed
    if _text(row["url"]):
        item["URL"] = _text(row["url"])
    if _text(row.get("language")):
        item["language"] = _text(row["language"])
    return item


def csl_items(sources: pd.DataFrame) -> list[dict]:
    """Every source as a CSL-JSON item, in the table's order."""
    return [csl_item(row) for _, row in sources.iterrows()]
