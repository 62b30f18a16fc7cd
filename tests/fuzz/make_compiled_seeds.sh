#!/bin/sh
# Seeds of the compiled_file fuzz target, made rather than committed: `sumisura compile` on small
# catalogs and models (both compiled forms, and a file that records "no compiled form"), and on
# catalogs/shoes.yaml as a real, larger file.
# Usage: make_compiled_seeds.sh SUMISURA SOURCE_DIR OUT_DIR
set -eu
sumisura=$1 src=$2 out=$3
mkdir -p "$out"
compile() {
  name=$1
  shift
  "$sumisura" compile "$@" -o "$out/$name.sumisura" >/dev/null
}
valid=$src/tests/catalogs/valid
compile shoes "$src/catalogs/shoes.yaml"
compile blocks_in_list "$valid/blocks_in_list.yaml"
compile enum_values_in_list "$valid/enum_values_in_list.yaml" --form diagram
compile none_cell_multi_product "$valid/none_cell_multi_product.yaml"
compile named_dimacs "$src/tests/fuzz/seeds/dimacs/named.dimacs"
compile groups_uvl "$src/tests/fuzz/seeds/uvl/groups.uvl" --form diagram
compile tiny_xcsp "$src/tests/fuzz/seeds/xcsp/tiny.xml"
# Exit status 3: saved without a compiled form, which is what this seed is for.
status=0
compile verdict "$valid/bundles_tiers_services.yaml" --nodes 1 || status=$?
test "$status" -eq 3
