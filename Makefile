# Two commands do everything on a fresh Debian machine without Docker:
#   make run    set up .venv + Tesseract, start both backends (9090, 9095) on ./data
#   make test   set up the same, run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test venv tesseract benchmark clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

tesseract:
	@scripts/ensure_tesseract.sh

run: venv tesseract
	@scripts/run_backends.sh

test: venv tesseract
	$(PY) -m mypy
	$(PY) -m pytest $(PYTEST_ARGS)

benchmark: venv tesseract
	$(PY) benchmarks/bench_extraction.py
	$(PY) benchmarks/bench_text_extractor.py
	$(PY) benchmarks/bench_backend.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
