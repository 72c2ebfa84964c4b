"""Checks on real PDF bytes, shared by the exporter tests and the end-to-end render tests.

`accessibility_problems` reads the PDF's objects with pikepdf (catalogue, structure tree, XMP,
fonts); `empty_bands` renders every page with pdfium and measures its largest blank band.
"""

from __future__ import annotations

import io

import pikepdf

# A row of pixels counts as blank when every pixel is at least this light (0 black, 255 white):
# anti-aliased text and the lightest hairline rules are darker.
BLANK_ROW_LEVEL = 245
RENDER_DPI = 50


def accessibility_problems(pdf: bytes, *, lang: str, figures: int) -> list[str]:
    """What keeps `pdf` from being the tagged PDF/UA-1 and PDF/A-2a file the report promises.

    `lang` is the expected /Lang (e.g. ``en-GB``); `figures` how many /Figure structure
    elements (charts) the document must hold, each with a non-empty /Alt. Empty list: all good.
    """
    problems = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root
        if str(root.get("/Lang", "")) != lang:
            problems.append(f"/Lang is {root.get('/Lang')!r}, expected {lang!r}")
        prefs = root.get("/ViewerPreferences", {})
        if prefs.get("/DisplayDocTitle") is not True:
            problems.append("/ViewerPreferences /DisplayDocTitle is not true")
        if root.get("/MarkInfo", {}).get("/Marked") is not True:
            problems.append("/MarkInfo /Marked is not true (not a tagged PDF)")
        if "/StructTreeRoot" not in root:
            problems.append("no structure tree (/StructTreeRoot)")
        else:
            alts = [elem.get("/Alt") for elem in _structure(root.StructTreeRoot)
                    if elem.get("/S") == "/Figure"]
            if len(alts) != figures:
                problems.append(f"{len(alts)} /Figure structure elements, expected {figures}")
            missing = sum(1 for alt in alts if alt is None or not str(alt).strip())
            if missing:
                problems.append(f"{missing} /Figure structure elements without /Alt")
        with doc.open_metadata() as xmp:
            expected = {"pdfuaid:part": "1", "pdfaid:part": "2", "pdfaid:conformance": "A"}
            for key, value in expected.items():
                if xmp.get(key) != value:
                    problems.append(f"XMP {key} is {xmp.get(key)!r}, expected {value!r}")
            if not xmp.get("dc:title"):
                problems.append("XMP has no dc:title")
        problems.extend(_unembedded_fonts(doc))
    return problems


def _structure(node):
    """Every structure element under `node` (following /K only: /P points back up)."""
    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from _structure(child)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            yield node
        if "/K" in node:
            yield from _structure(node.K)


def _unembedded_fonts(doc: pikepdf.Pdf) -> list[str]:
    problems = []
    for obj in doc.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
            continue
        subtype = obj.get("/Subtype")
        if subtype == "/Type3":  # glyphs are drawn by content streams inside the PDF
            continue
        if subtype == "/Type0":
            continue  # checked through its descendant font, which is a /Font object too
        descriptor = obj.get("/FontDescriptor", {})
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"font {obj.get('/BaseFont')} is not embedded")
    return problems


def empty_bands(pdf: bytes, dpi: int = RENDER_DPI) -> list[float]:
    """For each page, its largest band of blank rows as a share of the page's inked extent.

    The extent runs from the first inked row (title rule or running header) to the last (the
    page number), so a page whose text stops halfway scores about 0.5 and a full one near 0.05.
    """
    import numpy as np
    import pypdfium2

    bands = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            blank = (np.asarray(image) >= BLANK_ROW_LEVEL).all(axis=1)
            inked = np.flatnonzero(~blank)
            if len(inked) < 2:
                bands.append(1.0)
                continue
            gaps = np.diff(inked) - 1
            bands.append(float(gaps.max()) / float(inked[-1] - inked[0] + 1))
    finally:
        document.close()
    return bands


def marks_on_numbers(pdf: bytes) -> list[str]:
    """Footnote marks glued to a number in the text layer: a small run of digits (a mark, under
    0.8 of the text before it) right after a run ending in a digit. Copied or read aloud, '14¹'
    is '141'; in a right-to-left line such a mark shows before the number. Each hit as
    'page N: …text|mark|text…'."""
    import pypdf

    hits = []
    for number, page in enumerate(pypdf.PdfReader(io.BytesIO(pdf)).pages, 1):
        runs: list[tuple[str, float, float]] = []  # text, size, baseline

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                runs.append((text, abs(size * tm[3] * (cm[3] or 1)), tm[5] * cm[3] + cm[5]))

        page.extract_text(visitor_text=visit)
        for i, (text, size, y) in enumerate(runs):
            if not text.strip().isdigit() or i == 0:
                continue
            before, before_size, before_y = runs[i - 1]
            after = runs[i + 1][0] if i + 1 < len(runs) else ""
            # a mark: smaller, on the same line (the page number, below, is not)
            if size >= 0.8 * before_size or abs(y - before_y) > before_size:
                continue
            if before.rstrip()[-1:].isdigit():
                hits.append(f"page {number}: …{before[-12:]}|{text}|{after[:12]}…")
    return hits
