"""In a real browser: JupyterLab as a person uses it, and the HTML report on a desktop and a phone.

Debian's ``chromium`` driven by Playwright's Python package (Playwright's own browser download
cannot work here). Without ``/usr/bin/chromium`` every test here is skipped, with one line saying
so. Set ``TUNISIA_SHOTS=DIR`` to keep screenshots of what the tests looked at.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from tests.helpers import stop_process
from tunisia_report.parameters import parameters_cell
from tunisia_report.paths import NOTEBOOKS_DIR, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "tests" / "data" / "axe-core" / "axe.min.js"  # axe-core 4.14.1, see its README
TOKEN = "tunisia-report-browser-test"
CHARTS_PER_NOTEBOOK = {"00_dataset.ipynb": 0, "01_casualties.ipynb": 1,
                       "02_counter_terrorism.ipynb": 2, "03_timeline_map.ipynb": 2,
                       "report.ipynb": 10}
SMALLEST_CHART_PT = 8  # no text in a chart is smaller (tests/test_charts.py checks it)
WAIT_MS = 180_000  # upper bound for a kernel run or an export, not a measurement

# One worker runs the module (its module-scoped fixtures are made once; see conftest).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]
if not CHROMIUM.exists():  # one line in the summary, whatever the number of tests
    pytest.skip("browser tests skipped: no /usr/bin/chromium (apt-get install chromium; "
                ".ci/run does)", allow_module_level=True)


def shot(page, name: str) -> None:
    """Keep a screenshot when TUNISIA_SHOTS names a folder (for people, never asserted)."""
    folder = os.environ.get("TUNISIA_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


@pytest.fixture(scope="module")
def browser_context():
    """One Chromium with a fresh profile; every page it opens records its downloads."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, \
            sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
            accept_downloads=True, viewport={"width": 1280, "height": 900})
        context.downloads = []

        def record(download):
            context.downloads.append(download)

        context.on("page", lambda page: page.on("download", record))
        yield context
        context.close()


# --- JupyterLab ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A real `jupyter lab` on 127.0.0.1 with a token, on copies of the project's notebooks
    whose charts are saved into a temporary folder instead of figures/."""
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "notebooks"
    root.mkdir()
    for path in NOTEBOOKS_DIR.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        cell = parameters_cell(nb)
        cell.source = cell.source.replace('figures_dir: str = ""',
                                          f'figures_dir: str = "{tmp / "figures"}"')
        nbformat.write(nb, root / path.name)
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                 "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[name] = str(tmp / name.lower())
        Path(env[name]).mkdir()
    port = _free_port()
    log_path = tmp / "lab.log"
    jupyter = Path(sys.executable).with_name("jupyter")
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(jupyter), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
             *(["--allow-root"] if os.geteuid() == 0 else [])],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # the server answers within seconds; give up after about a minute
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited ({proc.returncode}):\n{log_path.read_text()}")
            try:
                request = urllib.request.Request(f"{base}/api/status",
                                                 headers={"Authorization": f"token {TOKEN}"})
                with urllib.request.urlopen(request, timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        else:
            pytest.fail(f"jupyter lab did not start:\n{log_path.read_text()}")
        yield base, root, log_path
    finally:
        stop_process(proc, timeout=30)


def open_notebook(context, lab, name: str):
    base, _, _ = lab
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{base}/lab?reset&token={TOKEN}")
    # as a person would: once the launcher offers the project's kernel, open the notebook from
    # the file browser (opened earlier, JupyterLab may ask which kernel to start)
    page.locator(".jp-LauncherCard", has_text="tunisia-report").first.wait_for()
    # the export menu is filled once the formats arrive, after the first notebook opens
    with page.expect_response(lambda r: "/api/nbconvert" in r.url):
        page.locator(".jp-DirListing-item", has_text=name).dblclick()
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first.wait_for()
    wait_for_kernel(base, name)
    return page


def wait_for_kernel(base: str, name: str) -> None:
    """Until the notebook's kernel is connected and idle: JupyterLab may start a kernel and
    replace it at once, and a Run All sent meanwhile loses its queue (seen here)."""
    for _ in range(1200):  # a few seconds in practice; about two minutes at most
        request = urllib.request.Request(f"{base}/api/sessions",
                                         headers={"Authorization": f"token {TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            sessions = [s for s in json.loads(response.read()) if s["path"] == name]
        kernels = [s["kernel"] for s in sessions]
        if len(kernels) == 1 and kernels[0]["connections"] >= 1 \
                and kernels[0]["execution_state"] == "idle":
            return
        time.sleep(0.1)
    pytest.fail(f"no idle kernel for {name}: {sessions}")


def menu(page, *path: str) -> None:
    """Click through the menu bar; each label is a regular expression matched at the start:
    menu(page, "Run", "Run All Cells")."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{path[0]}$")).click()
    for label in path[1:]:
        page.locator(".lm-Menu:visible .lm-Menu-item:visible",
                     has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{label}"))
                     ).last.click()


