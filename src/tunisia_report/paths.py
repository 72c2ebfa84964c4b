"""Every path the project uses, defined once, relative to the repository root."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
GEOJSON = DATA_DIR / "tunisia_region.geojson"
NOTEBOOKS_DIR = ROOT / "notebooks"
PARAMS_DIR = NOTEBOOKS_DIR / "params"
REPORT_NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"
FIGURES_DIR = ROOT / "figures"  # the default render's published charts
# Charts of a run outside a render (JupyterLab, plain papermill), one folder per edition: a Run
# All never rewrites a published chart.
INTERACTIVE_FIGURES_DIR = FIGURES_DIR / "interactive"
REPORTS_DIR = ROOT / "reports"
CACHE_DIR = ROOT / ".cache"
REQUIREMENTS = ROOT / "requirements.txt"  # the pinned versions of every dependency
PACKAGE_DIR = Path(__file__).resolve().parent
