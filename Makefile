# Developer tasks. The README's two commands need none of this.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
FUZZ_RUNS ?= 20000
FUZZ_BUILD = .build-fuzz
FUZZ_TARGETS = csv questionnaire rule store correspondence groups xlsx

.PHONY: fuzz fuzz-build test bench bench-resources fidelity install

# Installs cts on PATH ($(PREFIX)/bin, /usr/local/bin by default), built with the Swift runtime inside so
# that the binary runs on a machine without Swift (it needs libcsv and SQLite, which setup.sh installs).
# An installed cts works in any folder: cts init lays one out, and the questionnaire and reference
# tables are built in.
PREFIX ?= /usr/local
install:
	bash scripts/setup.sh
	swift build -c release --static-swift-stdlib --product cts
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 .build/release/cts $(DESTDIR)$(PREFIX)/bin/cts

# Benchmarks against peers on a synthetic global history (bench/run.py; results in bench/RESULTS.md).
BENCH_COUNTRIES ?= 200
BENCH_YEARS ?= 30
bench:
	python3 bench/run.py --countries $(BENCH_COUNTRIES) --years $(BENCH_YEARS)

test:
	bash scripts/setup.sh && swift test --disable-xctest

# Peak memory of every command at 1x, 10x and 100x (bench/resources.py; results in bench/RESULTS.md).
# How close each aggregation method comes to UNODC's published regional homicide estimates
# (bench/fidelity.py; needs ../shared). Writes the table into bench/RESULTS.md.
fidelity:
	swift build -c release --product cts
	python3 bench/fidelity.py --write

bench-resources:
	python3 bench/resources.py

# libFuzzer with AddressSanitizer on the CSV reader, the questionnaire loader and the rule parser, each
# for FUZZ_RUNS inputs, seeded from Tests/Fuzz/seeds. A crash is written to Tests/Fuzz/regressions/TARGET/,
# where the test suite replays it from then on. Results: docs/FUZZING.md.
fuzz-build:
	bash scripts/setup.sh
	swift build -c release --scratch-path $(FUZZ_BUILD) --product cts-fuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t Tests/Fuzz/regressions/$$t; \
		echo "== fuzzing $$t for $(FUZZ_RUNS) runs"; \
		ASAN_OPTIONS=detect_leaks=0 CTS_FUZZ_TARGET=$$t $(FUZZ_BUILD)/release/cts-fuzz $(FUZZ_BUILD)/corpus/$$t Tests/Fuzz/seeds/$$t \
			-runs=$(FUZZ_RUNS) -detect_leaks=0 -max_len=16384 -timeout=10 -rss_limit_mb=4096 \
			-artifact_prefix=Tests/Fuzz/regressions/$$t/ -print_final_stats=1 2>&1 | tail -n 12 || exit 1; \
	done
