"""What every chart shares: `Chart` and its `FigureInfo`, saving and showing, layout helpers.

Every number drawn, and every number in the alt text, comes from the dataset; `Chart.table` holds
exactly the rows drawn. The title and source line are drawn in the image, so that a saved PNG or
SVG stands alone; the caption is for the document around it.
"""

from __future__ import annotations

import base64
import html
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from tunisia_report.charts import style
from tunisia_report.dataset.schema import ARTICLE
from tunisia_report.display import FIGURE_KEY, METADATA_KEY, PHONE_SVG_MIME
from tunisia_report.exceptions import DataError
from tunisia_report.text.dates import format_date
from tunisia_report.text.escape import safe_url
from tunisia_report.text.formatting import format_number, format_value, kind_words, source_line
from tunisia_report.text.i18n import gettext, ngettext

PNG_DPI = 200


@dataclass(frozen=True)
class FigureInfo:
    """What a reader needs around a chart: a stable label, title, caption, source line, alt text."""

    label: str
    title: str
    caption: str
    source: str
    alt: str


@dataclass
class Chart:
    """A drawn chart, what the document says about it, and the numbers and rows it shows."""

    figure: object  # matplotlib.figure.Figure
    info: FigureInfo
    table: pd.DataFrame
    # The marks that carry a tooltip in the SVG: an artist's gid -> one text per mark, in the
    # order the artist draws them (a collection's points). Links come from the artist's urls.
    tooltips: dict[str, list[str]] = field(default_factory=dict)

    def _ipython_display_(self) -> None:
        """In a notebook a Chart shows as its figure (with alt text), never as its fields."""
        show(self)


def files(chart: Chart) -> dict[str, bytes]:
    """The chart's files as `save` writes them: {"png": ..., "svg": ...}."""
    return style.figure_files(chart.figure, {"png": PNG_DPI, "svg": PNG_DPI})


def save(chart: Chart, directory: Path | str) -> list[Path]:
    """Write `<label>.png` and `<label>.svg` into directory, byte-identical for identical input."""
    return write_files(chart.info.label, files(chart), directory)


def write_files(label: str, payloads: dict[str, bytes], directory: Path | str) -> list[Path]:
    """Write `<label>.<fmt>` for each payload into directory, each atomically."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, payload in payloads.items():
        path = directory / f"{label}.{fmt}"
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; figures are for readers
        os.replace(tmp, path)
        written.append(path)
    return written


def figure_bundle(fig, info: FigureInfo, dpi: int = 150) -> tuple[dict, dict]:
    """Render a matplotlib figure to (data, metadata) of a display_data output (see
    `tunisia_report.display` for the contract)."""
    made = style.figure_files(fig, {"png": dpi, "svg": dpi})
    png = base64.b64encode(made["png"]).decode("ascii")
    svg = made["svg"].decode("utf-8")
    alt = " ".join(info.alt.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    data = {
        # JupyterLab prefers Markdown to SVG and PNG, and only its image carries alt text; the
        # exporters drop it (nbconvert would rank it above the SVG).
        "text/markdown": f"![{alt}](data:image/png;base64,{png})",
        "image/svg+xml": svg,
        "image/png": png,
        "text/plain": info.alt,
    }
    metadata = {
        "image/png": {"alt": info.alt},
        "image/svg+xml": {"alt": info.alt},
        METADATA_KEY: {FIGURE_KEY: asdict(info)},
    }
    return data, metadata


def show(chart: Chart) -> None:
    """Display the chart in the running notebook, with its alt text and caption metadata.

    The exporters print the title and source line around the image, so the copy shown in the
    document leaves out the ones drawn in it (the files `save` writes keep them).
    """
    publish(display_bundle(chart))


def display_bundle(chart: Chart, phone: Chart | None = None) -> tuple[dict, dict]:
    """The (data, metadata) that `show` displays: the figure without its title and source, its
    marks' tooltips in the SVG, and the rows it draws as CSV (the HTML's data link); with
    `phone` (the chart drawn within `style.phone()`), its SVG alike as PHONE_SVG_MIME."""
    with style.without_frame(chart.figure):
        data, metadata = figure_bundle(chart.figure, chart.info)
    data["image/svg+xml"] = with_tooltips(data["image/svg+xml"], chart.tooltips)
    if phone is not None:
        with style.without_frame(phone.figure):
            svg = style.figure_bytes(phone.figure, "svg").decode("utf-8")
        data[PHONE_SVG_MIME] = with_tooltips(svg, phone.tooltips)
    metadata[METADATA_KEY][FIGURE_KEY]["csv"] = table_csv(chart.table)
    return data, metadata


def table_csv(table) -> str:
    """The rows a chart draws as CSV, for a reader: a column of lists or mappings (what the
    drawing itself walks, such as the timeline's record spans) is left out, its words being in
    a text column beside it (`record_text`)."""
    nested = [c for c in table.columns
              if table[c].map(lambda v: isinstance(v, list | tuple | dict)).any()]
    return table.drop(columns=nested).to_csv(index=False)


_MARK = re.compile(r"<a\b[^>]*>|<(?:use|path)\b[^>]*?/>")  # a link, or a mark (one shape each)
_GROUP = re.compile(r"<g\b[^>]*>|</g>")


def with_tooltips(svg: str, tooltips: dict[str, list[str]]) -> str:
    """The SVG with a `<title>` (a browser's tooltip, a screen reader's name) on each mark of
    the artists named in `tooltips`: first in its link where the mark is one, else in its
    shape. Only the marks inside the artist's group are titled, in the order drawn."""
    for gid, texts in tooltips.items():
        start = svg.find(f'<g id="{html.escape(gid)}">')
        if start < 0 or not texts:
            continue
        out, position, k, in_link = [], start, 0, False
        for match in _MARK.finditer(svg, start, _group_end(svg, start)):
            if k == len(texts):
                break
            tag = match.group(0)
            if " id=" in tag:  # a shape defined once (in <defs>) for the marks to use
                continue
            title = f"<title>{html.escape(texts[k], quote=False)}</title>"
            out.append(svg[position:match.end()] if tag.startswith("<a") or in_link
                       else svg[position:match.start()])
            if tag.startswith("<a"):
                out.append(title)
                in_link = True
            elif in_link:
                in_link, k = False, k + 1
            else:
                name = tag[1:tag.index(" ")] if " " in tag else tag[1:-2]
                out.append(tag[:-2] + ">" + title + f"</{name}>")
                k += 1
            position = match.end()
        svg = svg[:start] + "".join(out) + svg[position:]
    return svg


def _group_end(svg: str, start: int) -> int:
    """Where the `<g>` opened at `start` closes."""
    depth = 0
    for match in _GROUP.finditer(svg, start):
        depth += 1 if match.group(0) != "</g>" else -1
        if not depth:
            return match.start()
    return len(svg)


def source_url(data, source_id) -> str | None:
    """A source's web address as a link (`escape.safe_url`), or None when it has none (a book,
    a file, an archive code)."""
    return data.kept(_source_urls).get(source_id)


def _source_urls(data) -> dict:
    return {source_id: safe_url(url) for source_id, url
            in zip(data.sources["source_id"], data.sources["url"], strict=True)}


def publish(bundle: tuple[dict, dict]) -> None:
    """Display a (data, metadata) bundle in the running notebook."""
    from IPython.display import publish_display_data

    data, metadata = bundle
    publish_display_data(data=data, metadata=metadata)


# --- helpers ---------------------------------------------------------------------------------


def first_rows(rows: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, int]:
    """The first `limit` rows (a chart cannot draw more and stay readable) and how many more."""
    return rows.head(limit).reset_index(drop=True), max(len(rows) - limit, 0)


def more_note(shown: int, more: int, in_appendix: bool = False) -> str:
    """'The first 16 are shown, and 4 more are not drawn.' ('' when none is left out)."""
    if not more:
        return ""
    if in_appendix:
        words = ngettext("The first {shown} are shown, and {more} more is in the appendix.",
                         "The first {shown} are shown, and {more} more are in the appendix.", more)
    else:
        words = ngettext("The first {shown} are shown, and {more} more is not drawn.",
                         "The first {shown} are shown, and {more} more are not drawn.", more)
    return " " + words.format(shown=format_number(shown), more=format_number(more))


def figure_rows(data, figure_ids) -> pd.DataFrame:
    """The figures rows with these ids, in this order; a DataError names any unknown id."""
    table = data.figures.set_index("figure_id", drop=False)
    missing = [f for f in figure_ids if f not in table.index]
    if missing:
        raise DataError(f"unknown figure_id(s) {missing} in figures.csv")
    return table.loc[list(figure_ids)].reset_index(drop=True)


def publication_date(data) -> pd.Timestamp:
    return data.source(ARTICLE)["date_published"]


def amount(row) -> str:
    """'8,000 jihadists' / 'several border crossing attempts'."""
    return gettext("{amount} {unit}").format(amount=format_value(row), unit=row["unit"])


def kind_line(row) -> str:
    """'Estimate · Interior Ministry estimates'."""
    return f"{kind_words(row['value_kind'])} · {row['attributed_to']}"


def date_text(row) -> str:
    """A figure's date at its precision, saying so when the article gives none."""
    if row["date_precision"] == "before":
        return gettext("date not given; {date}").format(date=format_date(row["date"], "before"))
    return format_date(row["date"], row["date_precision"])


def figure_words(row, shown: str | None = None) -> str:
    """A figure as its tile or bar shows it: 'Jihadists prevented from leaving: 8,000
    jihadists (estimate, Interior Ministry, ...)'; `shown` in place of its amount."""
    return gettext("{label}: {amount} ({kind}, {attribution}, {date})").format(
        label=row["label"], amount=shown or amount(row), kind=kind_words(row["value_kind"]).lower(),
        attribution=row["attributed_to"], date=date_text(row))


def short_label(label: str) -> str:
    """'Soldiers killed in the Mount Chaambi attack' -> 'Soldiers killed' (the words before the
    edition's ' in the ')."""
    return str(label).split(gettext(" in the "))[0]


def bare(ax) -> None:
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)


