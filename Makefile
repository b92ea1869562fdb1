# Two entry points for a fresh machine:
#   make repro   set everything up, then run the pipeline (dvc repro, current params.yaml)
#   make test    set everything up, then run the test suite
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# The CUDA build of TensorFlow where an NVIDIA driver is present, the CPU build elsewhere.
TENSORFLOW := $(shell command -v nvidia-smi >/dev/null 2>&1 && echo 'tensorflow[and-cuda]==2.21.0' || echo 'tensorflow-cpu==2.21.0')

.PHONY: setup setup-test system-data system-test repro test
.DEFAULT_GOAL := repro

# The pipeline's dependencies (pyproject.toml) with the remotes' plugins; every version is
# pinned by constraints.txt. The test suite's tools are the `test` extra, for `make test` only.
setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

$(VENV)/.installed: constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[remotes]' '$(TENSORFLOW)'
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# Debian packages, installed when we can (root and apt); otherwise we say how and go on.
#   dataset-fashion-mnist  the full Fashion-MNIST offline (else `source: auto` tries the other sources)
#   chromium               the browser the report page's test opens it in
#   openssh-server         the sshd that the SSH-remote test starts on loopback
# Without the last two those tests skip, saying why. $(1): packages, $(2): what is missed without them.
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done | xargs); \
	if [ -z "$$missing" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian's $$missing"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
		|| echo "note: could not install $$missing; $(2)"; \
	else \
		echo "note: $(2); to install them: sudo apt-get install $$missing"; \
	fi
endef

system-data:
	$(call apt_install,dataset-fashion-mnist,Fashion-MNIST will need the network (source: official))

system-test:
	$(call apt_install,dataset-fashion-mnist chromium openssh-server,without them Fashion-MNIST needs the network and the report and SSH-remote tests skip)

repro: setup system-data
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/dvc repro

test: setup-test system-test
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest

# `dvc plots show` as a page that opens offline: vega, vega-lite and vega-embed are fetched
# once from the npm registry into .plots-vendor/ and inlined (see src/genzoo/plots.py).
.PHONY: plots
plots: setup
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m genzoo.plots
