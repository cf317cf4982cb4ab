# SPDX-License-Identifier: MIT
# tiny-gpu-sv: one target per intent. `make help` lists them.
#
# Every target sets up what it needs first (scripts/setup_env.sh: Debian packages
# when root, the .venv from requirements.txt), so a fresh clone needs nothing else.

SHELL  := /bin/bash
VENV   := .venv
PYTHON := $(VENV)/bin/python
BIN    := $(VENV)/bin
ENV    := scripts/env.sh
STAMP  := $(VENV)/.requirements.sha256

# make run / make waves
KERNEL ?= kernels/matmul.asm
SIM    ?= icarus
CONFIG ?= default
WAVES  ?= 0
JSON   ?=
LATENCY ?= 1
THREADS ?=
MAX_CYCLES ?=
# make test
JOBS   ?= auto
# A guard on every simulator process (seconds): the harness times kernels out by
# cycles; this catches a simulator that stops advancing time.
export SIM_RUN_TIMEOUT ?= 1800
# make fuzz
N      ?= 1000
SEED   ?= 1
FUZZ_ARGS ?=
# make mutate: SUITE=fast judges each mutant by the mutation subset, SUITE=full by the whole regression
MUTANTS ?= 150
SUITE  ?= fast
# make fuzz / mutate / coverage / synth: CLUSTER=host:port runs the campaign on that Dask
# cluster (docs/cluster.md); empty: a local cluster of JOBS workers
CLUSTER ?=
CAMPAIGN = $(if $(CLUSTER),--cluster $(CLUSTER),--jobs $(JOBS))
# make synth / make bench: UPDATE=1 writes the results as the new baseline
# (tb/synth_baseline.json / tb/cycle_baseline.json)
UPDATE ?= 0

# Variables the tools cannot check themselves (each tool checks its own options).
ifneq ($(filter-out 0 1,$(WAVES)),)
$(error WAVES=$(WAVES): use WAVES=1 (write a waveform and a trace) or WAVES=0)
endif
ifneq ($(filter-out fast full,$(SUITE)),)
$(error SUITE=$(SUITE): use SUITE=fast (the mutation subset) or SUITE=full (the whole regression per mutant))
endif
ifneq ($(filter-out 0 1,$(UPDATE)),)
$(error UPDATE=$(UPDATE): use UPDATE=1 (write the baseline of make synth / make bench) or UPDATE=0 (check against it))
endif
ifeq ($(shell [[ "$(JOBS)" == auto || "$(JOBS)" =~ ^[1-9][0-9]{0,2}$$ ]] && echo ok),)
$(error JOBS=$(JOBS): use JOBS=auto (one per CPU) or a number of parallel jobs from 1 to 999)
endif

.DEFAULT_GOAL := help
.PHONY: help setup test test-all run waves lint formal synth fuzz fuzz-python coverage mutate bench cluster-bench axi-crosscheck clean

help:  ## list the targets
	@echo "tiny-gpu-sv: a small SIMT GPU in SystemVerilog and its verification suite"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo
	@echo "  variables: KERNEL=$(KERNEL) SIM=$(SIM) CONFIG=$(CONFIG) WAVES=$(WAVES) JSON=$(JSON)"
	@echo "             LATENCY=$(LATENCY) THREADS=$(THREADS) MAX_CYCLES=$(MAX_CYCLES) JOBS=$(JOBS) N=$(N) SEED=$(SEED) FUZZ_ARGS=$(FUZZ_ARGS)"
	@echo "             MUTANTS=$(MUTANTS) SUITE=$(SUITE) CLUSTER=$(CLUSTER)"

$(STAMP): requirements.txt pyproject.toml scripts/setup_env.sh
	@bash scripts/setup_env.sh

setup: $(STAMP)  ## create .venv and install Debian packages if missing
	@bash scripts/setup_env.sh

# make test builds each Verilator configuration once: its regression runs on the
# coverage build that make coverage then reuses (tinygpu/harness.py, build).
test: $(STAMP)  ## lint, formal proofs, the whole regression on Icarus and Verilator (pytest -n JOBS), coverage closure
	$(ENV) $(BIN)/tinygpu-lint
	$(ENV) $(BIN)/tinygpu-formal --jobs $(JOBS)
	TINYGPU_SHARED_COVERAGE_BUILDS=1 $(ENV) $(PYTHON) -m pytest -n $(JOBS) tb
	$(ENV) $(BIN)/tinygpu-coverage