def stack(ax, lines, x=0.0, y=1.0, offset=0.0, descent=0.0) -> float:
    """Write (text, fontsize, props) downwards from (x, y) in axes fraction, baseline to
    baseline (from the right, at 1 - x, in a right-to-left edition); return the offset in
    points reached, to continue from. A line's step is 1.22 times its size, or more where the
    line's box is taller (Amiri's marks reach far above and below), so that no two lines'
    boxes meet: the last line's descent (`descent`: of what stands above the first line) plus
    this one's ascent."""
    for text, size, props in lines:
        for line in str(text).split("\n"):
            height, below = style.text_height(ax.figure, line, size, props) if line else (0, 0)
            offset += max(size * 1.22, descent + height - below + 0.5)
            descent = below
            if line:
                ax.annotate(line, (style.x(x), y), xytext=(0, -offset),
                            textcoords="offset points", xycoords="axes fraction",
                            ha=style.ha("left"), va="baseline", fontsize=size, **props)
    return offset


def width_in(ax) -> float:
    return ax.get_position().width * ax.figure.get_figwidth()


def figure_info(data, label, title, caption, alt) -> FigureInfo:
    return FigureInfo(label=label, title=title, caption=caption, source=source_line(data),
                      alt=alt)


def rect(xy, width, height, face, edge="none", **props):
    """A filled rectangle, behind everything else unless `zorder` says otherwise."""
    from matplotlib.patches import Rectangle

    return Rectangle(xy, width, height, facecolor=face, edgecolor=edge, **{"zorder": 0, **props})


def thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _: format_number(round(x)))


def vline(fig, x, y0, y1):
    from matplotlib.lines import Line2D

    return Line2D([x, x], [y0, y1], transform=fig.transFigure, color=style.RULE, linewidth=0.6)


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is at least x."""
    import math

    power = 10 ** math.floor(math.log10(max(x, 1)))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= x)


def ticks():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=4, integer=True, steps=[1, 2, 2.5, 5, 10])
