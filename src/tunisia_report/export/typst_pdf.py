"""PDF through pandoc and Typst, with no TeX and no browser: ``jupyter nbconvert --to typstpdf``.

The notebook is filtered and reduced to one representation per output
(`tunisia_report.export.preprocess`), read by pandoc's ipynb reader with ``filters/notebook.lua``
and written as Typst against ``templates/report.typ``; the Typst compiler (the `typst` wheel,
fonts embedded in it only) makes the PDF. Everything happens in a private temporary directory.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import nbformat
from traitlets import default

from tunisia_report.exceptions import ExportError
from tunisia_report.export.metadata import ReportMetadata, report_timestamp
from tunisia_report.export.pandoc import PandocExporter, run_pandoc
from tunisia_report.export.preprocess import prepare_notebook

HERE = Path(__file__).resolve().parent
REPORT_TYP = HERE / "templates" / "report.typ"
PANDOC_TEMPLATE = HERE / "templates" / "pandoc-report.typst"
TYPST_LAYOUT = HERE / "filters" / "typst_layout.lua"
# Accessible (tagged, with alt text, title, language and heading order) and archival (fonts
# embedded, XMP metadata): Typst checks both and refuses a document that breaks either.
PDF_STANDARDS = ("ua-1", "a-2a")

log = logging.getLogger(__name__)


def notebook_to_pdf(
    nb: Mapping,
    *,
    show_code: bool = False,
    resources: Mapping | None = None,
    logger: logging.Logger | None = None,
) -> bytes:
    """Render an executed notebook to PDF bytes; identical input gives identical bytes.

    `resources["metadata"]["path"]` (the notebook's folder, as nbconvert passes it) is where
    images linked from Markdown cells are looked up. Raises `ExportError` if pandoc or Typst fail.
    """
    logger = logger or log
    metadata = (resources or {}).get("metadata") or {}
    nb, meta = prepare_notebook(nb, show_code=show_code, for_pandoc=True,
                                strict=bool((resources or {}).get("strict")),
                                name=metadata.get("name"))
    with tempfile.TemporaryDirectory(prefix="tunisia-report-pdf-") as tmp:
        work = Path(tmp)
        source = notebook_to_typst(nb, meta, work, metadata.get("path") or None, logger)
        main = work / "main.typ"
        main.write_text(source, encoding="utf-8")
        shutil.copyfile(REPORT_TYP, work / REPORT_TYP.name)
        return compile_typst(main, work, report_timestamp(meta), logger,
                             font_paths=meta.edition.font_files())


def notebook_to_typst(
    nb: nbformat.NotebookNode,
    meta: ReportMetadata,
    work: Path,
    resource_path: str | None = None,
    logger: logging.Logger | None = None,
) -> str:
    """Typst source for a prepared notebook; its images are extracted to ``work/media``."""
    values = {
        "title": meta.title,
        "short-title": meta.short_title,
        "subtitle": meta.subtitle,
        "author": meta.author,
        "date": meta.date,
        "source": meta.source,
        # The edition: language, region and direction for Typst's `text`, its font, and the
        # template's own words in its language.
        "lang": meta.edition.lang,
        "region": meta.edition.region,
        "dir": meta.edition.direction,
        "font": meta.edition.font,
        **meta.furniture,
    }
    args = ["--standalone", f"--template={PANDOC_TEMPLATE}", "--extract-media=media",
            f"--lua-filter={TYPST_LAYOUT}"]  # after notebook.lua: the pages' layout
    return run_pandoc(nb, work, "typst", values, extra_args=args, resource_path=resource_path,
                      logger=logger).decode("utf-8")


def compile_typst(
    main: Path, root: Path, timestamp: int, logger: logging.Logger | None = None,
    font_paths: list[Path] = (),
) -> bytes:
    """Compile `main` to PDF/UA-1 and PDF/A-2a with the fonts embedded in Typst and those of
    `font_paths` (an edition's font files, from its pip package): never a system font.

    The charts are placed in passes (see `plan_charts`): each pass settles one more chart, so a
    report compiles once plus once per chart that does not stand where the notebook puts it.
    Raises `ExportError` on failure, with Typst's diagnostic (and, when the report breaks one of
    the standards, what the notebook must provide).
    """
    import typst

    logger = logger or log
    fonts = sorted({str(Path(p).parent) for p in font_paths})
    # One compiler for every pass: the plan is a file it re-reads (PLAN_FILE), so each pass
    # lays out only what the plan changed (Typst's memoised layout; measured: the English
    # report's 13 passes took 6.0 s as fresh queries passing the plan in sys.inputs).
    plan_file = root / PLAN_FILE
    plan: dict[str, dict] = {}
    plan_file.write_text("{}", encoding="utf-8")
    compiler = typst.Compiler(str(main), root=str(root), ignore_system_fonts=True,
                              font_paths=fonts)
    evict, start_mb = None, peak_memory_mb()
    try:
        passes = 0
        while passes < MAX_LAYOUT_PASSES:
            passes += 1
            # A query lays the document out without writing a PDF.
            try:
                found = compiler.query("metadata", field="value")
            except RuntimeError:  # the compiler's own error carries the diagnostic
                compiler.compile_with_warnings(format="pdf")
                raise
            if peak_memory_mb() - start_mb > EVICT_AFTER_MB:  # see EVICTING_COMPILES
                evict = evict or memo_evictor()
                evict()
            slots = [v for v in json.loads(found) if isinstance(v, dict) and "chart-slot" in v]
            better = plan_charts(slots, plan)
            if better == plan:
                break
            plan = better
            plan_file.write_text(json.dumps(plan, sort_keys=True), encoding="utf-8")
        logger.debug("typst: charts placed in %d passes: %s", passes, plan)
        pdf, warnings = compiler.compile_with_warnings(
            format="pdf", pdf_standards=list(PDF_STANDARDS), timestamp=timestamp)
    except RuntimeError as err:  # typst.TypstError
        raise ExportError(_typst_message(err, main)) from err
    for warning in warnings:
        logger.warning("typst: %s", getattr(warning, "message", warning))
    return pdf


# Typst memoises what it lays out in one cache for the whole process, and evicts from it only
# as a document is compiled (what ten compiles have not used); a query, each pass here, never
# does. So the passes kept every layout they made: the PDF of the dataset 100 times the size
# (498 pages, 15 passes) took 1.3 GB, the render's peak. Compiling an empty document
# EVICTING_COMPILES times after a pass evicts what neither it nor the pass before it used:
# 0.7 GB (ten, keeping the last pass's alone, made a later pass lay everything out again: 0.8
# GB), the same PDF. It is done only once the passes have raised the process's peak memory by
# EVICT_AFTER_MB: the report as it is (about 120 MB) keeps its cache, which the next PDF of the
# same process lays out from (evicting each time doubled a warm export: 0.77 -> 1.6 s).
EVICTING_COMPILES = 5
EVICT_AFTER_MB = 256


def peak_memory_mb() -> float:
    """The peak resident memory of this process so far, in MB (Linux counts in kB)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


def memo_evictor():
    """A function that ages Typst's memo cache by `EVICTING_COMPILES` compiles (of an empty
    document, no system font searched: a millisecond each, plus the eviction itself)."""
    import typst

    empty = typst.Compiler(b" ", ignore_system_fonts=True)

    def evict() -> None:
        for _ in range(EVICTING_COMPILES):
            # The input again each time: typst-py forgets an in-memory main file once compiled.
            empty.compile(input=b" ", format="pdf")

    return evict


# A chart shrinks to the room left on its page down to this share of the text width, rather
# than leave the rest of the page blank (in steps of 5 %); below it, it waits for a later slot.
CHART_MIN_SCALE = 0.6
MAX_LAYOUT_PASSES = 40
PLAN_FILE = "chart-plan.json"  # read by report.typ: `{"<chart id>": {"slot": k, "scale": s}}`


def chart_scale(slot: dict) -> float | None:
    """The scale the chart gets at `slot` (what report.typ reports there): 1 if it fits the
    room left on the page, a smaller one down to `CHART_MIN_SCALE`, or None."""
    if slot["full"] <= slot["room"]:
        return 1
    if slot["picture"] <= 0:
        return None
    scale = math.floor((1 - (slot["full"] - slot["room"]) / slot["picture"]) * 20) / 20
    return scale if scale >= CHART_MIN_SCALE else None


# A chart held to its heading that stands this close to a page's top was pushed there with
# its heading (the heading, its spacing and the slot's marker; points).
PUSHED_FROM_TOP = 80


def plan_charts(slots: list[dict], plan: dict[str, dict]) -> dict[str, dict]:
    """`plan` with the first chart whose place is wrong (as laid out with `plan`) put right
    (`next_place`). Only one chart changes at a time, since moving it moves every later one;
    the plan is settled when nothing changes."""
    by_chart: dict[int, dict[int, dict]] = {}
    for slot in slots:
        by_chart.setdefault(slot["chart-slot"], {})[slot["slot"]] = slot
    for chart in sorted(by_chart):
        places = by_chart[chart]
        before = places[min(places)]["before"]
        first = plan.get(str(before), {}).get("slot", 0) if before is not None else 0
        now = plan.get(str(chart), {"slot": 0, "scale": 1})
        choice = next_place(places, now, first)
        if choice != now:
            return {**plan, str(chart): choice}
    return plan


def next_place(places: dict[int, dict], now: dict, first: int) -> dict:
    """One chart's next plan entry (`{"slot": k, "scale": s}` and its state), from what its
    slots (`places`, by slot number) measure as laid out with its entry `now`; `first`: the
    slot of the chart before it in its run. The one state machine of the placement:

    - A chart held to its heading (one sticky slot) that a page break pushed, heading and all,
      to the top of the next page is tried at `CHART_MIN_SCALE` (`pushed-to`: that page); if it
      then stays on the page before, it takes the largest scale that fits there (`tried`), 5 %
      smaller a pass while it is pushed again; one pushed even at `CHART_MIN_SCALE` stands full
      size where it was. Either way it is then `held`, and kept.
    - Any other chart stands at the first of its slots where it fits (no earlier than `first`;
      the first of a run of several never past a heading), shrunk down to `CHART_MIN_SCALE`.
      Only the slots up to its place are measured truly (the chart pushes the later ones down),
      so one that fits at none is first tried at its last slot (`probe`), then placed where it
      leaves the least room blank as it moves to the next page (`settled`), and kept.
    """
    headed = places.get(0)
    if headed and headed["sticky"] and len(places) == 1:
        pushed = now.get("pushed-to")
        if now.get("held"):
            return now
        if pushed is not None:
            if headed["page"] >= pushed:  # pushed again at this scale
                if now["scale"] <= CHART_MIN_SCALE:
                    return {"slot": 0, "scale": 1, "held": True}
                return {**now, "scale": round(max(now["scale"] - 0.05, CHART_MIN_SCALE), 2)}
            if now["scale"] == CHART_MIN_SCALE and not now.get("tried"):  # as large as fits
                best = min(chart_scale(headed) or CHART_MIN_SCALE, 0.95)
                if best > CHART_MIN_SCALE:
                    return {**now, "scale": best, "tried": True}
            return {**now, "held": True}
        if (headed["from-top"] <= PUSHED_FROM_TOP and headed["page"] > 1
                and now.get("scale", 1) == 1):
            return {"slot": 0, "scale": CHART_MIN_SCALE, "pushed-to": headed["page"]}
    last = max(k for k, s in places.items() if not (s["late"] and s["first-of-several"]))
    known = [k for k in range(first, max(first, now["slot"]) + 1) if k in places
             and not (places[k]["late"] and places[k]["first-of-several"])]
    fitting = [k for k in known if chart_scale(places[k])]
    if fitting:
        return {"slot": fitting[0], "scale": chart_scale(places[fitting[0]])}
    if now.get("probe"):  # it starts a page wherever it stands: where least is blank
        least = min(known, key=lambda k: (places[k]["room"], -k), default=last)
        return {"slot": least, "scale": 1, "settled": True}
    if now.get("settled") or now["slot"] >= last:
        return now
    return {"slot": last, "scale": 1, "probe": True}


class TypstPDFExporter(PandocExporter):
    """nbconvert exporter to a designed PDF via pandoc and Typst (no LaTeX, no browser).

    Code cells show only if `show_code` is set or the notebook's parameters ask for it.
    """

    export_from_notebook = "PDF (Typst)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def convert(self, nb, resources: dict) -> bytes:
        return notebook_to_pdf(nb, show_code=self.show_code, resources=resources,
                               logger=self.log)


def _typst_message(err: Exception, main: Path) -> str:
    parts = [f"Typst could not compile the report: {getattr(err, 'message', None) or err}"]
    diagnostic = getattr(err, "diagnostic", "")
    if diagnostic:
        parts.append(str(diagnostic).replace(str(main.parent), "<build>"))
    parts.extend(f"hint: {hint}" for hint in getattr(err, "hints", None) or [])
    if "PDF/UA" in parts[0] or "PDF/A" in parts[0]:
        parts.append(
            "The PDF is written to PDF/UA-1 and PDF/A-2a: every image needs alt text, the report "
            "a title, and headings may not skip a level (the line above is in the Typst source "
            "made from the notebook)."
        )
    return "\n".join(parts)
