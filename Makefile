# make demo: the whole pipeline offline on the bundled sample sites.
# make test: lint, type-check and run the test suite.
# Both create .venv and install the project into it when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench install deps clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/python -m uv pip install -q --python $(BIN)/python -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/digest demo

lint: $(STAMP)
	$(BIN)/ruff check digest scraper tests bench tools
	$(BIN)/mypy

deps:
	.ci/deps

# after changing a message in the templates or the code: every catalog updated, then translate
messages: $(STAMP)
	$(BIN)/python -m tools.messages

test: lint deps
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m uv pip install -q --python $(BIN)/python -e '.[test,bench]'
	$(BIN)/python -m bench.extraction
	$(BIN)/python -m bench.stories
	$(BIN)/python -m bench.editorial
	$(BIN)/python -m bench.pipeline
	$(BIN)/python -m bench.crawl
	$(BIN)/python -m bench.mail
	$(BIN)/python -m bench.scale

clean:
	rm -rf $(VENV) demo-out .pytest_cache .mypy_cache .ruff_cache
