"""The PDF editions' page layout, read from the session's render of every variant (never
rendered again): no chart cuts a paragraph, no card or thesis heading is left at a page's foot,
no caption is parted from its chart, and no page but the last ends in a large blank band."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from tests.pdfcheck import empty_bands

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report-render")]

EDITIONS = ("report", "fr", "ar", "brief")
LEFT_TO_RIGHT = ("report", "fr", "brief")
# Sizes (pt) in report.typ: body 10.5, cards 9.5, notes 8.5, running header and source lines 8.
BODY_SIZE = 9.4
CAPTION = re.compile(r"^\s*(FIGURE|شكل)\s*\d+")
SOURCE_LABELS = ("Source", "مصدر", "مصادر")  # (pypdf may split an Arabic word's first letter)
MAX_BLANK_BAND = 0.25  # share of a page's inked height (pdfcheck.empty_bands)


@dataclass
class Line:
    y: float  # from the page's foot, in points
    size: float  # the largest font size on the line
    text: str


def page_lines(page) -> list[Line]:
    """The page's text lines, top to bottom, from pypdf's text positions."""
    rows: dict[int, Line] = {}

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        y = tm[5] * cm[3] + cm[5]
        actual = size * (tm[3] or 1) * (cm[3] or 1)
        row = rows.setdefault(round(y), Line(y, 0, ""))
        row.size = max(row.size, actual)
        row.text += text

    page.extract_text(visitor_text=visit)
    return sorted((r for r in rows.values() if r.text.strip()), key=lambda r: -r.y)


@dataclass
class Layout:
    name: str
    pages: list[list[Line]]
    headings: list[tuple[int, str, int, float]]  # (depth, title, page index, top)
    pdf: bytes


def outline(reader) -> list[tuple[int, str, int, float]]:
    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield (depth, item.title, reader.get_destination_page_number(item),
                       float(item.top or 0))
    return list(walk(reader.outline, 0))


@pytest.fixture(scope="module")
def layouts(editions_render) -> dict[str, Layout]:
    found = {}
    for name in EDITIONS:
        path: Path = editions_render / name / "report.pdf"
        reader = pypdf.PdfReader(path)
        found[name] = Layout(name, [page_lines(p) for p in reader.pages], outline(reader),
                             path.read_bytes())
    return found


def figures(layout: Layout):
    """(page index, line index) of each chart's caption line."""
    for p, lines in enumerate(layout.pages):
        for i, line in enumerate(lines):
            if CAPTION.match(line.text):
                yield p, i


@pytest.mark.parametrize("name", EDITIONS)
def test_every_caption_stays_with_its_chart(layouts, name):
    """A chart's caption, its picture and its source line are on one page."""
    layout = layouts[name]
    found = list(figures(layout))
    assert found, "no chart caption found"
    for p, i in found:
        after = layout.pages[p][i + 1:]
        assert any(label in line.text for line in after for label in SOURCE_LABELS), (
            f"page {p + 1}: {layout.pages[p][i].text[:40]!r} has no source line below it")


@pytest.mark.parametrize("name", LEFT_TO_RIGHT)
def test_no_chart_cuts_a_paragraph(layouts, name):
    """The first line of text after a chart (on its page, or at the top of the next) never
    continues a sentence: a paragraph is never interrupted by a chart, as a float would do.
    (In the Arabic edition no letter case tells a continuation; that edition lays its charts
    out by the same code and was looked at page by page.)"""
    layout = layouts[name]
    for p, i in figures(layout):
        lines = layout.pages[p][i + 1:]
        source = next(n for n, line in enumerate(lines)
                      if any(label in line.text for label in SOURCE_LABELS))
        after = [line for line in lines[source + 1:] if line.size >= BODY_SIZE]
        if not after and p + 1 < len(layout.pages):
            after = [line for line in layout.pages[p + 1] if line.size >= BODY_SIZE]
        if after:
            first = after[0].text.lstrip()
            assert not first[:1].islower(), (
                f"page {p + 1}: after {layout.pages[p][i].text[:30]!r} the text goes on "
                f"mid-sentence: {first[:50]!r}")


@pytest.mark.parametrize("name", ("report", "fr", "ar"))
def test_no_card_or_thesis_heading_at_a_page_foot(layouts, name):
    """Every claim card's and thesis's heading (the outline's second level) has at least three
    lines of its own below it on its page (the badge, the quote and the first line of the body;
    or the quote and the verdict): never a heading alone in the last lines of a page."""
    layout = layouts[name]
    cards = [h for h in layout.headings if h[0] == 1]
    assert len(cards) >= 20
    for _depth, title, page, top in cards:
        below = [line for line in layout.pages[page]
                 if line.y < top - 14 and line.size >= BODY_SIZE]
        assert len(below) >= 3, f"page {page + 1}: {title!r} starts at the page's foot"


@pytest.mark.parametrize("name", EDITIONS)
def test_no_page_but_the_last_ends_in_a_large_blank_band(layouts, name):
    bands = empty_bands(layouts[name].pdf)
    assert max(bands[:-1], default=0) <= MAX_BLANK_BAND, [round(b, 2) for b in bands]
