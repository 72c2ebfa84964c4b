"""The report's metadata, resolved once per export from the notebook: title block, date,
source line, edition, whether code shows, the sections and findings rendered
(`resolve_metadata` -> `ReportMetadata`), and the PDF's timestamp. No nbconvert here: the
index of the editions reads it too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from tunisia_report.display import METADATA_KEY
from tunisia_report.parameters import (
    cell_source,
    checked_parameters,
    declared_parameters,
    project_report_date,
)
from tunisia_report.report.sections import TITLE_BLOCK, furniture, title_block
from tunisia_report.text import i18n
from tunisia_report.text.dates import format_day

_H1 = re.compile(r"^#\s+(?P<text>.+?)(?:\s+#+)?\s*$")


@dataclass(frozen=True)
class ReportMetadata:
    """Everything the title block, running header and PDF info need, resolved once."""

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    report_date: str | None = None
    source: str | None = None
    short_title: str | None = None
    show_code: bool = False
    lang: str = i18n.SOURCE_LANG  # the edition (the report notebook's `lang` parameter)
    sections: list[str] | None = None  # the sections rendered (None: every one)
    findings: bool = True  # the written findings under the charts

    @property
    def author(self) -> str | None:
        """Authors as one line: "A", "A and B", "A, B and C"."""
        if not self.authors:
            return None
        if len(self.authors) == 1:
            return self.authors[0]
        with i18n.language(self.lang):
            return i18n.gettext("{items} and {last}").format(
                items=i18n.gettext(", ").join(self.authors[:-1]), last=self.authors[-1])

    @property
    def date_iso(self) -> str | None:
        """The report date as ``YYYY-MM-DD`` if it is a date, else None."""
        parsed = _parse_date(self.report_date)
        return parsed.isoformat() if parsed else None

    @property
    def date(self) -> str | None:
        """The report date for readers: an ISO date becomes "23 July 2014"."""
        parsed = _parse_date(self.report_date)
        if parsed is None:
            return self.report_date
        with i18n.language(self.lang):
            return format_day(parsed)

    @property
    def edition(self) -> i18n.Edition:
        """The edition's language tag, direction and font."""
        return i18n.edition(self.lang)

    @property
    def furniture(self) -> dict[str, str]:
        """The template's own words in the edition's language ('Analysis', 'Source:', ...)."""
        with i18n.language(self.lang):
            return furniture()


def resolve_metadata(nb: Mapping) -> ReportMetadata:
    """Resolve the report's metadata, key by key, from the first source that has it.

    Order: the parameters the notebook's own check recorded when it ran (read as the run read
    them: a list given as text is a list; see `parameters.check_notebook_parameters`); papermill's
    ``nb.metadata.papermill.parameters``; the literal assignments of the code
    cell tagged ``parameters`` (read with `ast`, never executed); for `title`, `subtitle` and
    `author` parameters whose default in the cell is "", the edition's words
    (`report.sections.TITLE_BLOCK` in the `lang` resolved so far); ``nb.metadata.tunisia_report``;
    ``nb.metadata.title`` / ``nb.metadata.authors[*].name``; for the title only, the first ``# ``
    heading. Keys: ``title``, ``subtitle``, ``author``, ``report_date``, ``source``,
    ``short_title``, ``show_code``; and `sections` and `findings` as the run read them (the
    recorded check, papermill's, the cell's default). A missing source line stays missing.
    """
    metadata = nb.get("metadata", {}) or {}
    notebook_level = dict(metadata.get(METADATA_KEY, {}) or {})
    if metadata.get("title"):
        notebook_level.setdefault("title", metadata["title"])
    names = [a.get("name") for a in metadata.get("authors", []) or [] if isinstance(a, Mapping)]
    if any(names):
        notebook_level.setdefault("author", [n for n in names if n])
    layers = [
        checked_parameters(nb),
        (metadata.get("papermill", {}) or {}).get("parameters", {}) or {},
        parameters_cell_values(nb),
    ]
    layers.append(edition_defaults(nb, _text(_pick(layers, "lang")) or i18n.SOURCE_LANG))
    layers.append(notebook_level)

    def pick(key: str):
        return _pick(layers, key)

    title = _text(pick("title")) or first_heading(nb)
    findings = _given(layers[:3], "findings")
    return ReportMetadata(
        title=title,
        subtitle=_text(pick("subtitle")),
        authors=_authors(pick("author")),
        report_date=_text(pick("report_date")),
        source=_text(pick("source")),
        short_title=_text(pick("short_title")),
        show_code=_truthy(pick("show_code")),
        lang=_text(pick("lang")) or i18n.SOURCE_LANG,
        sections=_given(layers[:3], "sections"),
        findings=findings is None or _truthy(findings),
    )


def _pick(layers: list[Mapping], key: str):
    """The first value of `key` that is not empty, layer by layer."""
    for layer in layers:
        value = layer.get(key)
        if value is not None and value != "" and value != []:
            return value
    return None


def edition_defaults(nb: Mapping, lang: str) -> dict:
    """The edition's title, subtitle and author for those the notebook's parameters cell leaves
    empty (``title: str = ""``: "" means the edition's)."""
    try:
        declared = {p.name for p in declared_parameters(nb) if p.default == ""}
    except SyntaxError:
        return {}
    if not declared & set(TITLE_BLOCK):
        return {}
    words = title_block(lang if lang in i18n.EDITIONS else i18n.SOURCE_LANG)
    return {name: text for name, text in words.items() if name in declared}


def parameters_cell_values(nb: Mapping) -> dict:
    """Literal defaults assigned in the cell tagged ``parameters`` (others are None)."""
    try:
        return {p.name: p.default for p in declared_parameters(nb) if p.default is not None}
    except SyntaxError:  # a half-edited cell must not stop an export
        return {}


def _given(layers: list[Mapping], key: str):
    """The value of `key` in the first layer that has it (an empty list included), else None:
    as the run's check recorded it, else papermill's, else the parameters cell's default."""
    for layer in layers:
        if key in layer:
            return layer[key]
    return None


def first_heading(nb: Mapping) -> str | None:
    """Text of the first level-1 ATX heading (``# Title``) of the markdown cells."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in cell_source(cell).splitlines():
                match = _H1.match(line)
                if match:
                    return match.group("text").strip()
    return None


def report_timestamp(meta: ReportMetadata, environ: Mapping[str, str] | None = None) -> int:
    """PDF creation time: SOURCE_DATE_EPOCH if set, else midnight UTC of the report date.

    A notebook without a report date (the analysis notebooks) takes the report's own: the
    default ``report_date`` of ``notebooks/report.ipynb``, so that no PDF says 1970.
    """
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return int(epoch)
        except ValueError:
            pass
    parsed = _parse_date(meta.report_date) or _parse_date(project_report_date())
    if parsed is None:  # no report notebook beside the package: the day of the export
        parsed = dt.datetime.now(dt.UTC).date()
    return int(dt.datetime(parsed.year, parsed.month, parsed.day, tzinfo=dt.UTC).timestamp())


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _authors(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    names = []
    for item in value:
        name = item.get("name") if isinstance(item, Mapping) else item
        if name and str(name).strip():
            names.append(str(name).strip())
    return tuple(names)


def _truthy(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


