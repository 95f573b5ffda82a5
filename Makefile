# Two commands for a new user: `make lab` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install bytecode lab lint test fuzz student book slides bench clean-venv

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10+ is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)

# tools/rise_widgets: a prebuilt JupyterLab extension that lets widgets render in RISE slides
# (a regular install: pip places an extension's files only for a non-editable install).
RISE_WIDGETS := tools/rise_widgets

$(STAMP): $(BIN)/python pyproject.toml $(RISE_WIDGETS)/pyproject.toml \
		$(RISE_WIDGETS)/package.json $(RISE_WIDGETS)/static/remoteEntry.js
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[dev]' ./$(RISE_WIDGETS)
	touch $(STAMP)

install: $(STAMP)

# JupyterLab refuses to run as root without --allow-root (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# course_lib's bytecode, written ahead (a no-op when it is up to date): an editable install is
# not compiled by pip, and where bytecode writing is off (PYTHONDONTWRITEBYTECODE) every kernel
# would compile the library again (~0.1 s of CPU per notebook).
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q course_lib

lab: $(STAMP) bytecode
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

# ruff on the library, the tests, the tools and the notebooks' py:percent pairs.
lint: $(STAMP)
	$(BIN)/ruff check course_lib tests benchmarks tools notebooks docs/_ext

# Lint, then library tests and every notebook (strict nbval) on both cores (nbval needs loadfile).
test: $(STAMP) bytecode lint
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 --dist loadfile \
		tests notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

# The property suite at length (not part of `make test`, which runs its short CI profile): every
# public function, many more bad values each, a 10 s limit per call; counts per (function,
# argument) go to fuzz.jsonl.
fuzz: $(STAMP)
	COURSE_FUZZ=long COURSE_FUZZ_REPORT=fuzz.jsonl OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
		$(BIN)/python -m pytest -q tests/test_properties.py

# Student notebooks: solutions replaced by stubs, outputs cleared; an edited copy is never
# overwritten (the new version goes beside it as NAME.new.ipynb).
student: $(STAMP)
	$(BIN)/python tools/make_student.py

# The course as a book (Jupyter Book 1) from the stored outputs, nothing executed; every page
# re-read (--all) so that -W sees every warning. Opens from _build/html/index.html.
book: $(STAMP)
	$(BIN)/jupyter-book build --all -W -n --keep-going .

# One static reveal.js deck per chapter in _build/slides/, openable offline (no CDN).
slides: $(STAMP)
	$(BIN)/python tools/build_slides.py

# Speed and memory figures (not part of `make test`): prints a table (median [min-max] of
# several runs, ratios measured in the same run), writes benchmarks/results/latest.json.
bench: $(STAMP) bytecode
	$(BIN)/python benchmarks/run_all.py

clean-venv:
	rm -rf $(VENV)