def run_all(page) -> None:
    menu(page, "Run", "Run All Cells")
    # every code cell shows an execution count: "[3]:", none "[*]:" or empty; and the kernel is
    # idle (the status bar): jupyterlab-myst evaluates the Markdown cells' expressions after
    # the code, and re-renders each cell as its values arrive (a double click on a cell being
    # re-rendered opened no editor)
    try:
        page.wait_for_function("""() => {
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
            const status = document.querySelector('#jp-main-statusbar');
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent))
                && status !== null && /\\|\\s*Idle/.test(status.textContent);
        }""", timeout=WAIT_MS)
    except Exception:
        shot(page, "run-all-failed")
        raise


def export(context, page, label: str) -> tuple[Path, str]:
    """File → Save and Export Notebook As → label: JupyterLab opens the download in a new tab.
    Returns the downloaded file's path and suggested name."""
    before = len(context.downloads)
    try:
        with context.expect_page(timeout=WAIT_MS) as new_tab:
            menu(page, "File", "Save and Export Notebook As", f"{label}$")
            if label == "HTML":  # JupyterLab asks whether to sanitize; the report has no scripts
                page.locator(".jp-Dialog", has_text="Export as HTML").locator(
                    ".jp-mod-accept").click()
        tab = new_tab.value
    except Exception:
        shot(page, "export-failed")
        raise
    if len(context.downloads) == before:
        tab.wait_for_event("download", timeout=WAIT_MS)
    download = context.downloads[-1]
    assert download.failure() is None, download.failure()
    return Path(download.path()), download.suggested_filename


@pytest.mark.parametrize("name", sorted(CHARTS_PER_NOTEBOOK))
def test_run_all_in_jupyterlab_draws_charts_with_alt_text_and_exports(browser_context, lab,
                                                                      name):
    page = open_notebook(browser_context, lab, name)
    run_all(page)
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    errors = notebook.locator("[data-mime-type='application/vnd.jupyter.stderr'], "
                              ".jp-OutputArea-output[data-mime-type*='error']")
    assert errors.count() == 0, errors.first.inner_text()
    outputs = notebook.locator(".jp-OutputArea-output")
    assert "Chart(" not in "\n".join(outputs.all_inner_texts())
    charts = notebook.locator(".jp-OutputArea-output img")
    assert charts.count() == CHARTS_PER_NOTEBOOK[name]
    for index in range(charts.count()):
        image = charts.nth(index)
        assert len(image.get_attribute("alt") or "") > 40, "every chart has its alt text"
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    shot(page, f"lab-{name}")

    pdf_path, pdf_name = export(browser_context, page, "PDF")
    assert pdf_name == name.replace(".ipynb", ".pdf")
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert reader.metadata["/Creator"].startswith("Typst")
    assert not reader.metadata["/CreationDate"].startswith("D:1970")
    assert text.count("FIGURE ") >= CHARTS_PER_NOTEBOOK[name]
    assert "Chart(" not in text

    html_path, html_name = export(browser_context, page, "HTML")
    assert html_name == name.replace(".ipynb", ".html")
    html = html_path.read_text(encoding="utf-8")
    assert html.count('<figure class="report-figure"') == CHARTS_PER_NOTEBOOK[name]
    assert "<script" not in html
    page.close()


def test_export_menu_reads_well_and_offers_only_what_works(browser_context, lab):
    page = open_notebook(browser_context, lab, "01_casualties.ipynb")
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^File$")).click()
    page.locator(".lm-Menu-item:visible", has_text="Save and Export Notebook As").hover()
    submenu = page.locator(".lm-Menu:visible").last
    submenu.locator(".lm-Menu-itemLabel", has_text=re.compile("^PDF$")).wait_for()
    labels = [t.strip() for t in submenu.locator(".lm-Menu-itemLabel").all_inner_texts()]
    shot(page, "lab-export-menu")
    page.keyboard.press("Escape")
    page.close()
    assert set(labels) == {"PDF", "HTML", "Word", "Executable Script"}, labels


def test_unrun_notebook_exports_with_its_charts(browser_context, lab):
    """Export straight after opening (nothing run): the server runs it first."""
    page = open_notebook(browser_context, lab, "02_counter_terrorism.ipynb")
    pdf_path, _ = export(browser_context, page, "PDF")
    page.close()
    text = " ".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert text.count("FIGURE ") >= 2


# --- the HTML report ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_html(report_render) -> Path:
    return report_render / "report.html"


def open_report(context, report_html: Path, width: int):
    """The report opened from its file at this width, with its console and requests recorded."""
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
    page.problems, page.requests = [], []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(report_html.as_uri())
    page.width = width
    return page


@pytest.fixture(scope="module")
def shared_report_pages(browser_context, report_html):
    """One page of the report per width, opened when first asked for, for the tests that only
    read it (scrolling aside): each of those loaded and laid out the same page again."""
    pages = {}

    def page_at(width: int):
        if width not in pages:
            pages[width] = open_report(browser_context, report_html, width)
        return pages[width]

    yield page_at
    for page in pages.values():
        page.close()


@pytest.fixture(params=[1280, 390], ids=["desktop-1280px", "phone-390px"])
def report_page(request, browser_context, report_html, shared_report_pages):
    """The report at this width: the module's page of that width (its console and requests
    recorded since it opened), or a page of the test's own for a test marked `changes_page`
    (it opens a table, follows a link or adds a script)."""
    if request.node.get_closest_marker("changes_page") is None:
        yield shared_report_pages(request.param)
        return
    page = open_report(browser_context, report_html, request.param)
    yield page
    page.close()


def test_report_page_fits_loads_only_itself_and_logs_nothing(report_page, report_html):
    page = report_page
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
    assert page.problems == []
    assert [u for u in page.requests if u != report_html.as_uri()
            and not u.startswith("data:")] == []
    charts = page.evaluate("""() => [...document.querySelectorAll('.report-figure svg')]
        .filter(s => s.checkVisibility()).map(  // the phone's variant or the wide chart
        s => ({drawn: s.getBoundingClientRect().height > 50, role: s.getAttribute('role'),
               name: s.getAttribute('aria-label') || ''}))""")
    assert len(charts) == CHARTS_PER_NOTEBOOK["report.ipynb"]
    assert page.evaluate("document.images.length") == 0  # charts are inline SVG, not <img>
    assert all(c["drawn"] and c["role"] == "img" and len(c["name"]) > 40 for c in charts)
    shot(page, f"report-{page.width}")


def test_every_table_column_can_be_reached(report_page):
    """Scrolled fully right, the last header cell is on the screen (and so the first, scrolled
    left); a box laid out as a table row would not scroll at all."""
    page = report_page
    tables = page.evaluate("document.querySelectorAll('table').length")
    assert tables >= 1
    for index in range(tables):
        reach = page.evaluate("""index => {
            const table = document.querySelectorAll('table')[index];
            const box = table.closest('.report-table');
            const cells = table.rows[0].cells;
            const seen = cell => { const r = cell.getBoundingClientRect();
                return r.left >= -0.5 && r.right <= document.documentElement.clientWidth + 0.5; };
            box.scrollLeft = 0;
            const first = seen(cells[0]);
            box.scrollLeft = box.scrollWidth;
            const last = seen(cells[cells.length - 1]);
            box.scrollIntoView();
            return {first, last, columns: cells.length};
        }""", index)
        assert reach["first"] and reach["last"], reach
    if page.width == 390:
        shot(page, "report-390-appendix")