test-all: $(STAMP)  ## the regression on every configuration in tb/configs.toml, and campaigns on a local cluster with a worker killed
	GPU_ALL_CONFIGS=1 $(ENV) $(PYTHON) -m pytest -n $(JOBS) tb tb/cluster_campaigns.py

run: $(STAMP)  ## run KERNEL on SIM and CONFIG (THREADS=, LATENCY=, MAX_CYCLES=); WAVES=1 writes waveform + trace, JSON=f writes the result
	@$(ENV) $(BIN)/tinygpu-run --kernel $(KERNEL) --sim $(SIM) --config $(CONFIG) \
		--latency $(LATENCY) $(if $(THREADS),--threads $(THREADS)) $(if $(MAX_CYCLES),--max-cycles $(MAX_CYCLES)) \
		$(if $(filter 1,$(WAVES)),--waves) $(if $(JSON),--json $(JSON))

waves:  ## open the last waveform of `make run WAVES=1` in GTKWave
	@bash scripts/open_waves.sh

lint: $(STAMP)  ## verilator -Wall and slang on rtl/ for every configuration; ruff and mypy on the Python
	$(ENV) $(BIN)/tinygpu-lint

formal: $(STAMP)  ## SymbiYosys proofs (k-induction) and covers of mem_controller, dispatcher, warp, axi_data_master, axi_program_master
	$(ENV) $(BIN)/tinygpu-formal --jobs $(JOBS)

synth: $(STAMP)  ## area and Fmax of every configuration (iCE40 HX8K, else the smallest ECP5 that holds it), against tb/synth_baseline.json (UPDATE=1 rewrites it)
	$(ENV) $(BIN)/tinygpu-synth $(CAMPAIGN) $(if $(filter 1,$(UPDATE)),--update)

fuzz: $(STAMP)  ## N random programs from SEED on both simulators (make fuzz N=1000 SEED=7 FUZZ_ARGS=...; CLUSTER=host:port)
	$(ENV) $(BIN)/tinygpu-fuzz --count $(N) --seed $(SEED) $(CAMPAIGN) $(FUZZ_ARGS)

# Its own target, not `make fuzz LANG=python`: LANG is the locale variable every shell sets.
fuzz-python: $(STAMP)  ## N random Python kernels from SEED compiled and checked three ways (Python, ISA model, RTL on both simulators)
	$(ENV) $(BIN)/tinygpu-fuzz-lang --count $(N) --seed $(SEED) $(FUZZ_ARGS)

coverage: $(STAMP)  ## functional coverage + Verilator line/toggle coverage report (CLUSTER=host:port)
	$(ENV) $(BIN)/tinygpu-coverage $(CAMPAIGN)

mutate: $(STAMP)  ## mutation testing: MUTANTS sampled mutants of rtl/ from SEED, judged by SUITE=fast (a subset) or full (CLUSTER=host:port)
	$(ENV) $(BIN)/tinygpu-mutate --mutants $(MUTANTS) --seed $(SEED) --suite $(SUITE) $(CAMPAIGN)

bench: $(STAMP)  ## cycles and counters of the kernels at latencies 1-8, plot, cycle gate, cocotb against pure Verilator speed; UPDATE=1 writes its baseline
	$(ENV) $(BIN)/tinygpu-bench $(if $(filter 1,$(UPDATE)),--update)

cluster-bench: $(STAMP)  ## the campaign engine's install size, start-up and scaling on 1 and 2 workers (UPDATE=1 writes docs/cluster.md)
	$(ENV) $(BIN)/tinygpu-cluster-bench $(if $(filter 1,$(UPDATE)),--update)

axi-crosscheck: $(STAMP)  ## gpu_axi against cocotbext-axi's AxiRam (a slave from the field): a few kernels, backpressure on every channel (also in make test)
	$(ENV) $(PYTHON) -m pytest tb/test_axi_crosscheck.py

clean:  ## remove build outputs (keeps .venv)
	rm -rf build .pytest_cache
