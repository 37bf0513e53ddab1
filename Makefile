# Sabak: `make run` to try it, `make test` to check it. Both set up .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=app $(BIN)/flask
PORT ?= 5000
WORKERS ?= 4
PYTEST_WORKERS ?= auto
CATALOGUES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run serve test test-postgres lint format translations compile-translations bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy --statistics -i $< -o $@ 2>&1 | tail -n 1

compile-translations: $(COMPILED)

instance/secret_key:
	mkdir -p instance
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@

## run: set everything up and serve the app with demo data on http://127.0.0.1:$(PORT)
run: venv compile-translations instance/secret_key
	FLASK_DEBUG=1 $(FLASK) db upgrade
	FLASK_DEBUG=1 $(FLASK) seed-demo
	FLASK_DEBUG=1 $(FLASK) run --port $(PORT)

## serve: production server (needs SECRET_KEY and DATABASE_URL in the environment)
serve: venv compile-translations
	$(FLASK) db upgrade
	$(BIN)/gunicorn --workers $(WORKERS) --bind 0.0.0.0:$(PORT) 'app:create_app()'

## test: the whole suite, one process per core (PYTEST_WORKERS=0: one process), each on its own
## database, the longest files first (tests/conftest.py: LONGEST_FIRST) (TEST_DATABASE_URL=postgresql+psycopg://... to run it on PostgreSQL)
test: venv compile-translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

test-postgres:
	TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(MAKE) test

lint: venv
	$(BIN)/ruff check app tests bench scripts
	$(BIN)/ruff format --check app tests bench scripts
	$(BIN)/mypy

format: venv
	$(BIN)/ruff check --fix app tests bench scripts
	$(BIN)/ruff format app tests bench scripts

## translations: extract messages, update the catalogues, complete English, compile
translations: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location --sort-output \
		--project=Sabak --copyright-holder="Sabak developers" -o app/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i app/translations/messages.pot -d app/translations
	$(BIN)/python scripts/fill_english.py app/translations/en/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile --statistics -d app/translations

bench: venv
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