def test_chart_text_is_at_least_9px(report_page):
    scales = report_page.evaluate("""() => [...document.querySelectorAll('.report-figure svg')]
        .filter(s => s.checkVisibility())  // the phone's variant or the wide chart
        .map(s => s.getBoundingClientRect().width / s.viewBox.baseVal.width)""")
    assert len(scales) == CHARTS_PER_NOTEBOOK["report.ipynb"]
    smallest_px = min(scales) * SMALLEST_CHART_PT  # a viewBox unit is a point of the chart
    assert smallest_px >= 9, f"chart text drawn at {smallest_px:.1f} px"


@pytest.mark.changes_page
def test_every_chart_fits_its_column_and_tabulates_its_data(report_page):
    """No sideways scroller: each chart is as wide as its column or narrower, at 1280 and at
    390 px; under it a folded table ("The chart's data") with the rows of its CSV download,
    which opens on a tap."""
    charts = report_page.evaluate("""() => [...document.querySelectorAll('.report-figure')]
        .map(f => {
        const svg = [...f.querySelectorAll('svg')].find(s => s.checkVisibility())
            .getBoundingClientRect();
        const column = f.getBoundingClientRect();
        const box = f.querySelector('.report-figure__image');
        const table = f.querySelector('details.report-figure__table table');
        return {id: f.id, fits: svg.width <= column.width + 0.5,
                scrolls: box.scrollWidth > box.clientWidth + 1,
                cells: table ? [...table.rows].map(r => [...r.cells].map(c => c.textContent))
                             : [],
                href: f.querySelector('.report-figure__data a').getAttribute('href'),
                summary: f.querySelector('details summary').innerText};
        })""")
    assert len(charts) == CHARTS_PER_NOTEBOOK["report.ipynb"]
    for chart in charts:
        assert chart["fits"] and not chart["scrolls"], chart
        assert chart["summary"] == "The chart\u2019s data", chart  # typographic, as the page's
        download = base64.b64decode(chart["href"].split(",", 1)[1]).decode("utf-8")
        rows = list(csv.reader(io.StringIO(download)))
        assert len(chart["cells"]) == len(rows) > 1, chart["id"]  # every row of the download
        assert chart["cells"][0] == rows[0], chart["id"]
    details = report_page.locator("details.report-figure__table").first
    details.locator("summary").click()
    assert details.locator("table").is_visible()
    if report_page.width == 390:
        details.scroll_into_view_if_needed()
        shot(report_page, "report-390-chart")


def test_each_record_mark_has_a_tooltip_and_links_to_its_source(report_page):
    marks = report_page.evaluate("""() => [...document.querySelectorAll(
        '.report-figure svg g[id*="marks-"] title')].filter(
            t => t.closest('svg').checkVisibility()).map(t => ({
            text: t.textContent, link: t.parentElement.tagName.toLowerCase() === 'a'
                ? t.parentElement.getAttribute('xlink:href') || t.parentElement.getAttribute('href')
                : null,
            shown: t.parentElement.getBoundingClientRect().width > 0}))""")
    assert len(marks) >= 10
    assert all(m["shown"] and re.search(r"\d", m["text"]) for m in marks)
    assert all(m["link"] is None or m["link"].startswith("http") for m in marks)
    assert sum(m["link"] is not None for m in marks) >= len(marks) / 2
    assert any("Reuters" in m["text"] for m in marks)  # who gave the number


def test_every_chart_has_marks_whose_tooltip_a_pointer_finds(report_page):
    charts = report_page.evaluate("""() => [...document.querySelectorAll('.report-figure')]
        .map(f => {
        const titles = [...f.querySelectorAll('svg title')].filter(
            t => t.textContent.trim() && t.closest('svg').checkVisibility());
        const found = titles.filter(t => {  // what the pointer at the mark's centre is over
            const mark = t.parentElement;
            mark.scrollIntoView({block: 'center', inline: 'center'});
            const box = mark.getBoundingClientRect();
            let hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            while (hit && ![...hit.children].some(c => c.tagName.toLowerCase() === 'title')) {
                hit = hit.parentElement;
            }
            return hit === mark;
        });
        return {id: f.id, titles: titles.length, found: found.length};
        })""")
    assert len(charts) == CHARTS_PER_NOTEBOOK["report.ipynb"]
    charts = [c for c in charts if c["id"] != "chaambi-attack"]  # leaving the report
    assert all(c["titles"] and c["found"] for c in charts), charts
    assert sum(c["found"] for c in charts) >= 0.8 * sum(c["titles"] for c in charts), charts


