"""The package's shape: no import cycle, folders import only from the folders before them, and
each small contract is defined once (or the non-Python copies are checked against it)."""

from __future__ import annotations

import ast
import json
import re

import pytest

from tunisia_report import display
from tunisia_report.charts import style
from tunisia_report.paths import DATA_DIR, NOTEBOOKS_DIR, PACKAGE_DIR, PARAMS_DIR
from tunisia_report.report.content import SECTIONS
from tunisia_report.text.dates import PRECISIONS

# The pipelines in order: a folder may import from itself and from folders before it.
# Top-level modules (paths, exceptions, parameters, display, store) are shared: they import
# no folder. `cli` and `__main__` are the entry points and may import anything.
LAYERS = ["text", "dataset", "charts", "report", "export", "render"]
SHARED = {"paths", "exceptions", "parameters", "display", "record", "store", "__init__"}
EXPORT_TEMPLATES = PACKAGE_DIR / "export" / "templates"


def module_name(path) -> str:
    parts = path.relative_to(PACKAGE_DIR).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("tunisia_report", *parts))


def package_imports() -> dict[str, set[str]]:
    """Each module of the package -> the package modules it imports (at any depth of code)."""
    modules = {module_name(p): p for p in PACKAGE_DIR.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")[: len(name.split(".")) - node.level + is_package]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            else:
                continue
            found |= {t for t in targets if t in modules and t != name}
        graph[name] = found
    return graph


def test_the_import_graph_has_no_cycle():
    graph = package_imports()
    state: dict[str, str] = {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if nxt.startswith(node + "."):  # a package importing its own submodule
                continue
            if state.get(nxt) == "open":
                cycle = trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def layer_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"


def test_folders_import_only_from_earlier_folders():
    wrong = []
    for module, imported in package_imports().items():
        layer = layer_of(module)
        for target in imported:
            other = layer_of(target)
            if layer in ("cli", "__main__") or other == layer or other in SHARED:
                continue
            if layer in SHARED or LAYERS.index(other) > LAYERS.index(layer):
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_every_module_belongs_to_a_known_place():
    places = {layer_of(m) for m in package_imports()}
    assert places <= {*LAYERS, *SHARED, "cli", "__main__"}


# --- contracts: defined once, copies checked ---------------------------------------------------


def test_document_colours_in_typst_and_css_match_the_palette():
    typ = (EXPORT_TEMPLATES / "report.typ").read_text(encoding="utf-8")
    css = (EXPORT_TEMPLATES / "report.css").read_text(encoding="utf-8")
    for name, colour in style.DOCUMENT_COLOURS.items():
        assert f'#let {name} = rgb("{colour}")' in typ.replace("'", '"'), name
        assert re.search(rf"--report-{name}:\s*{colour}\s*;", css, re.I), name


def test_figure_metadata_keys_match_the_templates_and_the_lua_filter():
    html = (EXPORT_TEMPLATES / "report.html.j2").read_text(encoding="utf-8")
    lua = (PACKAGE_DIR / "export" / "filters" / "notebook.lua").read_text(encoding="utf-8")
    assert f"get('{display.METADATA_KEY}', {{}}).get('{display.FIGURE_KEY}')" in html
    assert f"local FIGURE_ATTR = '{display.FIGURE_ATTR}'" in lua
    from tunisia_report.charts import FigureInfo

    assert tuple(FigureInfo.__dataclass_fields__) == display.FIGURE_FIELDS


def test_date_precisions_are_the_schemas():
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    enums = [f["constraints"]["enum"] for r in descriptor["resources"]
             for f in r["schema"]["fields"] if f["name"] == "date_precision"]
    assert enums and all(tuple(e) == PRECISIONS for e in enums)


def _report_cells():
    nb = json.loads((NOTEBOOKS_DIR / "report.ipynb").read_text(encoding="utf-8"))
    return nb["cells"]


def test_section_names_are_defined_once():
    params = "".join(next(c for c in _report_cells()
                          if "parameters" in c["metadata"].get("tags", []))["source"])
    line = next(x for x in params.splitlines() if x.startswith("sections"))
    assert re.search(r"\(one of: ([^)]*)\)", line).group(1).split(", ") == list(SECTIONS)
    assert "sections" not in (PARAMS_DIR / "report.yaml").read_text(encoding="utf-8")


def test_report_notebook_has_a_heading_per_section():
    headings = {}
    for cell in _report_cells():
        tags = [t for t in cell["metadata"].get("tags", []) if t.startswith("section:")]
        if cell["cell_type"] == "markdown" and tags:
            headings[tags[0].split(":", 1)[1]] = "".join(cell["source"]).strip()
    assert headings == {key: f"## {title}" for key, title in SECTIONS.items()}


# --- prose: no number typed by hand ---------------------------------------------------------

# Every module of report/ (cards.py writes the cards' markup, its digits are CSS and patterns).
PROSE_MODULES = sorted([*(p for p in (PACKAGE_DIR / "report").glob("*.py")
                          if p.name not in ("__init__.py", "cards.py")),
                        *(p for p in (PACKAGE_DIR / "charts").glob("*.py")
                          if p.name not in ("style.py", "geo.py", "__init__.py"))])
# Identifiers (ids, labels, dtypes), character classes of a pattern and the names of a digest and
# an encoding are not numbers of the report.
NOT_NUMBERS = re.compile(r"\[\^A-Za-z0-9[^\]]*\]|\{[^{}]*\}|\b[a-z]+(?:-[a-z0-9]+)+\b|\bsha256\b"
                         r"|\b(?:Int|Float)64\b"
                         r"|\bbase64\b|\butf-8\b|^0$")


def _string_literals(tree) -> list[str]:
    skip = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)):
            skip.add(id(body[0].value))  # docstrings
        if isinstance(node, ast.FormattedValue) and node.format_spec:
            skip |= {id(n) for n in ast.walk(node.format_spec)}  # f"{x:,.0f}"
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and id(n) not in skip]


@pytest.mark.parametrize("path", PROSE_MODULES, ids=lambda p: p.name)
def test_no_number_is_typed_into_the_prose(path):
    literals = _string_literals(ast.parse(path.read_text(encoding="utf-8")))
    assert len(literals) > 5  # the module does hold prose
    typed = [s for s in literals if re.search(r"\d", NOT_NUMBERS.sub("", s))]
    assert typed == []


# --- size: a module longer than this says why in its docstring -------------------------------

MAX_LINES = 450


def test_a_long_module_says_why_it_is_one():
    paths = sorted([*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.rglob("*.lua")])
    texts = {p: p.read_text(encoding="utf-8") for p in paths}
    long = {p: text for p, text in texts.items() if len(text.splitlines()) > MAX_LINES}

    def docstring(path, text):
        return (ast.get_docstring(ast.parse(text)) if path.suffix == ".py"
                else text.split("]]")[0]) or ""

    assert len(paths) > 50
    assert [str(p.relative_to(PACKAGE_DIR)) for p, text in long.items()
            if "Why one module" not in docstring(p, text)] == []
