"""The counting commands of the `sumisura` tool (compile, count, analyze, sample), compiled files
accepted wherever a model is, and the errors a bad compiled file gets: checked against the Python
package of the same build and against each other."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

import sumisura as s
from conftest import CLI, KITCHEN, SHOES, cli_json, run_cli


def test_count_json_matches_the_package_and_the_value_counts():
    out = cli_json("count", SHOES, "--json")
    assert out["exact"] is True
    assert int(out["count"]) == s.Configurator(SHOES).count()
    # The count of one option's values add up to the total.
    analysis = cli_json("analyze", SHOES, "--json")
    assert analysis["total"] == out["count"]
    size = next(v for v in analysis["variables"] if v["name"] == "size")
    assert sum(int(v["count"]) for v in size["values"]) == int(out["count"])
    for value in size["values"]:
        where = cli_json("count", SHOES, "--where", f"size={value['value']}", "--json")
        assert where["count"] == value["count"]


def test_quantity_columns_are_choices():
    analysis = cli_json("analyze", SHOES, "--json")
    column = next(v for v in analysis["variables"] if v["kind"] == "quantity")
    total = 0
    for value in column["values"]:
        got = cli_json("count", SHOES, "--where", f"{column['name']}={value['value']}", "--json")
        assert got["count"] == value["count"]
        total += int(got["count"])
    assert total == int(analysis["total"])
    run_cli("count", SHOES, "--where", f"{column['name']}=99", expect=(1,))


def test_samples_are_reproducible_and_each_is_a_valid_product():
    first = cli_json("sample", SHOES, "-n", "5", "--seed", "7", "--json")
    again = cli_json("sample", SHOES, "-n", "5", "--seed", "7", "--json")
    assert first == again and first["uniform"] is True and len(first["products"]) == 5
    for product in first["products"]:
        where = []
        for name, value in product.items():
            text = json.dumps(value) if isinstance(value, bool) else str(value)
            where += ["--where", f"{name}={text}"]
        # A complete product fixes everything: exactly one product has all its values.
        assert cli_json("count", SHOES, *where, "--json")["count"] == "1"


def test_a_compiled_file_is_accepted_wherever_a_model_is(tmp_path: Path):
    compiled = tmp_path / "kitchen.sumisura"
    report = cli_json("compile", KITCHEN, "-o", compiled, "--json")
    assert report["compiled"] is True and report["bytes"] == compiled.stat().st_size
    assert cli_json("count", compiled, "--json")["from_file"] is True
    assert cli_json("count", compiled, "--json")["count"] == cli_json("count", KITCHEN, "--json")["count"]
    assert cli_json("domains", compiled, "--json") == cli_json("domains", KITCHEN, "--json")
    assert ": ok " in run_cli("check", compiled)
    # Any name: the content says it is a compiled file.
    renamed = tmp_path / "kitchen.bin"
    renamed.write_bytes(compiled.read_bytes())
    assert cli_json("count", renamed, "--json")["count"] == cli_json("count", KITCHEN, "--json")["count"]
    state = json.loads(run_cli("session", compiled, stdin='{"op":"domains"}\n').splitlines()[0])
    assert state["state"]["count"] == cli_json("count", KITCHEN, "--json")["count"]


def test_a_catalog_out_of_budget_is_saved_with_its_verdict(tmp_path: Path):
    compiled = tmp_path / "shoes.sumisura"
    report = cli_json("compile", SHOES, "-o", compiled, "--work", "1000", "--json", expect=(3,))
    assert report["compiled"] is False and "work budget" in report["reason"]
    out = cli_json("count", compiled, "--json", expect=(3,))
    assert out["exact"] is False and "work budget" in out["reason"]
    # The search back end still answers.
    assert cli_json("domains", compiled, "--json")["status"] == "ok"


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda b: b[: len(b) // 2], "truncated|malformed|corrupt"),
        (lambda b: b[:100] + bytes([b[100] ^ 1]) + b[101:], "corrupt"),
        (lambda b: b"SUMISURA-COMPILED\n" + (99).to_bytes(4, "little") + b[22:], "another version"),
    ],
)
def test_damaged_compiled_files_are_clear_errors(tmp_path: Path, damage, message):
    good = tmp_path / "kitchen.sumisura"
    run_cli("compile", KITCHEN, "-o", good)
    bad = tmp_path / "bad.sumisura"
    bad.write_bytes(damage(good.read_bytes()))
    done = subprocess.run([CLI, "count", str(bad)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert str(bad) in done.stderr and re.search(message, done.stderr), done.stderr
    assert "sumisura compile" in done.stderr


def test_count_refuses_what_is_not_a_choice():
    run_cli("count", SHOES, "--where", "nonsense=1", expect=(1,))
