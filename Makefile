# Tunisia's Security-First Policy at a Crossroads: the report pipeline.
# Every target creates .venv and installs the pinned requirements on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help report preview test test-fast validate lab lint bench fresh clean messages

help: ## List the targets with a one-line description
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Tracked notebooks are committed without outputs: git passes notebooks/*.ipynb (.gitattributes)
# through nbstripout, keeping cell ids and dropping what a run writes into the metadata (the
# Markdown cells' evaluated inline expressions included).
STRIP_KEYS := metadata.language_info.codemirror_mode metadata.language_info.file_extension \
	metadata.language_info.mimetype metadata.language_info.nbconvert_exporter \
	metadata.language_info.pygments_lexer metadata.language_info.version \
	cell.metadata.user_expressions
NBSTRIPOUT := $(PY) -m nbstripout --keep-id --extra-keys '$(STRIP_KEYS)'

$(STAMP): requirements.txt pyproject.toml $(shell find jupyter-config -type f)
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	$(PY) -m pip check
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@# ipykernel install --sys-prefix, without the empty tmp…_kernels folder it leaves in /tmp
	$(PY) -m tunisia_report.render.kernels
	@# For this venv only: JupyterLab's export menu (tunisia_report/export/server.py) and
	@# settings (start the notebook's kernel without asking; no news fetched from the internet).
	cp -R jupyter-config/. $(VENV)/
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean "$(NBSTRIPOUT)" && \
	  git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv "$(NBSTRIPOUT) -t" && \
	  echo "git: notebooks/*.ipynb are stripped of outputs on commit (nbstripout)"; fi
	@touch $(STAMP)

report: $(STAMP) ## Validate the data and render the report (ARGS='--force', '--all-variants', ...)
	$(PY) -m tunisia_report render $(ARGS)

preview: $(STAMP) ## Serve the HTML report on 127.0.0.1, re-rendered as notebooks, data or catalogues are saved
	$(PY) -m tunisia_report preview $(ARGS)

# Both tiers run on every core (pytest-xdist); a module whose fixtures are costly runs on one
# worker (its xdist_group), and the two shared renders are made once per run (tests/conftest.py).
# Compiled bytecode is kept even where the environment says not to (PYTHONDONTWRITEBYTECODE):
# otherwise every worker rewrites every test module's asserts again (measured: collection 39 s
# instead of 8 s on a busy 2-core machine) and every render a test starts compiles the package.
XDIST := -n auto --dist loadgroup
test test-fast: export PYTHONDONTWRITEBYTECODE :=

test: $(STAMP) ## Run the whole test suite (ruff, then pytest on every core)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(XDIST) $(ARGS)

test-fast: $(STAMP) ## Run the tests that start no kernel and no browser (ruff, then pytest -m 'not slow')
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(XDIST) -m "not slow" $(ARGS)

validate: $(STAMP) ## Check the dataset against data/datapackage.json and the article
	$(PY) -m tunisia_report validate data

lab: $(STAMP) ## Open JupyterLab on notebooks/ with the project's kernel
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(ARGS)

lint: $(STAMP) ## Run ruff on the code
	$(VENV)/bin/ruff check .

bench: $(STAMP) ## Measure the pipeline against its baselines (writes reports/bench.json)
	$(PY) benchmarks/bench.py $(ARGS)

fresh: ## Clone into a temporary directory and run the two README commands from nothing
	bash benchmarks/fresh_clone.sh

clean: ## Remove generated reports, figures and the caches in .cache (keeps .venv)
	rm -rf reports/* figures/* .cache
	@touch reports/.gitkeep figures/.gitkeep

# An edited paragraph or message comes in as a fuzzy entry holding its old translation: the
# editions show the paragraph in English, marked, until a translator updates and unfuzzies it.
messages: $(STAMP) ## Extract the report's messages into locale/messages.pot and merge them into each edition's .po
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --sort-output --no-wrap --omit-header -o src/tunisia_report/locale/messages.pot .
	$(VENV)/bin/pybabel update -i src/tunisia_report/locale/messages.pot -d src/tunisia_report/locale --no-wrap --ignore-obsolete
	$(PY) -m pytest -q tests/test_i18n.py -k untranslated || true
