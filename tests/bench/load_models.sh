#!/usr/bin/env bash
# Load time and peak memory of `sumisura check` on the large shared models: the table of
# docs/benchmarks.md ("Loading real models"). Needs hyperfine, GNU time (/usr/bin/time) and python3.
#
#   tests/bench/load_models.sh [SUMISURA_BINARY]      (default: build/sumisura; build it Release)
#   RUNS=10 BENCHMARKS=../shared/benchmarks tests/bench/load_models.sh build-release/sumisura
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/build/sumisura}
benchmarks=${BENCHMARKS:-$root/../shared/benchmarks}
runs=${RUNS:-10}
models=(
  cnf/linux-2.6.33.3.dimacs
  cnf/automotive02.dimacs
  uvl/automotive02.uvl
  csp/renault-big.xml
  csp/renault-megane.xml
  uvl/linux-2.6.33.3.uvl
  cnf/automotive01.dimacs
)

if [[ ! -x $bin ]]; then
  echo "no sumisura binary at $bin; build it (cmake -DCMAKE_BUILD_TYPE=Release) or pass its path" >&2
  exit 2
fi
if [[ ! -d $benchmarks ]]; then
  echo "skipped: $benchmarks is absent" >&2
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GiB;" \
  "$(uname -sr); sumisura $("$bin" --version | awk '{print $2}')"
echo
echo "| model | options | constraints | median (s) | min (s) | max (s) | CPU, mean (s) | peak memory (MiB) |"
echo "|---|---|---|---|---|---|---|---|"
for model in "${models[@]}"; do
  file=$benchmarks/$model
  [[ -f $file ]] || { echo "| $model | absent | | | | | | |"; continue; }
  summary=$("$bin" check --no-warnings "$file" | tail -n 1)
  options=$(sed -n 's/.* \([0-9]*\) options\{0,1\}, .*/\1/p' <<<"$summary")
  constraints=$(sed -n 's/.* \([0-9]*\) constraints\{0,1\}.*/\1/p' <<<"$summary")
  hyperfine --shell=none --warmup 1 --runs "$runs" --export-json "$work/times.json" \
    "$bin check --no-warnings $file" >/dev/null 2>"$work/hyperfine.txt" ||
    { cat "$work/hyperfine.txt" >&2; exit 1; }
  # Wall time of each run (median, min, max) and the mean CPU time (user + system), which a
  # busy machine disturbs less than wall time.
  read -r median min max cpu < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.2f %.2f %.2f %.2f" % (r["median"], r["min"], r["max"], r["user"] + r["system"]))' "$work/times.json")
  # Peak resident memory: the median of three runs, as GNU time reports it (KiB).
  peaks=()
  for _ in 1 2 3; do
    /usr/bin/time -v "$bin" check --no-warnings "$file" >/dev/null 2>"$work/time.txt"
    peaks+=("$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")")
  done
  peak=$(printf '%s\n' "${peaks[@]}" | sort -n | sed -n 2p)
  echo "| $model | $options | $constraints | $median | $min | $max | $cpu | $((peak / 1024)) |"
done
