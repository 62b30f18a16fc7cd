"""examples/batch_orders.py: saved orders validated and priced on a real Dask LocalCluster (issue
11), each answer equal to the one the library gives in-process by search (no compiled form); and
revalidated against another catalog version (--revalidate), each verdict equal to the one of
Configurator.revalidate in-process."""

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
NEXT_SHOES = SOURCE_DIR / "tests" / "golden" / "versions" / "shoes-next.yaml"
VERDICTS = ("valid", "repriced", "broken", "undecided")


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


def printed_verdicts(stdout: str) -> dict[str, int]:
    """The verdict counts the example prints ("  broken     7")."""
    out = {}
    for line in stdout.splitlines():
        words = line.split()
        if len(words) == 2 and words[0] in VERDICTS:
            out[words[0]] = int(words[1])
    return out


def saved_orders(path: Path) -> list[tuple[int, dict]]:
    """Line number and saved order {"choices": {...}, "total": N} of each row of a table (blanks,
    or commas for .csv), without the cells left to the engine, as the example reads them."""
    with path.open(newline="") as text:
        if path.suffix == ".csv":
            rows = [row for row in csv.reader(text)]
        else:
            rows = [line.split() for line in text]
    out = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {n: c for n, c in zip(rows[0], row) if c not in ("", "-")}
        order: dict = {"choices": {n: c for n, c in cells.items() if n != "total"}}
        if "total" in cells:
            order["total"] = Decimal(cells["total"])
        out.append((number, order))
    return out


def check_revalidation(catalog: Path, orders: Path, done: subprocess.CompletedProcess,
                       results: dict[int, dict[str, str]]) -> dict[str, int]:
    """The example's summary and table against Configurator.revalidate in-process of the same
    orders, all at once."""
    assert done.returncode == 0, done.stderr
    book = saved_orders(orders)
    direct = s.Configurator(catalog).revalidate([order for _, order in book], max_repairs=1)
    summary = {v: direct["summary"][v] for v in VERDICTS}
    assert printed_verdicts(done.stdout) == summary
    assert sorted(results) == [line for line, _ in book]
    for (line, order), check in zip(book, direct["orders"]):
        got = results[line]
        assert got["verdict"] == check["verdict"], f"{orders.name}:{line}"
        total = "" if check["new_total"] is None else str(check["new_total"])
        assert got["new_total"] == total, f"{orders.name}:{line}"
        if check["verdict"] == "broken":  # what it lacks, or a conflict (maybe another one)
            assert got["problem"] and all(part in check["problems"]
                                          or part.split("=")[0] in order["choices"]
                                          for part in got["problem"].split("; "))
            assert got["repair"].startswith("give up ") == bool(check["repairs"])
    return summary


def test_revalidate_shipped_orders_against_the_next_season(tmp_path: Path) -> None:
    out = tmp_path / "verdicts.tsv"
    done = run_example(NEXT_SHOES, SHIPPED_ORDERS, out, "--revalidate", "--chunk", "5")
    summary = check_revalidation(NEXT_SHOES, SHIPPED_ORDERS, done, read_results(out))
    assert summary == {"valid": 17, "repriced": 0, "broken": 7, "undecided": 0}
    assert "24 orders revalidated against shoes-next.yaml on 2 Dask workers" in done.stdout
    assert "first broken order: shoes-orders.csv:3: size=39; width=wide" in done.stdout


def test_revalidate_renault_sales(tmp_path: Path) -> None:
    """3,000 sold cars, a tenth of them with one cell changed to another value of its column
    (most of those the model no longer makes), 6 tasks over the workers."""
    model = BENCHMARKS / "csp" / "renault-medium.xml"
    sales = BENCHMARKS / "history" / "renault-medium-sales.txt"
    if not sales.is_file() or not model.is_file():
        pytest.skip(f"{BENCHMARKS} is absent (the Renault model and its sales history)")
    lines = sales.read_text().splitlines()
    header, rows = lines[0].split(), [line.split() for line in lines[1:3001]]
    columns = [sorted({row[i] for row in rows}) for i in range(len(header))]
    rng = random.Random(20261206)
    for row in rows:
        if rng.random() < 0.1:
            i = rng.randrange(len(header))
            row[i] = rng.choice(columns[i])
    table = tmp_path / "sales.txt"
    table.write_text("\n".join(" ".join(cells) for cells in [header, *rows]) + "\n")
    out = tmp_path / "verdicts.tsv"
    done = run_example(model, table, out, "--revalidate", "--chunk", "500")
    summary = check_revalidation(model, table, done, read_results(out))
    # Read as a table of whole products by the engine, the same verdicts.
    whole = s.Configurator(model).revalidate(table, threads=1)["summary"]
    assert {v: whole[v] for v in VERDICTS} == summary
    assert sum(summary.values()) == 3000
    assert summary["broken"] > 0 and summary["valid"] > 2500
    assert summary["repriced"] == summary["undecided"] == 0  # no totals; no limit reached


def test_revalidate_with_the_prices_sold_at(tmp_path: Path) -> None:
    table = tmp_path / "sold.txt"
    table.write_text("product size total\noxford 42 280\nderby 39 200\nsneaker 42 145\n")
    out = tmp_path / "verdicts.tsv"
    done = run_example(SHOES, table, out, "--revalidate")
    summary = check_revalidation(SHOES, table, done, read_results(out))
    assert summary == {"valid": 2, "repriced": 1, "broken": 0, "undecided": 0}
    assert (read_results(out)[3]["old_total"], read_results(out)[3]["new_total"]) == ("200", "260")
    table.write_text("product size total\noxford 42 abc\n")
    done = run_example(SHOES, table, out, "--revalidate")
    assert done.returncode == 1
    assert f"{table}:2: total 'abc' is not a number" in done.stderr
