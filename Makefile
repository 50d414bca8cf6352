# SPDX-License-Identifier: MIT
# The two set-up commands of the README, plus the benchmarks. Everything else
# is CMake (see CMakePresets.json).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: conformance check bench clean

conformance:
	@scripts/deps.sh build
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)
	@build/dev/cli/vxemu conformance

check:
	@scripts/deps.sh check
	cmake --workflow --preset dev
	cmake --workflow --preset asan
	cmake --workflow --preset clang
	cmake --workflow --preset fuzz

bench:
	@scripts/deps.sh check
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@build/release/cli/vxemu bench

clean:
	rm -rf build
