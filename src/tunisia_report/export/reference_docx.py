"""The Word edition's reference document: pandoc's own, in the house colours and common fonts.

``templates/reference.docx`` is committed and rebuilt by ``python -m
tunisia_report.export.reference_docx``: it starts from the default reference document of the
pinned pandoc and sets, style by style, the colours of ``templates/report.typ`` (the accent blue
for headings and links, the muted grey for captions) and fonts that every Windows and macOS
has, so a colleague edits in the fonts the file names: Georgia for Latin text (a serif of the
PDF's Libertinus Serif colour) and Times New Roman for complex script, which carries Arabic on
both. The PDF's fonts are not embedded: Libertinus Serif exists here only inside Typst, and
Word for Windows embeds only TrueType outlines. A test rebuilds it and compares bytes, so it
cannot drift.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree

from tunisia_report.export.archive import read_zip, write_zip

REFERENCE_DOCX = Path(__file__).resolve().parent / "templates" / "reference.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Fonts installed with every Windows and macOS (and with Word on either): Latin text, and the
# complex-script font, which Word uses for Arabic runs (and any run marked right to left).
LATIN_FONT = "Georgia"
COMPLEX_FONT = "Times New Roman"
# The colours of the house design (templates/report.typ): keep the two in step.
ACCENT = "0B3D63"
MUTED = "56606B"
BODY_SIZE = 21  # half-points: 10.5 pt, as the PDF


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def house_styles(styles_xml: bytes) -> bytes:
    """pandoc's styles.xml with explicit fonts and the house colours instead of theme ones."""
    root = etree.fromstring(styles_xml)
    for fonts in root.iter(_w("rFonts")):
        if fonts.get(_w("ascii")) == "Consolas":  # code keeps its monospace
            continue
        for name in list(fonts.attrib):
            del fonts.attrib[name]
        for slot in ("ascii", "hAnsi", "eastAsia"):
            fonts.set(_w(slot), LATIN_FONT)
        fonts.set(_w("cs"), COMPLEX_FONT)
    for color in root.iter(_w("color")):
        for name in list(color.attrib):
            del color.attrib[name]
        color.set(_w("val"), ACCENT)
    defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
    if defaults is not None:
        for old in defaults.findall(_w("rFonts")) + defaults.findall(_w("sz")) + \
                defaults.findall(_w("szCs")):
            defaults.remove(old)
        fonts = etree.SubElement(defaults, _w("rFonts"))
        for slot in ("ascii", "hAnsi", "eastAsia"):
            fonts.set(_w(slot), LATIN_FONT)
        fonts.set(_w("cs"), COMPLEX_FONT)
        for tag in ("sz", "szCs"):
            etree.SubElement(defaults, _w(tag)).set(_w("val"), str(BODY_SIZE))
    for style in root.iter(_w("style")):
        if style.get(_w("styleId")) in {"Caption", "ImageCaption", "TableCaption"}:
            rpr = style.find(_w("rPr"))
            if rpr is None:
                rpr = etree.SubElement(style, _w("rPr"))
            etree.SubElement(rpr, _w("color")).set(_w("val"), MUTED)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# Each font's PANOSE class and family (fontTable.xml): what Word matches a substitute by, should
# a machine lack one.
FONTS = {LATIN_FONT: "02040502050405020303", COMPLEX_FONT: "02020603050405020304"}


def verdict_label_style(styles_xml: bytes) -> bytes:
    """styles.xml with `VerdictLabel`, the character style of a verdict's word on a claim's
    card (notebook.lua gives each run its verdict's colour)."""
    root = etree.fromstring(styles_xml)
    style = etree.SubElement(root, _w("style"))
    style.set(_w("type"), "character")
    style.set(_w("customStyle"), "1")
    style.set(_w("styleId"), "VerdictLabel")
    etree.SubElement(style, _w("name")).set(_w("val"), "Verdict Label")
    etree.SubElement(style, _w("basedOn")).set(_w("val"), "DefaultParagraphFont")
    etree.SubElement(style, _w("qFormat"))
    rpr = etree.SubElement(style, _w("rPr"))
    for flag in ("b", "bCs"):
        etree.SubElement(rpr, _w(flag))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def font_table(fonts_xml: bytes) -> bytes:
    """fontTable.xml naming the two fonts with their PANOSE class, family and pitch."""
    root = etree.fromstring(fonts_xml)
    for name, panose in FONTS.items():
        for old in root.findall(_w("font")):
            if old.get(_w("name")) == name:
                root.remove(old)
        font = etree.SubElement(root, _w("font"))
        font.set(_w("name"), name)
        etree.SubElement(font, _w("panose1")).set(_w("val"), panose)
        etree.SubElement(font, _w("family")).set(_w("val"), "roman")
        etree.SubElement(font, _w("pitch")).set(_w("val"), "variable")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build(pandoc: str) -> bytes:
    """The reference document's bytes, from the default one of `pandoc`."""
    default = subprocess.run([pandoc, "--print-default-data-file", "reference.docx"],
                             capture_output=True, check=True).stdout
    parts = read_zip(default)
    parts["word/styles.xml"] = verdict_label_style(house_styles(parts["word/styles.xml"]))
    parts["word/fontTable.xml"] = font_table(parts["word/fontTable.xml"])
    return write_zip(parts)


def main() -> int:
    from tunisia_report.text.pandoc import pandoc_path

    REFERENCE_DOCX.write_bytes(build(pandoc_path()))
    print(f"wrote {REFERENCE_DOCX}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
