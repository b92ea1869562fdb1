# Two entry points for a fresh machine:
#   make repro   set everything up, then run the pipeline (dvc repro, current params.yaml)
#   make test    set everything up, then run the test suite
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# The CUDA build of TensorFlow where an NVIDIA driver is present, the CPU build elsewhere.
TENSORFLOW := $(shell command -v nvidia-smi >/dev/null 2>&1 && echo 'tensorflow[and-cuda]==2.21.0' || echo 'tensorflow-cpu==2.21.0')
FASHION_DIR := /usr/share/datasets/fashion-mnist

.PHONY: setup system-data repro test
.DEFAULT_GOAL := repro

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt '$(TENSORFLOW)'
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Debian's dataset-fashion-mnist gives the full Fashion-MNIST offline. Install it when we
# can (root and apt); otherwise say how, and let `source: auto` try the other sources.
system-data:
	@if [ -d $(FASHION_DIR) ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian's dataset-fashion-mnist"; \
		(apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist >/dev/null) \
		|| echo "note: could not install dataset-fashion-mnist; Fashion-MNIST will need the network (source: official)"; \
	else \
		echo "note: Fashion-MNIST offline needs Debian's package: sudo apt-get install dataset-fashion-mnist"; \
	fi

repro: setup system-data
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/dvc repro

test: setup system-data
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest
