"""The golden answers on the two catalogs translated from real product models (catalogs/pc.yaml and
catalogs/touring_bike.yaml) agree with clingo on independent ASP encodings of the same models
(tests/golden/clingo/): counts, optima, and the bounds repairs relax to."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import SOURCE_DIR, run_cli

CLINGO_DIR = SOURCE_DIR / "tests" / "golden" / "clingo"
GOLDEN_DIR = SOURCE_DIR / "tests" / "golden" / "configure"


def clingo(program: str, *args: str) -> str:
    exe = shutil.which("clingo")
    if not exe:
        pytest.skip("clingo is not installed (Debian package gringo, see scripts/install-deps.sh)")
    done = subprocess.run(
        [exe, program, "-q", *args],
        cwd=CLINGO_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # clingo's exit status encodes the outcome (10 sat, 20 unsat, 30 optimum): read the text.
    return done.stdout


def optimum(program: str) -> list[int]:
    """The optimization values of the program's optimum, one per priority level, highest first
    (clingo shows what #maximize maximises negated)."""
    text = clingo(program, "--opt-mode=opt")
    assert "OPTIMUM FOUND" in text, text
    line = re.search(r"^Optimization : (.*)$", text, re.M)
    assert line, text
    return [int(v) for v in line.group(1).split()]


def satisfiable(program: str) -> bool:
    text = clingo(program)
    assert "SATISFIABLE" in text, text
    return "UNSATISFIABLE" not in text


def golden(name: str) -> Any:
    return json.loads((GOLDEN_DIR / f"{name}.expected.json").read_text())


def relaxed_to(result: Any, requirement: str) -> float:
    for repair in result["repairs"]:
        for relax in repair["relax"]:
            if relax["requirement"] == requirement:
                return relax["to"]
    raise AssertionError(f"no repair relaxes {requirement}")


@pytest.mark.parametrize(
    "catalog, program", [("pc.yaml", "pc.lp"), ("touring_bike.yaml", "touring_bike.lp")]
)
def test_counts_agree_with_clingo(catalog: str, program: str) -> None:
    # The engine lists identical hard-disk units once (ordered instances); the ASP encoding counts
    # multisets of unit configurations. Both must see the same products.
    text = clingo(program, "0")
    models = re.search(r"^Models\s*:\s*(\d+)", text, re.M)
    assert models, text
    assert int(run_cli("count", SOURCE_DIR / "catalogs" / catalog)) == int(models.group(1))


def test_pc_optima_agree_with_clingo() -> None:
    assert golden("pc-cheapest")["price"]["total"] == optimum("pc-cheapest.lp")[0]
    assert golden("pc-two-units")["price"]["total"] == optimum("pc-two-units.lp")[0]
    most = golden("pc-most-capacity")
    assert [-most["measures"]["disk_capacity"], most["price"]["total"]] == optimum(
        "pc-most-capacity.lp"
    )


def test_pc_capacity_repair_agrees_with_clingo() -> None:
    result = golden("pc-capacity")
    assert result["status"] == "infeasible"
    assert not satisfiable("pc-capacity-3000.lp")
    assert relaxed_to(result, "disk_capacity >= 3000") == -optimum("pc-capacity.lp")[0]


def test_touring_bike_optima_agree_with_clingo() -> None:
    assert golden("touring-lightest")["measures"]["total_weight"] == optimum(
        "touring-lightest.lp"
    )[0]
    most = golden("touring-most-stowage")
    assert [-most["measures"]["stowage"], most["measures"]["total_weight"]] == optimum(
        "touring-most-stowage.lp"
    )


def test_touring_bike_repairs_agree_with_clingo() -> None:
    result = golden("touring-stowage")
    assert result["status"] == "infeasible"
    assert relaxed_to(result, "stowage >= 100") == -optimum("touring-stowage.lp")[0]
    # Dropping the wheel size is a repair exactly when 100 litres are within reach without it.
    drops = [r["drop"] for r in result["repairs"] if not r["relax"]]
    assert (["rear_wheel.rim == rim_29"] in drops) == satisfiable("touring-stowage-100.lp")


def test_clingo_encodings_are_named_by_the_goldens() -> None:
    # Every golden case on these catalogs names the encoding that checks it.
    cases = (GOLDEN_DIR / "cases.txt").read_text().splitlines()
    names = [c.split("|")[0].strip() for c in cases if "pc.yaml" in c or "touring_bike" in c]
    assert len(names) == 7
    for name in names:
        spec = (GOLDEN_DIR / f"{name}.spec.yaml").read_text()
        assert f"tests/golden/clingo/{name}.lp" in spec
        assert (CLINGO_DIR / f"{name}.lp").is_file()
