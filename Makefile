# Two commands do all the set-up on a fresh Debian/Ubuntu machine:
#   make demo   installs what users need, then renders the demo report into output/
#   make test   installs that and what the tests need (Ghostscript, MuPDF, LibreOffice Calc), then runs the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO ?= examples/assessments/example-city/2025.yaml

.PHONY: setup test-setup demo test lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt scripts/install-system-deps.sh
	./scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# The test-only Debian packages (the PDF engines of tests/test_pdf_readers.py, LibreOffice for tests/test_workbook.py,
# ShellCheck for tests/test_workflow_lint.py).
test-setup: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed scripts/install-system-deps.sh
	./scripts/install-system-deps.sh --test
	touch $@

demo: setup
	$(BIN)/ssdocs report $(DEMO) -o output/

test: test-setup
	$(BIN)/python -m pytest

# Style and types (not part of `make test`): ruff, mypy --strict, and the checklist quotes.
lint: setup
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/ssdocs lint

clean:
	rm -rf $(VENV) output/*.pdf output/*.html
