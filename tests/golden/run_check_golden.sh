#!/usr/bin/env bash
# Golden test of `sumisura check`: runs it on one catalog and compares its standard output and
# exit status, byte for byte, with an expectation file.
#
#   run_check_golden.sh SUMISURA CATALOG EXPECTED
#   run_check_golden.sh SUMISURA --generate NAME EXPECTED
#
# Run it from the folder the catalog path is relative to (CTest runs the corpus from the repo
# root, so messages read `tests/catalogs/broken/X.yaml:3:5: error: ...`). With --generate, the
# catalog is written at run time to generated/NAME.yaml below the current folder (pathological
# inputs too large or too deep to commit) and checked under that path.
#
# EXPECTED holds the exact standard output followed by one line `[exit N]` with the exit status.
# UPDATE_GOLDEN=1 rewrites EXPECTED from the actual output instead of comparing, except for
# cases marked as known engine bugs (SUMISURA_GOLDEN_KNOWN_BUG=1), whose expectation holds the
# output the engine should print and must be kept until the bug is fixed.
set -u

if [ $# -ne 3 ] && [ $# -ne 4 ]; then
  echo "usage: $0 SUMISURA CATALOG EXPECTED | $0 SUMISURA --generate NAME EXPECTED" >&2
  exit 2
fi
sumisura=$1
if [ "$2" = "--generate" ]; then
  name=$3
  expected=$4
  catalog=generated/$name.yaml
  mkdir -p generated
  case $name in
    huge_options)  # 200,000 options (about 10 MB): an answer within seconds, not a hang
      awk 'BEGIN {
        print "catalog: {name: Huge}"; print "options:";
        for (i = 0; i < 200000; i++) printf "  - {id: opt_%d, values: [a, b], default: a}\n", i;
        print "rules:"; print "  - {id: r, message: First option must be a., require: opt_0 == a}";
      }' > "$catalog" ;;
    deep_yaml)  # [[[[...]]]] 10,000 deep: a clear error, not a stack overflow
      awk 'BEGIN {
        printf "catalog: {name: Deep}\noptions: ";
        for (i = 0; i < 10000; i++) printf "["; for (i = 0; i < 10000; i++) printf "]"; printf "\n";
      }' > "$catalog" ;;
    deep_mapping)  # {a: {a: {a: ...}}} 10,000 deep in block style would be 50 MB; flow style
      awk 'BEGIN {
        printf "catalog: {name: Deep}\nblocks:\n  - {id: b, attributes: ";
        for (i = 0; i < 10000; i++) printf "{a: "; printf "1"; for (i = 0; i < 10000; i++) printf "}";
        printf "}\n";
      }' > "$catalog" ;;
    deep_expression)  # ((((size > 40)))) 10,000 deep: a clear error, not a stack overflow
      awk 'BEGIN {
        print "catalog: {name: Deep}"; print "options:"; print "  - {id: size, range: [36, 48]}";
        print "rules:"; print "  - {id: small, message: Small sizes only., require: size < 44}";
        print "  - id: deep"; print "    message: Too deep.";
        printf "    require: \x27"; for (i = 0; i < 10000; i++) printf "(";
        printf "size > 40"; for (i = 0; i < 10000; i++) printf ")"; printf "\x27\n";
      }' > "$catalog" ;;
    long_and_chain)  # size > 1 and size > 2 and ... 10,000 terms: flat, so it must be accepted
      awk 'BEGIN {
        print "catalog: {name: Long}"; print "options:"; print "  - {id: size, range: [36, 48]}";
        print "rules:"; print "  - id: long"; print "    message: Long.";
        printf "    require: size > 0"; for (i = 1; i < 10000; i++) printf " and size > %d", i % 30;
        printf "\n";
      }' > "$catalog" ;;
    *) echo "$0: unknown generated case '$name'" >&2; exit 2 ;;
  esac
else
  catalog=$2
  expected=$3
fi

if [ ! -x "$sumisura" ]; then
  echo "$0: $sumisura is not an executable; build the sumisura_cli target first" >&2
  exit 2
fi

actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$sumisura" check "$catalog" > "$actual" 2> "$actual.stderr"
status=$?
echo "[exit $status]" >> "$actual"
if [ -s "$actual.stderr" ]; then
  echo "--- standard error of sumisura check $catalog:"
  head -c 4000 "$actual.stderr"
fi
rm -f "$actual.stderr"

if [ "${UPDATE_GOLDEN:-0}" = "1" ]; then
  if [ "${SUMISURA_GOLDEN_KNOWN_BUG:-0}" = "1" ]; then
    echo "not updating $expected: it is listed as a known engine bug in tests/golden/CMakeLists.txt and"
    echo "holds the output the engine should print; remove it from that list once the bug is fixed"
    exit 1
  fi
  cp "$actual" "$expected"
  echo "updated $expected"
  exit 0
fi

if [ ! -f "$expected" ]; then
  echo "missing expectation $expected; run with UPDATE_GOLDEN=1 to create it, then review it"
  exit 1
fi
if cmp -s "$expected" "$actual"; then
  exit 0
fi
echo "sumisura check $catalog: output differs from $expected (--- expected, +++ actual):"
diff -u -a --label expected --label actual "$expected" "$actual" | head -c 20000
exit 1
