#!/bin/bash
# Golden test of `sumisura diff` and `sumisura revalidate` on the next season of shoes
# (tests/golden/versions): the JSON and text answers, timings removed, against NAME.expected.
# Usage: run_versions_golden.sh SUMISURA   (from the repository root)
# UPDATE_GOLDEN=1 rewrites the expectations instead of comparing.
set -u
sumisura=$1
dir=tests/golden/versions
old=catalogs/shoes.yaml
new=$dir/shoes-next.yaml
orders=$dir/shoes-2026.1-orders.jsonl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$sumisura" diff "$old" "$new" --json --examples 2 > "$work/diff.json"; echo "exit $?" >> "$work/diff.json"
"$sumisura" diff "$old" "$new" --examples 2 > "$work/diff.txt"; echo "exit $?" >> "$work/diff.txt"
# No change at all: the same catalog against itself.
"$sumisura" diff "$old" "$old" > "$work/same.txt"; echo "exit $?" >> "$work/same.txt"
"$sumisura" revalidate "$new" "$orders" --json | sed -E 's/"seconds":[0-9.e+-]+/"seconds":_/' > "$work/revalidate.jsonl"
echo "exit ${PIPESTATUS[0]}" >> "$work/revalidate.jsonl"
"$sumisura" revalidate "$new" "$orders" | sed -E 's/distinct, [0-9.]+ s/distinct, _ s/' > "$work/revalidate.txt"
echo "exit ${PIPESTATUS[0]}" >> "$work/revalidate.txt"
status=0
for f in diff.json diff.txt same.txt revalidate.jsonl revalidate.txt; do
  expected="$dir/${f%.*}.expected.${f##*.}"
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$work/$f" "$expected"; echo "updated $expected"; continue; fi
  if ! diff -u "$expected" "$work/$f"; then
    echo "$f differs from $expected (UPDATE_GOLDEN=1 to accept)"; status=1
  fi
done
exit $status
