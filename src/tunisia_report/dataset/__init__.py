"""The dataset: its schema (`schema`), its checks (`validate`), typed tables (`tables`), the
table views the dataset notebook shows (`catalogue`) and the verdicts computed from the public
record (`verdicts`).

`load`, `Dataset` and `to_csv_text` are imported on first use, so that the standard-library-only
modules (`schema`, `validate`) stay fast to import for the command line. (The check itself is
`dataset.validate.validate`: the package does not re-export it, so that the name `validate`
stays the module's.)
"""

from tunisia_report.paths import DATA_DIR

_LAZY = {"load", "Dataset", "to_csv_text"}
__all__ = ["DATA_DIR", "Dataset", "load", "to_csv_text"]


def __getattr__(name: str):
    if name in _LAZY:
        from tunisia_report.dataset import tables

        return getattr(tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