def test_each_chart_links_to_the_rows_it_draws(report_page):
    import base64

    links = report_page.evaluate("""() => [...document.querySelectorAll('.report-figure')].map(
        f => { const a = f.querySelector('.report-figure__data a');
               return a && {href: a.getAttribute('href'), file: a.getAttribute('download'),
                            id: f.id}; })""")
    assert len(links) == CHARTS_PER_NOTEBOOK["report.ipynb"] and all(links)
    for link in links:
        assert link["file"] == f"{link['id']}.csv"
        header, payload = link["href"].split(",", 1)
        assert header == "data:text/csv;charset=utf-8;base64"
        rows = base64.b64decode(payload).decode("utf-8").splitlines()
        assert len(rows) >= 2 and "," in rows[0], link["id"]


@pytest.mark.changes_page
def test_a_claim_anchor_opens_its_card(report_page, report_html):
    ids = report_page.evaluate("""() => [...document.querySelectorAll('article.verdict-card')]
        .map(a => a.id)""")
    assert len(ids) >= 10 and all(i.startswith("claim-") for i in ids)
    assert len(set(ids)) == len(ids)
    report_page.goto(f"{report_html.as_uri()}#{ids[-1]}")
    card = report_page.locator(f"#{ids[-1]}")
    box = card.bounding_box()
    assert box and 0 <= box["y"] < report_page.viewport_size["height"]  # scrolled to it
    badge = card.locator(".verdict-badge")
    assert badge.inner_text().strip() and card.locator("blockquote").inner_text()
    assert report_page.problems == []


@pytest.mark.changes_page
def test_axe_finds_no_serious_or_critical_violation(report_page):
    # Evaluated through the DevTools protocol: the report's Content-Security-Policy forbids
    # scripts in the page, which is what a reader's browser must enforce, not the audit.
    report_page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    violations = report_page.evaluate("""async () => (await axe.run(document)).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                    first: v.nodes[0].html.slice(0, 200)}))""")
    assert violations == [], json.dumps(violations, indent=1)


def test_vendored_axe_is_the_pinned_release():
    assert AXE.read_text(encoding="utf-8").startswith("/*! axe v4.14.1")


# --- the report's words, edited where they are read ----------------------------------------------


def shown(page, pattern: str) -> None:
    """Until a Markdown cell, as jupyterlab-myst renders it, reads `pattern` (a JS regex)."""
    page.wait_for_function(
        "pattern => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-MarkdownCell .myst')].some(m => new RegExp(pattern).test(m.textContent))",
        arg=pattern, timeout=WAIT_MS)


def settled(page, quiet_ms: int = 2_000) -> None:
    """Until the open notebook's cells have not changed for `quiet_ms` (at most WAIT_MS):
    jupyterlab-myst re-renders Markdown cells as the kernel's values arrive, after the code has
    run, and a cell re-rendered while it is being edited leaves its editor, the rest of the
    typing going to the notebook as commands."""
    page.evaluate("""([quiet, most]) => new Promise(resolve => {
        const panel = document.querySelector(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
        const done = () => { observer.disconnect(); clearTimeout(limit); resolve(); };
        let timer = setTimeout(done, quiet);
        const observer = new MutationObserver(() => {
            clearTimeout(timer);
            timer = setTimeout(done, quiet);
        });
        const limit = setTimeout(done, most);
        observer.observe(panel, {subtree: true, childList: true, characterData: true});
    })""", [quiet_ms, WAIT_MS])


