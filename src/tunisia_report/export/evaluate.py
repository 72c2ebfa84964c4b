"""Markdown cells' inline expressions, evaluated in the live kernel as the notebook runs.

`EvaluatesMarkdown` makes an nbclient client treat a Markdown cell as JupyterLab with
jupyterlab-myst does on Run All: when the run reaches the cell, its ``{eval}`…``` expressions
are sent to the kernel as ``user_expressions`` and the results stored in the cell's metadata
(`display.EXPRESSIONS_KEY`, jupyterlab-myst's format). The render (`render.execute`), the
exporters' re-run of an unrun notebook (`rerun.executed`) and plain papermill with
``--engine tunisia_report`` all use it.
"""

from __future__ import annotations

from functools import cache

from nbclient.util import run_sync

from tunisia_report.display import EXPRESSIONS_KEY
from tunisia_report.exceptions import ExpressionError
from tunisia_report.text.prose import expressions, source


class EvaluatesMarkdown:
    """Mixin for an nbclient `NotebookClient`: Markdown cells evaluate their expressions."""

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):
        if cell.cell_type == "markdown":
            await self.async_evaluate_expressions(cell, cell_index)
            return cell
        return await super().async_execute_cell(cell, cell_index, execution_count,
                                                store_history)

    execute_cell = run_sync(async_execute_cell)  # nbclient binds the sync name to its own

    async def async_evaluate_expressions(self, cell, cell_index: int) -> None:
        """Store the cell's expression results; ExpressionError for one that raised."""
        found = expressions(source(cell))
        if not found:
            cell.metadata.pop(EXPRESSIONS_KEY, None)
            return
        names = {str(n): expression for n, expression in enumerate(found)}
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions=names)
        reply = await self.async_wait_for_reply(msg_id, cell)
        results = (reply or {}).get("content", {}).get("user_expressions", {})
        cell.metadata[EXPRESSIONS_KEY] = [
            {"expression": expression, "result": results.get(name, {"status": "error"})}
            for name, expression in names.items()]
        for entry in cell.metadata[EXPRESSIONS_KEY]:
            result = entry["result"]
            if result.get("status") != "ok":
                raise ExpressionError(cell_index, cell.get("id"), entry["expression"],
                                      result.get("ename", "Error"), result.get("evalue", ""))


@cache
def expression_engine():
    """papermill's nbclient engine whose client evaluates Markdown cells' expressions (built on
    first use: importing papermill loads its engines' entry points, this module's among them).

    Why its one method is papermill's, copied: papermill 2.7 names its client class inside
    `NBClientEngine.execute_managed_notebook` (no class attribute, no factory), and nbclient's
    public hook for cells it skips, `on_cell_start`, is called without the client, whose kernel
    connection the expressions need. So the method is papermill's with the client's class
    swapped, nothing else; a test compares it with papermill's own, so an upgrade that changes
    papermill's is seen."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, logger
    from papermill.utils import merge_kwargs, remove_args

    class ExpressionClient(EvaluatesMarkdown, PapermillNotebookClient):
        """papermill's client, evaluating Markdown cells' expressions."""

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                     stdout_file=None, stderr_file=None, start_timeout=60,
                                     execution_timeout=None, **kwargs):
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            return ExpressionClient(nb_man, **final_kwargs).execute()

    return Engine


class ExpressionEngine:
    """``papermill --engine tunisia_report`` (an entry point): the notebook papermill writes
    has its Markdown cells' expressions filled. Delegates to `expression_engine()`."""

    @classmethod
    def execute_notebook(cls, *args, **kwargs):
        return expression_engine().execute_notebook(*args, **kwargs)

    @classmethod
    def nb_kernel_name(cls, nb, name=None):
        return expression_engine().nb_kernel_name(nb, name)

    @classmethod
    def nb_language(cls, nb, language=None):
        return expression_engine().nb_language(nb, language)
