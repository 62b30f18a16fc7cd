"""examples/batch_orders.py: saved orders validated and priced on a real Dask LocalCluster (issue
11), each answer equal to the one the library gives in-process by search (no compiled form)."""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import sumisura as s
from conftest import SHOES, SOURCE_DIR

pytest.importorskip(
    "distributed", reason="Dask is not installed (python3-distributed; scripts/install-deps.sh)"
)

EXAMPLE = SOURCE_DIR / "examples" / "batch_orders.py"
SHIPPED_ORDERS = SOURCE_DIR / "examples" / "orders" / "shoes-orders.csv"
BENCHMARKS = SOURCE_DIR.parent / "shared" / "benchmarks"


def run_example(catalog: Path, orders: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(EXAMPLE), str(catalog), str(orders), "--out", str(out), *extra],
        capture_output=True, text=True, timeout=600, env=os.environ.copy(),
    )


def read_results(path: Path) -> dict[int, dict[str, str]]:
    with path.open(newline="") as text:
        return {int(row["line"]): row for row in csv.DictReader(text, delimiter="\t")}


def read_orders(path: Path) -> dict[int, dict[str, str]]:
    """Line number -> {name: cell}, without the cells left to the engine."""
    with path.open(newline="") as text:
        rows = list(csv.reader(text))
    return {number: {n: c for n, c in zip(rows[0], row) if c not in ("", "-")}
            for number, row in enumerate(rows[1:], start=2)}


def expected(configurator: s.Configurator, order: dict[str, str]) -> tuple[str, str]:
    """Status and total by in-process search."""
    try:
        result = configurator.configure(None, where=order, use_compiled=False, max_repairs=0)
    except s.SpecError:
        return "rejected", ""
    if result.status in (s.Status.optimal, s.Status.feasible):
        return "valid", str(result.price.total)
    return ("invalid" if result.status == s.Status.infeasible else "undecided"), ""


def check_against_library(catalog: Path, orders: Path, results: dict[int, dict[str, str]]) -> None:
    configurator = s.Configurator(catalog)
    table = read_orders(orders)
    assert sorted(results) == sorted(table)
    for line, order in table.items():
        status, total = expected(configurator, order)
        got = results[line]
        assert (got["status"], got["total"]) == (status, total), f"{orders.name}:{line}"
        if status == "invalid":  # the conflict names cells of the order
            assert got["problem"] and all(part.split("=")[0] in order
                                          for part in got["problem"].split("; "))


def test_shipped_orders(tmp_path: Path) -> None:
    out = tmp_path / "results.tsv"
    done = run_example(SHOES, SHIPPED_ORDERS, out, "--chunk", "5")
    assert done.returncode == 0, done.stderr
    results = read_results(out)
    statuses = [row["status"] for row in results.values()]
    assert statuses.count("valid") == 19 and statuses.count("invalid") == 4
    assert statuses.count("rejected") == 1
    assert "24 orders of shoes.yaml on 2 Dask workers" in done.stdout
    check_against_library(SHOES, SHIPPED_ORDERS, results)


def test_large_generated_table(tmp_path: Path) -> None:
    """600 orders: sampled products, a quarter of them with one cell changed at random, some with
    a cell left to the engine; 12 tasks over the workers."""
    configurator = s.Configurator(SHOES)
    configurator.compile()
    domains = configurator.domains()["domains"]
    rng = random.Random(20261205)
    orders = []
    for product in configurator.sample(600, seed=3):
        order = {k: v for k, v in product.items() if "." not in k}
        if rng.random() < 0.25:
            name = rng.choice(sorted(order))
            order[name] = rng.choice(domains[name])
        if rng.random() < 0.1:
            order[rng.choice(sorted(order))] = "-"
        orders.append(order)
    table = tmp_path / "orders.csv"
    with table.open("w", newline="") as text:
        writer = csv.writer(text)
        writer.writerow(orders[0])
        for order in orders:
            writer.writerow(str(v).lower() if isinstance(v, bool) else v for v in order.values())
    out = tmp_path / "results.tsv"
    done = run_example(SHOES, table, out, "--chunk", "50")
    assert done.returncode == 0, done.stderr
    results = read_results(out)
    statuses = {row["status"] for row in results.values()}
    assert {"valid", "invalid"} <= statuses
    check_against_library(SHOES, table, results)
    revenue = sum(Decimal(row["total"]) for row in results.values() if row["status"] == "valid")
    assert f"total of valid orders: {revenue} EUR" in done.stdout


def test_every_sold_renault_car_is_valid(tmp_path: Path) -> None:
    model = BENCHMARKS / "csp" / "renault-medium.xml"
    sales = BENCHMARKS / "history" / "renault-medium-sales.txt"
    if not sales.is_file() or not model.is_file():
        pytest.skip(f"{BENCHMARKS} is absent (the Renault model and its sales history)")
    out = tmp_path / "results.tsv"
    done = run_example(model, sales, out, "--chunk", "1000")
    assert done.returncode == 0, done.stderr
    results = read_results(out)
    cars = sum(1 for line in sales.read_text().splitlines()[1:] if line.strip())
    assert len(results) == cars == 8252
    assert {row["status"] for row in results.values()} == {"valid"}


def test_bad_table_is_named_by_line(tmp_path: Path) -> None:
    table = tmp_path / "orders.txt"
    table.write_text("product size\noxford 42\nderby\n")
    done = run_example(SHOES, table, tmp_path / "out.tsv")
    assert done.returncode == 1
    assert f"{table}:3: 1 cells where the first line names 2" in done.stderr