def test_an_edited_sentence_is_filled_in_jupyterlab_and_in_both_exports(browser_context, lab):
    """An analyst adds a sentence with an inline expression to a Markdown cell of the report,
    runs the cell: jupyterlab-myst shows it filled from the kernel; PDF and HTML carry it.

    The analyst works on a copy of the report with its `sections` parameter set to the one
    section being edited (the earlier tests' panel and kernel of report.ipynb stay): Run All
    and the exports make that section only, as they do for any analyst who narrows them."""
    _, root, _ = lab
    nb = nbformat.read(root / "report.ipynb", as_version=4)
    parameters = parameters_cell(nb)
    sections = re.compile(r"^sections: list\[str\] = \[.*?\]", re.MULTILINE)
    assert sections.search(parameters.source), parameters.source
    parameters.source = sections.sub('sections: list[str] = ["casualties"]', parameters.source)
    nbformat.write(nb, root / "edited-report.ipynb")
    page = open_notebook(browser_context, lab, "edited-report.ipynb")
    run_all(page)
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    cell = notebook.locator(".jp-MarkdownCell", has_text="casualties in all")
    cell.scroll_into_view_if_needed()  # JupyterLab renders the cells in view
    shown(page, r"left 14 soldiers dead and 20 injured, 34 casualties")
    rendered = cell.locator(".myst").text_content()  # what jupyterlab-myst shows
    assert "{eval}" not in rendered and 'ref("' not in rendered
    settled(page)  # every Markdown cell rendered with its values, as a person would wait
    cell.dblclick()  # edit the Markdown, as a person does
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(' In all, {eval}`ref("total")` were hit, in {eval}`ref("event:chaambi-'
                       'attack:date")`.')
    # the editor holds the sentence as typed (no bracket closed for us) before the cell runs
    page.wait_for_function(
        "typed => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-MarkdownCell .cm-content')].some(e => e.textContent.includes(typed))",
        arg='In all, {eval}`ref("total")` were hit, in {eval}`ref("event:chaambi-attack:date")`.',
        timeout=WAIT_MS)
    page.keyboard.press("Shift+Enter")
    shown(page, r"In all, 34 were hit, in by 23 July 2014\.")
    shot(page, "lab-edited-sentence")

    pdf_path, _ = export(browser_context, page, "PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf_path).pages).split())
    assert re.search(r"In all, 34 were hit, in by 23 July 2014\d*\.", text)
    html_path, _ = export(browser_context, page, "HTML")
    html = html_path.read_text(encoding="utf-8")
    # no new note: the page quoted the article's words for that date before (text.notes)
    assert "In all, 34 were hit, in by 23 July 2014.</p>" in html and "{eval}" not in html


# --- downloads and the index ----------------------------------------------------------------------

DOWNLOAD_MS = 30_000  # upper bound for a local file's download, not a measurement


@pytest.fixture(scope="module")
def published(report_html):
    """The output folder served as a static site on 127.0.0.1 (how it is published)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(report_html.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def _click_download(page, link) -> bytes:
    with page.expect_download(timeout=DOWNLOAD_MS) as download:
        link.click()
    assert download.value.failure() is None, download.value.failure()
    return Path(download.value.path()).read_bytes()


def test_report_download_links_give_the_files_beside_it(browser_context, report_html, published):
    from tunisia_report.export.downloads import DOWNLOADS

    page = browser_context.new_page()
    page.goto(f"{published}/report.html")
    links = page.locator(".report-downloads a")
    assert sorted(links.all_inner_texts()) == sorted(DOWNLOADS)
    for index in range(links.count()):
        link = links.nth(index)
        name = link.get_attribute("href")
        assert _click_download(page, link) == (report_html.parent / name).read_bytes(), name
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_index_links_every_file_fits_and_passes_axe(browser_context, report_html, published,
                                                    width):
    folder = report_html.parent
    page = browser_context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.goto(f"{published}/index.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    violations = page.evaluate("""async () => (await axe.run(document)).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)""")
    assert violations == []
    hrefs = page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {"report.html", "report.ipynb", "claims.csv", "sources.ris"} <= set(hrefs)
    shot(page, f"index-{width}")
    for href in hrefs:
        assert not re.match(r"^[a-z]+:|^/", href), href  # relative links only
        # every link resolves, from the page, to the very file beside the index
        response = page.request.get(f"{published}/{href}")
        assert response.ok and response.body() == (folder / href).read_bytes(), href
    page.locator('main a[href="report.html"]').click()  # a reader's click: the report opens
    page.wait_for_load_state()
    assert page.url == f"{published}/report.html"
    assert page.locator(".report-header__title").count() == 1
    assert problems == []
    page.close()
