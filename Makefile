# Two commands on a fresh machine: `make extract` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PDFS := $(wildcard data/raw/*.pdf)

.PHONY: extract bytecode test lint schema bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## extract: run the pipeline on every PDF in data/raw/, writing data/clean/<stem>/
extract: $(STAMP) bytecode
	cd data/raw && sha256sum --check --quiet SHA256SUMS
	$(BIN)/nap extract $(PDFS)

# compiled once here: where PYTHONDONTWRITEBYTECODE is set, every run would otherwise compile the
# whole package again (about a tenth of a second); stale files are recompiled, never read
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q extract normalize publish schema nap

## test: the whole suite (golden, unit, property, freshness of data/clean/)
test: $(STAMP)
	$(BIN)/python -m pytest -q

## lint: ruff over the code and tests
lint: $(STAMP)
	$(BIN)/ruff check .

## schema: re-export the JSON Schema of the models into schema/
schema: $(STAMP)
	$(BIN)/python -m schema.export

## bench: time nap extract against raw pdfplumber and camelot, and a scale series (bench/RESULTS.md)
bench: $(STAMP) bytecode
	$(BIN)/python bench/bench.py --out bench/RESULTS.md

## fuzz: the slow campaign, 300 seeded mutants of the shipped plan through `nap extract` (bench/FUZZ.md); not in CI
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz.py --mutants 300 --workers 2 --out bench/FUZZ.md

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
