"""Plan a render: check variants and parameters (no kernel yet) and describe each job, with the
digest of every input it reads (see `cache`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tunisia_report.dataset.schema import DESCRIPTOR
from tunisia_report.exceptions import ParameterError
from tunisia_report.parameters import (
    check_parameters,
    notebook_parameters,
)
from tunisia_report.paths import (
    DATA_DIR,
    FIGURES_DIR,
    NOTEBOOKS_DIR,
    PARAMS_DIR,
    REPORT_NOTEBOOK,
    REPORTS_DIR,
)
from tunisia_report.render import cache
from tunisia_report.render.variants import DEFAULT_VARIANT, load_variant

REPORT_NAME = "report.ipynb"
EXPORT_SUFFIX = {"html": ".html", "pdf": ".pdf", "docx": ".docx"}  # export formats, file suffixes


@dataclass
class Options:
    """What the user asked for (see `render.cli` for the flags)."""

    variants: list[str] | None = None  # None: the default render into output_dir itself
    params: dict = field(default_factory=dict)
    cli_names: set = field(default_factory=set)  # names given with -p (strings to coerce)
    notebooks: list[Path] | None = None  # None: the variant's notebooks
    formats: tuple[str, ...] = ("html", "pdf", "docx")
    jobs: int = 1
    force: bool = False
    output_dir: Path = REPORTS_DIR
    timeout: float | None = None
    variants_dir: Path = PARAMS_DIR
    strict: bool = False  # an untranslated paragraph fails the export


@dataclass
class Job:
    """One variant to render: where it goes, which notebooks, with which parameters."""

    name: str
    out_dir: Path
    figures_dir: Path
    notebooks: list[Path]
    parameters: dict[str, dict]  # per notebook file name
    exports: list[str]  # notebook file names to export to the formats
    keys: dict[str, str] = field(default_factory=dict)  # per notebook file name (see `cache`)
    fresh: set[str] = field(default_factory=set)  # notebooks whose outputs are up to date

    @property
    def stale(self) -> list[Path]:
        """The notebooks to run: those whose inputs changed since their outputs were made."""
        return [nb for nb in self.notebooks if nb.name not in self.fresh]


def default_notebooks() -> list[Path]:
    """The analysis notebooks in order, then the report."""
    found = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    return sorted(found, key=lambda p: p.name == REPORT_NAME)


def plan(options: Options) -> list[Job]:
    """Check variants and parameters (no kernel yet) and describe each job."""
    named = options.variants is not None
    jobs = []
    digests = cache.Digests()  # every notebook's key reads the same package and data files
    for variant in options.variants or [DEFAULT_VARIANT]:
        spec = load_variant(variant, options.variants_dir)
        if options.notebooks:
            notebooks = [Path(p).resolve() for p in options.notebooks]
            spec_params = spec["parameters"] if named else {}
        else:
            wanted = spec["notebooks"]
            notebooks = [p for p in default_notebooks() if wanted is None or p.stem in wanted]
            spec_params = spec["parameters"]
        out_dir = Path(options.output_dir) / variant if named else Path(options.output_dir)
        figures_dir = (FIGURES_DIR if not named and Path(options.output_dir) == REPORTS_DIR
                       else out_dir / "figures")
        declared = {p.name: notebook_parameters(p) for p in notebooks}
        given = {**spec_params, **options.params}
        per_notebook = check_parameters(given, declared, options.cli_names)
        for name, params in per_notebook.items():  # kernels run in notebooks/: absolute paths
            if params.get("data_dir"):
                params["data_dir"] = str(existing_data_dir(params["data_dir"], name))
        if options.notebooks:
            exports = [p.name for p in notebooks]
        else:
            exports = [p.name for p in notebooks if p.name == REPORT_NAME]
        job = Job(variant, out_dir.resolve(), figures_dir.resolve(), notebooks, per_notebook,
                  exports)
        for nb in notebooks:
            job.keys[nb.name] = notebook_key(job, nb, options, digests)
        jobs.append(job)
    digests.save()
    return jobs


def notebook_key(job: Job, notebook: Path, options: Options,
                 digests: cache.Digests | None = None) -> str:
    """The digest of what one notebook's run reads (`cache.input_key`): its source, parameters,
    data, exports and where they go, and every option that changes an output or decides
    whether there is one (`--strict`: a lenient render must not stand for a strict one). An
    exported notebook's PDF takes its date from the report notebook when it has none of its
    own, so that notebook is read too. (`--jobs`, `--quiet` and `--execution-timeout` change
    no byte of an output: tests/test_render.py checks each option.)"""
    parameters = job.parameters.get(notebook.name, {})
    exported = notebook.name in job.exports
    settings = {"variant": job.name, "notebook": notebook.name, "parameters": parameters,
                "formats": options.formats if exported else (),
                "strict": options.strict and exported, "out_dir": str(job.out_dir),
                "figures_dir": str(job.figures_dir)}
    sources = [notebook, REPORT_NOTEBOOK] if exported and REPORT_NOTEBOOK.is_file() else [notebook]
    data = [Path(parameters.get("data_dir") or DATA_DIR).resolve()]
    return cache.input_key(sorted(set(sources)), settings, data, digests)


def existing_data_dir(value: str, notebook: str) -> Path:
    """The data_dir parameter as an absolute path; a ParameterError when it holds no dataset."""
    path = Path(value).resolve()
    if not (path / DESCRIPTOR).is_file():
        found = repr(value) + (" (no datapackage.json in it)" if path.is_dir() else
                               " (no such folder)")
        raise ParameterError("data_dir", notebook, f"a folder holding {DESCRIPTOR}", found)
    return path


def job_data_dirs(job: Job) -> list[Path]:
    """Every data directory the job's notebooks read ("" or no data_dir: the project's data/)."""
    return sorted({Path(params.get("data_dir") or DATA_DIR).resolve()
                   for params in job.parameters.values()} or {DATA_DIR.resolve()})


def data_dirs(jobs: list[Job]) -> list[Path]:
    """Every data directory the jobs' notebooks will read, each once."""
    return sorted({d for job in jobs for d in job_data_dirs(job)})
