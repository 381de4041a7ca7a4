# Every target sets up .venv itself, so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck bench bench-crawl bench-scale bench-archive fuzz mutate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newscrawler demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check newscrawler tests
	$(BIN)/ruff format --check newscrawler tests

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m newscrawler.bench $(BENCH_ARGS)

# news spider vs bare Scrapy on a generated 1k and 5k article portal: articles/s, ratio, peak RSS
bench-crawl: $(STAMP)
	$(BIN)/python -m newscrawler.bench.crawl $(BENCH_CRAWL_ARGS)

# articles/s with 1 and 2 workers on a shared Redis frontier (needs redis-server), and the ratio
bench-scale: $(STAMP)
	$(BIN)/python -m newscrawler.distributed.bench $(BENCH_SCALE_ARGS)

# reextract from a generated ~1 GB WARC vs extraction alone: pages/s, ratio, peak RSS at 2 sizes
BENCH_ARCHIVE_MB ?= 1024
bench-archive: $(STAMP)
	$(BIN)/python -m newscrawler.archive.bench --size-mb $(BENCH_ARCHIVE_MB)

# Longer property-based fuzzing of extraction, cleaning and archive reading (FUZZ_EXAMPLES each).
FUZZ_EXAMPLES ?= 5000
fuzz: $(STAMP)
	NEWSCRAWLER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_hostile_fuzz.py tests/test_archive_fuzz.py

# Mutation testing of discovery/, state/, extraction/shortcodes.py and cleaning.py ([tool.mutmut]
# in pyproject.toml); lists the surviving mutants. Long: not part of `make test` or .ci/run.
MUTATE_JOBS ?= 1
mutate: $(STAMP)
	nice $(BIN)/mutmut run --max-children $(MUTATE_JOBS)
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) mutants .pytest_cache .mypy_cache .ruff_cache
