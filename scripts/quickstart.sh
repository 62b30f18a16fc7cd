#!/bin/sh
# Installs what Sumisura needs, builds it, and configures a pair of made-to-measure shoes.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
./build/sumisura check catalogs/shoes.yaml
./build/sumisura configure catalogs/shoes.yaml --spec examples/specs/shoes.yaml
