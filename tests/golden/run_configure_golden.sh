#!/bin/bash
# Golden test of `sumisura configure --json`: runs a case from tests/golden/configure/cases.txt
# and compares the JSON answer (without its timing "stats") with NAME.expected.json.
# Usage: run_configure_golden.sh SUMISURA NAME   (from the repository root)
# UPDATE_GOLDEN=1 rewrites the expectation instead of comparing.
set -u
sumisura=$1
name=$2
dir=tests/golden/configure
line=$(grep -E "^$name \|" "$dir/cases.txt")
if [ -z "$line" ]; then echo "no case '$name' in $dir/cases.txt"; exit 1; fi
catalog=$(echo "$line" | cut -d'|' -f2 | xargs)
spec=$(echo "$line" | cut -d'|' -f3 | xargs)
expected="$dir/$name.expected.json"
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$sumisura" configure "$catalog" --spec "$spec" --json --time-limit 60 > "$actual.raw"
status=$?
# Timings differ from run to run; everything else must not.
/usr/bin/python3 - "$actual.raw" "$status" > "$actual" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
def strip(r):
    r.pop("stats", None)
    for repair in r.get("repairs", []):
        if repair.get("result"):
            strip(repair["result"])
    return r
result = strip(result)
result["exit_status"] = int(sys.argv[2])
print(json.dumps(result, indent=2, sort_keys=False))
PY
rm -f "$actual.raw"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$actual" "$expected"; echo "updated $expected"; exit 0; fi
if ! diff -u "$expected" "$actual"; then echo "configure $name differs from $expected (UPDATE_GOLDEN=1 to accept)"; exit 1; fi
