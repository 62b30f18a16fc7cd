#!/bin/sh
# Builds Sumisura and runs every test (C++ unit and property tests, golden files, Python, examples).
# Benchmarks are separate: tests/bench/run_benchmarks.sh.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
