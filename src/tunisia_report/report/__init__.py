"""What the notebooks call: `Report` (sections, charts, narrative) and `content`, every sentence
of the report."""

from tunisia_report.report.builder import Report
from tunisia_report.report.content import SECTIONS

__all__ = ["SECTIONS", "Report"]
