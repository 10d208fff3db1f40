PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test stress bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python run_bot.py $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# the load, hostile-input, fault and crash tests at full size (make test runs them sized down)
STRESS_TESTS := tests/test_load.py tests/test_hostile.py tests/test_e2e_faults.py tests/test_crash.py
stress: $(STAMP)
	STRESS=1 HYPOTHESIS_PROFILE=stress $(BIN)/python -m pytest -q -s $(STRESS_TESTS)

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache
