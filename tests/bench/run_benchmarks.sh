#!/usr/bin/env bash
# Runs the click and configure benchmarks side by side and writes their tables as markdown.
#
#   tests/bench/run_benchmarks.sh [--quick] [--update-docs] [BUILD_DIR]
#
# BUILD_DIR (default build-bench) must hold the targets sumisura_bench_clicks and
# sumisura_bench_configure, built in Release:
#   cmake -S . -B build-bench -DSUMISURA_BUILD_PYTHON=OFF -DCMAKE_BUILD_TYPE=Release
#   cmake --build build-bench -j2 --target sumisura_bench_clicks sumisura_bench_configure \
#     sumisura_bench_count sumisura_bench_recommend sumisura_bench_revalidate \
#     sumisura_bench_buddy   (the last needs libbdd-dev)
# Needs clingo (Debian package gringo, built with Python) for the clingo columns, and the public
# models in ../shared/benchmarks (or $SUMISURA_BENCH_DIR); models that are absent are skipped.
# Writes BUILD_DIR/bench/results.md (and the raw outputs next to it); --update-docs also replaces
# the generated part of docs/benchmarks.md (between its bench:begin/bench:end markers).
# --quick runs tiny sizes (a minute) to check that everything works.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
QUICK=0
UPDATE=0
BUILD=$ROOT/build-bench
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    --update-docs) UPDATE=1 ;;
    *) BUILD=$(cd "$arg" && pwd) ;;
  esac
done
BENCH=${SUMISURA_BENCH_DIR:-$ROOT/../shared/benchmarks}
BENCH=$(cd "$BENCH" 2>/dev/null && pwd || echo "$BENCH")
OUT=$BUILD/bench
mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/*.lp "$OUT"/*.states "$OUT"/*.specs "$OUT/commands.log"
CLICKS=$BUILD/tests/bench/sumisura_bench_clicks
CONFIGURE=$BUILD/tests/bench/sumisura_bench_configure
PY=/usr/bin/python3
for exe in "$CLICKS" "$CONFIGURE"; do
  [[ -x $exe ]] || { echo "missing $exe: build it first (see the top of this script)" >&2; exit 2; }
done
HAVE_CLINGO=0
if command -v clingo >/dev/null && clingo --version | grep -q "with Python"; then HAVE_CLINGO=1; fi

# Runs a command, logs it (paths shortened for the report) and keeps its output in $OUT/$1.txt.
run() {
  local name=$1
  shift
  local shown="$*"
  shown=${shown//$BUILD/BUILD}
  shown=${shown//$BENCH/BENCH}
  shown=${shown//$ROOT\//}
  shown=${shown//$OUT/BUILD\/bench}
  echo "$name	$shown" >>"$OUT/commands.log"
  echo "== $name: $shown" >&2
  local start=$SECONDS
  local rc=0
  "$@" >"$OUT/$name.txt" 2>&1 || rc=$?
  # clingo exits with 10/20/30 (satisfiable / unsatisfiable / search space exhausted) when all is well.
  if [[ $rc != 0 && ! ( $1 == clingo && ( $rc == 10 || $rc == 20 || $rc == 30 ) ) ]]; then
    echo "EXIT	$name	$rc" >>"$OUT/$name.txt"
  fi
  echo "ELAPSED	$name	$((SECONDS - start))" >>"$OUT/$name.txt"
}

{
  echo "date	$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu	$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
  echo "load_before	$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commit	$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- engine 2>/dev/null || echo ' (engine/ has uncommitted changes)')"
  echo "compiler	$(grep -m1 CMAKE_CXX_COMPILER: "$BUILD/CMakeCache.txt" | cut -d= -f2) $(grep -m1 CMAKE_BUILD_TYPE: "$BUILD/CMakeCache.txt" | cut -d= -f2)"
  [[ $HAVE_CLINGO == 1 ]] && echo "clingo	$(clingo --version | head -1)"
  echo "quick	$QUICK"
} >"$OUT/machine.txt"

# Sizes: sessions for Sumisura, and how many of the same sessions the slow baselines replay.
if [[ $QUICK == 1 ]]; then
  MED="--cars 3 --naive-cars 2 --clingo-cars 2"; BIG="--cars 2 --naive-cars 1 --clingo-cars 1"
  MEG="--cars 2 --naive-cars 1 --clingo-cars 1"; AUTO="--cars 2 --max-clicks 5 --naive-cars 1 --clingo-cars 1"
  AUTO2="--cars 1 --max-clicks 5 --naive-cars 0 --extra 0"; LINUX="--cars 1 --max-clicks 5 --naive-cars 0"
  BUDDY_SECONDS=5
  CAT_CLICKS="--cars 1 --max-clicks 2 --naive-cars 1"; SPECS_CAT=(shoes:5 kitchen:3 bicycle:2)
  SPECS_XCSP=5; CLINGO_LIMIT="-c limit=3"
else
  MED="--cars 50 --naive-cars 50 --clingo-cars 50"; BIG="--cars 50 --naive-cars 3 --clingo-cars 2"
  MEG="--cars 30 --naive-cars 5 --clingo-cars 5"; AUTO="--cars 20 --max-clicks 15 --naive-cars 2 --clingo-cars 2"
  AUTO2="--cars 10 --max-clicks 15 --naive-cars 0 --extra 0"; LINUX="--cars 10 --max-clicks 15 --naive-cars 0"
  BUDDY_SECONDS=60
  CAT_CLICKS="--cars 1 --max-clicks 3 --naive-cars 1"; SPECS_CAT=(shoes:200 kitchen:40 bicycle:12)
  SPECS_XCSP=200; CLINGO_LIMIT="-c limit=40"
fi

# --- 1. clicks -------------------------------------------------------------------------------
clicks_model() {  # name model-path [history] -- sizes...
  local name=$1 model=$2 history=$3
  shift 3
  [[ -f $model ]] || { echo "skip $name: $model absent" >&2; return; }
  local hist=()
  [[ -n $history ]] && hist=(--history "$history")
  run "clicks-$name" "$CLICKS" --model "$model" "${hist[@]}" "$@" --seed 1 --label "$name" \
    --clingo-states "$OUT/$name.states"
  if [[ $HAVE_CLINGO == 1 && -s $OUT/$name.states ]]; then
    run "asp-$name" "$PY" "$ROOT/tests/bench/to_asp.py" "$model" "$OUT/$name.lp"
    run "brave-$name" clingo "$OUT/$name.lp" "$ROOT/tests/bench/clingo_brave.lp" \
      -c "states=\"$OUT/$name.states\"" -c "label=\"$name\"" --outf=3
  fi
}
# shellcheck disable=SC2086
clicks_model renault-medium "$BENCH/csp/renault-medium.xml" "$BENCH/history/renault-medium-sales.txt" $MED
# shellcheck disable=SC2086
clicks_model renault-big "$BENCH/csp/renault-big.xml" "$BENCH/history/renault-big-sales.txt" $BIG
# shellcheck disable=SC2086
clicks_model renault-megane "$BENCH/csp/renault-megane.xml" "" $MEG
# shellcheck disable=SC2086
clicks_model automotive01 "$BENCH/cnf/automotive01.dimacs" "" $AUTO
# The large feature models: no naive loop or clingo (minutes per click); (d), CDCL alone, only on
# linux (it takes seconds per click on automotive02).
# shellcheck disable=SC2086
run clicks-automotive02-dimacs "$CLICKS" --model "$BENCH/cnf/automotive02.dimacs" $AUTO2 --seed 1 --label automotive02-dimacs
# shellcheck disable=SC2086
run clicks-automotive02-uvl "$CLICKS" --model "$BENCH/uvl/automotive02.uvl" $AUTO2 --seed 1 --label automotive02-uvl
# shellcheck disable=SC2086
run clicks-linux "$CLICKS" --model "$BENCH/cnf/linux-2.6.33.3.dimacs" $LINUX --seed 1 --label linux-2.6.33.3
for yaml in "$ROOT"/catalogs/*.yaml; do
  [[ -f $yaml ]] || continue
  name=$(basename "$yaml" .yaml)
  # shellcheck disable=SC2086
  run "clicks-$name" "$CLICKS" --model "$yaml" $CAT_CLICKS --seed 1 --label "$name"
done

# --- 2. configure ----------------------------------------------------------------------------
for entry in "${SPECS_CAT[@]}"; do
  name=${entry%%:*}
  [[ -f $ROOT/catalogs/$name.yaml ]] || continue
  run "configure-$name" "$CONFIGURE" --model "$ROOT/catalogs/$name.yaml" --specs "${entry##*:}" --seed 1 --label "$name"
done
for name in renault-medium renault-megane renault-big; do
  model=$BENCH/csp/$name.xml
  [[ -f $model ]] || continue
  run "configure-$name" "$CONFIGURE" --model "$model" --specs "$SPECS_XCSP" --seed 1 --label "$name" \
    --clingo-specs "$OUT/$name.specs"
  if [[ $HAVE_CLINGO == 1 ]]; then
    [[ -f $OUT/$name.lp ]] || run "asp-$name" "$PY" "$ROOT/tests/bench/to_asp.py" "$model" "$OUT/$name.lp"
    limit=""
    [[ $name == renault-big ]] && limit=$CLINGO_LIMIT
    # shellcheck disable=SC2086
    run "optimize-$name" clingo "$OUT/$name.lp" "$ROOT/tests/bench/clingo_optimize.lp" \
      -c "specs=\"$OUT/$name.specs\"" -c "label=\"$name\"" $limit --outf=3
  fi
done

# --- 3. counting ----------------------------------------------------------------------------
# Every model of REFERENCE.tsv counted from its file (compile, count, every per-value count, 1,000
# samples, the compiled file), each in its own process (its peak memory is its own), then BuDDy
# on the same model's clauses with a time limit.
COUNT=$BUILD/tests/bench/sumisura_bench_count
BUDDY=$BUILD/tests/bench/sumisura_bench_buddy
if [[ -x $COUNT && -f $BENCH/REFERENCE.tsv ]]; then
  while IFS=$'\t' read -r file _ _ expected _; do
    [[ $file == file || ! -f $BENCH/$file ]] && continue
    name=$(basename "$file"); name=${name%.*}
    run "count-$name" "$COUNT" --model "$BENCH/$file" --expected "$expected" --label "$file"
    [[ -x $BUDDY ]] && run "buddy-$name" "$BUDDY" --model "$BENCH/$file" --label "$file" --seconds "$BUDDY_SECONDS"
  done <"$BENCH/REFERENCE.tsv"
  for file in cnf/automotive02.dimacs uvl/automotive01.uvl uvl/automotive02.uvl uvl/financialservices.uvl uvl/pc-richmond.uvl; do
    [[ -f $BENCH/$file ]] || continue
    name=$(basename "$file"); name=${name/./-}
    run "count-$name" "$COUNT" --model "$BENCH/$file" --label "$file"
  done
  # The stretch case nobody has counted: linux within the default budget (a larger one is in
  # docs/benchmarks.md, with its command).
  [[ -f $BENCH/cnf/linux-2.6.33.3.dimacs ]] &&
    run count-linux "$COUNT" --model "$BENCH/cnf/linux-2.6.33.3.dimacs" --label cnf/linux-2.6.33.3.dimacs
fi

# --- 4. recommendations learned from sales (issue 10) ------------------------------------------
# Both published protocols on the Renault histories, every fold, all methods in the same run:
# renault-medium with 3 seeds of click orders, renault-big with one (its learning takes longer).
RECOMMEND=$BUILD/tests/bench/sumisura_bench_recommend
if [[ -x $RECOMMEND ]]; then
  for model in medium big; do
    seeds=1; [[ $model == medium ]] && seeds=3
    [[ -f $BENCH/history/renault-$model-sales.txt ]] &&
      run "recommend-$model" "$RECOMMEND" --model "$BENCH/csp/renault-$model.xml" \
        --history "$BENCH/history/renault-$model-sales.txt" \
        --folds "$BENCH/history/renault-$model-folds.txt" --seeds "$seeds" --label "renault-$model"
  done
fi

# --- 5. revalidating saved orders against an edited catalog (issue 15) ----------------------------
# The Renault histories repeated to 100,000 saved orders, against the model with three forbidden
# pairs of values added (docs/benchmarks.md, "Revalidating saved orders").
REVALIDATE=$BUILD/tests/bench/sumisura_bench_revalidate
if [[ -x $REVALIDATE ]]; then
  orders=100000; [[ $QUICK == 1 ]] && orders=2000
  for model in medium big; do
    runs=3; [[ $model == big ]] && runs=1
    [[ -f $BENCH/history/renault-$model-sales.txt ]] &&
      run "revalidate-$model" "$REVALIDATE" --model "$BENCH/csp/renault-$model.xml" \
        --history "$BENCH/history/renault-$model-sales.txt" --orders "$orders" --runs "$runs" \
        --label "renault-$model"
  done
fi

echo "load_after	$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
"$PY" "$ROOT/tests/bench/format_results.py" "$OUT" >"$OUT/results.md"
echo "wrote $OUT/results.md" >&2
if [[ $UPDATE == 1 ]]; then
  "$PY" "$ROOT/tests/bench/format_results.py" "$OUT" --update "$ROOT/docs/benchmarks.md"
  echo "updated docs/benchmarks.md" >&2
fi
