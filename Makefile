# Loket: `make run` starts everything on the embedded default, `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
LOKET := $(VENV)/bin/loket
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test install lint format browser clean bench messages

$(UV):
	@echo "uv not found: installing it into .tools/ (needs python3-venv on Debian/Ubuntu)"
	$(PYTHON) -m venv .tools || { echo "Install python3-venv first: sudo apt install python3-venv"; exit 1; }
	.tools/bin/pip install --quiet uv

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra dev --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed

run: install
	$(LOKET) migrate --no-input -v 0
	$(LOKET) seed-demo
	$(LOKET) serve --host 127.0.0.1 --port $(PORT)

# Browser tests need Debian's chromium; install it when we can, else they are reported skipped.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)) || echo "chromium could not be installed: browser tests will be skipped"; \
	else echo "No /usr/bin/chromium: install it with 'sudo apt install chromium' or browser tests are skipped"; fi

test: install browser
	$(VENV)/bin/ruff check loket bench
	$(LOKET) makemigrations --check --dry-run
	LOKET_ENV=test $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check loket bench

format:
	$(VENV)/bin/ruff format loket bench
	$(VENV)/bin/ruff check --fix loket bench

# English texts of the citizen pages: collect the marked texts, translate the new ones in
# loket/locale/en/LC_MESSAGES/django.po, compile (needs gettext: apt install gettext).
messages: install
	cd loket && LOKET_ENV=test ../$(VENV)/bin/python -m loket makemessages -l en --no-obsolete \
		--ignore "tests/*" --ignore "*/tests/*"
	cd loket && LOKET_ENV=test ../$(VENV)/bin/python -m loket compilemessages -l en

clean:
	rm -rf $(VENV) .tools var
