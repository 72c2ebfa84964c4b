"""Copies that cannot be avoided, checked against their one source: papermill's engine method
(`export.evaluate` swaps its client class, and nothing else) and the rule of when a straight
quote opens (the HTML exporter's, and the pandoc filter's for Word and Typst)."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap

from tunisia_report.paths import PACKAGE_DIR


def _method_body(function, client: str) -> str:
    """The function's body as normalised source, its client class named `Client`, docstrings
    and comments left out."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    body = tree.body[0].body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, ast.Name) and node.id == client:
            node.id = "Client"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = node.value.replace("'", '"')
    return "\n".join(ast.unparse(statement) for statement in body)


def test_the_expression_engine_is_papermill_s_with_its_client_swapped():
    from papermill.engines import NBClientEngine

    from tunisia_report.export.evaluate import expression_engine

    ours = expression_engine().execute_managed_notebook.__func__
    theirs = NBClientEngine.execute_managed_notebook.__func__
    assert inspect.signature(ours) == inspect.signature(theirs)
    assert "ExpressionClient(nb_man" in inspect.getsource(ours)
    assert _method_body(ours, "ExpressionClient") == _method_body(
        theirs, "PapermillNotebookClient")


def test_a_quote_opens_after_the_same_characters_in_every_format():
    from tunisia_report.export import html

    lua = (PACKAGE_DIR / "export" / "filters" / "notebook.lua").read_text(encoding="utf-8")
    table = re.search(r"local OPENS_AFTER = \{(.*?)\}\n", lua, re.S).group(1)
    keys = re.findall(r"\['((?:[^'\\]|\\u\{[0-9A-Fa-f]+\}|\\.)*)'\] = true", table)
    chars = {re.sub(r"\\u\{([0-9A-Fa-f]+)\}", lambda m: chr(int(m.group(1), 16)), k)
             .replace("\\t", "\t") for k in keys}
    # A pandoc Str never holds a line break, which the HTML's text can.
    assert chars == set(html._BEFORE_OPENING) - {"\n"}
