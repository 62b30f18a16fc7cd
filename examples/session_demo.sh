#!/bin/sh
# Drives `sumisura session` over its JSON-lines protocol, as a web backend or another language would.
# Usage: examples/session_demo.sh [path/to/sumisura] [catalog]
set -eu
SUMISURA=${1:-./build/sumisura}
CATALOG=${2:-catalogs/shoes.yaml}
printf '%s\n' \
  '{"id": 1, "op": "choose", "name": "product", "value": "sneaker"}' \
  '{"id": 2, "op": "choose", "name": "size", "value": 47}' \
  '{"id": 3, "op": "explain", "name": "sole", "value": "sole_crepe"}' \
  '{"id": 4, "op": "repairs", "name": "sole", "value": "sole_crepe"}' \
  '{"id": 5, "op": "complete", "objective": "cheapest"}' \
  '{"id": 6, "op": "save"}' \
  | "$SUMISURA" session "$CATALOG" > session_demo.out
# Every request got an answer, and none failed.
test "$(wc -l < session_demo.out)" -eq 6
if grep -q '"ok":false' session_demo.out; then cat session_demo.out; exit 1; fi
grep -q '"status":"optimal"' session_demo.out
cat session_demo.out
