# The README's two commands: `make run` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8050
DATA   ?=

.PHONY: axe plotly run test lint unit browser spark bench bench-scale bench-threads chromium java screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

PLOTLY_BUNDLE := assets/plotly-timeline.min.js

## plotly: build the chart's own plotly.js (only the traces it draws; needs Node.js and npm, installed when missing)
plotly: $(PLOTLY_BUNDLE)

$(PLOTLY_BUNDLE): .ci/plotly/package.json .ci/plotly/package-lock.json .ci/plotly/entry.js .ci/plotly/build.js
	@sh .ci/build-plotly

AXE := out/axe/axe.min.js

## axe: install axe-core (pinned npm package) for the browser tests' accessibility audit, into out/axe/ (never committed)
axe: $(AXE)

$(AXE): .ci/axe/package.json .ci/axe/package-lock.json .ci/build-axe
	@sh .ci/build-axe

## chromium: install Debian's chromium and chromium-driver when missing (needs root or sudo)
chromium:
	@sh .ci/ensure-chromium

## java: install Debian's default-jre-headless when Java is missing (needs root or sudo; Spark needs it)
java:
	@sh .ci/ensure-java

## run: install, then serve the dashboard on the default data at http://127.0.0.1:8050/
run: $(VENV)/.run-deps $(PLOTLY_BUNDLE)
	@-sh .ci/ensure-chromium
	$(BIN)/timeline serve --host $(HOST) --port $(PORT) $(if $(DATA),--data $(DATA))

## test: install (Chromium included), lint, type-check, then the whole test suite
test: chromium java $(VENV)/.test-deps $(PLOTLY_BUNDLE) $(AXE)
	$(BIN)/ruff check timeline tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

unit: $(VENV)/.test-deps
	$(BIN)/python -m pytest -m "not browser and not export and not spark"

browser: chromium $(VENV)/.test-deps $(PLOTLY_BUNDLE) $(AXE)
	$(BIN)/python -m pytest -m "browser or export"

## spark: only the tier that runs the same queries on DuckDB and on Spark in local mode (tests/engines)
spark: java $(VENV)/.test-deps
	$(BIN)/python -m pytest -m spark

## bench: the benchmarks, printed as tables (not part of the test suite)
bench: chromium $(VENV)/.test-deps
	$(BIN)/python benchmarks/run.py

## bench-scale: load, callback p50/p95, payload, first draw, RSS and px peers from the seed story to 1M events (SIZES=seed,10k)
bench-scale: chromium $(VENV)/.test-deps $(PLOTLY_BUNDLE)
	$(BIN)/python benchmarks/scale_bench.py $(if $(SIZES),--sizes $(SIZES))
	$(BIN)/python benchmarks/engine_bench.py

## bench-threads: checking and indexing the links, a thread and a thread's view, against a naive peer (SIZES=seed,100k)
bench-threads: $(VENV)/.test-deps
	$(BIN)/python benchmarks/threads_bench.py $(if $(SIZES),--sizes $(SIZES))

## bench-extract: timeline extract on the seed article and on 800- and 3,000-word articles, first call and warm (target: 800 words under 2 s)
.PHONY: bench-extract
bench-extract: $(VENV)/.test-deps
	$(BIN)/python benchmarks/extract_bench.py

## bench-load: 20 simulated readers for 60 s against timeline serve --workers 2 on loopback (locust); a table per action (USERS=20 DURATION=60)
.PHONY: bench-load
bench-load: $(VENV)/.test-deps
	$(BIN)/python benchmarks/load_test.py $(if $(USERS),--users $(USERS)) $(if $(DURATION),--duration $(DURATION))

## bench-hostile: the load test with 4 attackers sending bombs and giant requests beside the 20 readers (HOSTILE=4)
.PHONY: bench-hostile
bench-hostile: $(VENV)/.test-deps
	$(BIN)/python benchmarks/load_test.py --hostile $(or $(HOSTILE),4) $(if $(USERS),--users $(USERS)) $(if $(DURATION),--duration $(DURATION))

## eval-extract: score the extractor against the gold tables in tests/extract_gold/ (precision, recall, speaker and date accuracy, candidates per gold event), per article and overall
.PHONY: eval-extract
eval-extract: $(VENV)/.run-deps
	$(BIN)/python benchmarks/eval_extract.py

## screenshot: retake docs/screenshot.png from the running app
screenshot: chromium $(VENV)/.test-deps $(PLOTLY_BUNDLE)
	$(BIN)/python docs/make_screenshot.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
