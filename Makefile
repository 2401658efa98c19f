# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
# Both create .venv, install torch (CPU build) first and then the package at the versions of
# constraints.txt, prepare the ONNX MiniLM model and numba's compiled clustering code (`workbench
# prepare`), and skip the install when neither pyproject.toml nor constraints.txt has changed. tools/install.py prints one
# line per step and keeps pip's output in .venv/install.log (its tail is shown on failure).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test lab install clean browser postgres bench sample-study

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) tools/install.py --venv $(VENV) --extras dev --stamp $@

demo: $(STAMP)
	$(BIN)/workbench demo

test: $(STAMP) browser postgres
	$(BIN)/python -m pytest -q

# The workshop's end-to-end tests drive Debian's chromium through the playwright package (never
# `playwright install`). Installed here when missing and we are root; otherwise those tests skip
# with the reason, except under CI=true, where a missing browser fails the run.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing chromium for the browser tests (apt-get install chromium)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif [ "$$CI" = true ]; then \
		echo "chromium is missing and cannot be installed (not root): install it, e.g. sudo apt-get install chromium" >&2; exit 1; \
	else \
		echo "chromium not found: the browser tests will be skipped (sudo apt-get install chromium to run them)"; \
	fi

# The store tests run on SQLite and on a real PostgreSQL server that the tests start themselves
# (initdb + pg_ctl in a temp folder; tests/postgres_server.py). Installed the same way as chromium.
postgres:
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing PostgreSQL for the store tests (apt-get install postgresql)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	elif [ "$$CI" = true ]; then \
		echo "PostgreSQL is missing and cannot be installed (not root): install it, e.g. sudo apt-get install postgresql" >&2; exit 1; \
	else \
		echo "PostgreSQL not found: the PostgreSQL store tests will be skipped (sudo apt-get install postgresql to run them)"; \
	fi

# Jupyter refuses to run as root without --allow-root (containers, CI boxes).
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

clean:
	rm -rf $(VENV) interview_data/.workbench

# Benchmarks (not part of `make test`): model quality vs BERTopic's defaults, analyze cold/warm,
# embedding throughput, `workbench cluster` at 10k items (the 50k / 100k runs: see cluster_scale.py),
# pain-point stability over seeds and resamples, the pain-point model scored as a coder.
bench: $(STAMP)
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/analyze_time.py
	$(BIN)/python benchmarks/embed_throughput.py
	$(BIN)/python benchmarks/cluster_scale.py --quick
	$(BIN)/python benchmarks/privacy_recall.py
	$(BIN)/python benchmarks/stability.py
	$(BIN)/python benchmarks/model_coder.py
	$(BIN)/python benchmarks/search_latency.py
	$(BIN)/python benchmarks/workshop_room.py

# The sample study: rebuilds the generated parts of interview_data/ from tools/sample_study/ (the
# four .docx transcripts, the feedback exports, answer_key.csv and pii_ledger.csv; byte-identical on
# every run) and checks them. The .txt/.vtt/.srt transcripts, participants.csv and study.toml are
# hand-written: see tools/sample_study/README.md.
sample-study: $(STAMP)
	$(BIN)/python tools/sample_study/make_docx.py
	$(BIN)/python tools/sample_study/make_feedback.py
	$(BIN)/python tools/sample_study/merge_keys.py
	$(BIN)/python tools/sample_study/check_interviews.py
	$(BIN)/python tools/sample_study/check_feedback.py
