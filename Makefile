# Every target creates the environment it needs: a fresh clone needs only python3 and make.
.PHONY: clean-corpus test lint typecheck check golden samples eval

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The environment, from pyproject.toml with the exact versions of constraints.txt, so that
# every machine writes the same bytes to data/clean.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

clean-corpus: $(STAMP)
	$(BIN)/python -m pipeline clean --config config/pipeline.toml

test: $(STAMP)
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

golden: $(STAMP)
	$(BIN)/pytest tests/test_golden.py --update-golden

eval: $(STAMP)
	$(BIN)/python -m bench.eval_lines

samples: $(STAMP)
	$(BIN)/python data/make_samples.py

check: lint typecheck test clean-corpus
	git diff --exit-code -- data/clean
	test -z "$$(git status --porcelain -- data/clean)"
