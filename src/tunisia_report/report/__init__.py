"""What the notebooks call: `Report` (sections, charts, narrative, and `ref` for the Markdown
cells' inline expressions), `content`, the computed sentences (imported on use: `from
tunisia_report.report import content`), and `sections`, the section headings (standard library
only, so the exporters can import it)."""

from tunisia_report.report.builder import Report
from tunisia_report.report.sections import SECTIONS

__all__ = ["SECTIONS", "Report"]
