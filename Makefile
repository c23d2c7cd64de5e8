# Both entry points create .venv and install the pinned dependencies first:
# pyproject.toml lists the direct dependencies, constraints.txt pins every
# installed package to an exact version.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test lint format lock bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rewrite constraints.txt from the packages installed in .venv.
lock: $(STAMP)
	{ sed -n '/^#/p' constraints.txt; $(BIN)/pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	touch $(STAMP)

# Benchmarks on PostgreSQL databases they create and drop; both write their
# figures to docs/benchmarks.md. The ranking job and the leaderboard query on
# 100,000 teams (BENCH_DATABASE_URL, default .../dc_bench), then the import of
# the six standings snapshots (BENCH_IMPORT_DATABASE_URL, .../dc_bench_import).
bench: $(STAMP)
	$(BIN)/python bench/rankings_bench.py
	$(BIN)/python bench/import_bench.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles
