#!/usr/bin/env python3
"""Validates and prices a large table of saved orders on a Dask cluster, and gathers the answers
into one table: the batch side of a shop (re-pricing every open order after a price change,
checking last year's orders against this year's catalog).

    PYTHONPATH=build/python /usr/bin/python3 examples/batch_orders.py CATALOG ORDERS \\
        [--out results.tsv] [--workers 2] [--chunk 500] [--scheduler tcp://HOST:8786] \\
        [--revalidate [--repairs 1]]

ORDERS is a table: a first line naming options, slots, services or `product`, then one order per
line, cells separated by blanks (as in ../shared/benchmarks/history/renault-*-sales.txt) or, for a
file ending in .csv, by commas. An empty cell or `-` leaves that name to the engine: the answer is
then the best completion of the order. Each order is answered by `Configurator.configure` with the
order's cells as requirements:

    valid      the catalog makes it; `total` is its price
    invalid    it cannot be made; `problem` names the cells that conflict
    rejected   a cell names what the catalog lacks (`problem` says which)
    undecided  the time limit was reached first

With --revalidate the orders are taken as sold under an earlier version of the catalog and checked
against CATALOG by `Configurator.revalidate` instead, a chunk at a time; a column named `total`
holds the price each order was sold at (the others are its choices). Each order's verdict:

    valid      CATALOG still makes it, at the same price (or no `total` to compare)
    repriced   CATALOG still makes it, at another price (`new_total`)
    broken     CATALOG no longer makes it: `problem` names the choices it lacks or that conflict,
               `repair` the fewest choices to give up (and the price of what remains)
    undecided  the time limit was reached first

The Configurator is compiled once here, pickled (with its compiled form) and sent once to every
worker, which never compiles it again. Without --scheduler the example starts a LocalCluster of
--workers processes; with it, it uses that cluster (whose workers must import `sumisura`).
It prints a summary and exits 0 when every order got an answer (1 on bad input).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import sumisura as s

COLUMNS = ("line", "status", "product", "total", "currency", "problem", "seconds")
REVALIDATE_COLUMNS = ("line", "verdict", "old_total", "new_total", "problem", "repair")
VERDICTS = ("valid", "repriced", "broken", "undecided")


def read_orders(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the orders of a table, each with its line in the file; a row with the
    wrong number of cells is bad input, named by its line."""
    with path.open(newline="") as text:
        if path.suffix.lower() == ".csv":
            lines = [(n, row) for n, row in enumerate(csv.reader(text), start=1) if row]
        else:
            lines = [(n, line.split()) for n, line in enumerate(text, start=1) if line.strip()]
    if not lines:
        raise ValueError(f"{path}: empty, expected a first line naming the columns")
    header = [name.strip() for name in lines[0][1]]
    rows = []
    for number, cells in lines[1:]:
        if len(cells) != len(header):
            raise ValueError(f"{path}:{number}: {len(cells)} cells where the first line names "
                             f"{len(header)}; give every order one cell per column")
        rows.append((number, [cell.strip() for cell in cells]))
    return header, rows


def check_orders(configurator: s.Configurator, header: list[str],
                 rows: list[tuple[int, list[str]]], time_limit: float) -> list[tuple]:
    """Runs on a worker: the answer to each order of one chunk, in order."""
    out = []
    for line, cells in rows:
        where = {name: cell for name, cell in zip(header, cells) if cell not in ("", "-")}
        start = time.perf_counter()
        try:
            result = configurator.configure(None, where=where, time_limit=time_limit,
                                            max_repairs=0)
        except s.SpecError as error:
            out.append((line, "rejected", "", "", "", str(error),
                        time.perf_counter() - start))
            continue
        seconds = time.perf_counter() - start
        if result.status in (s.Status.optimal, s.Status.feasible):
            price = result.price
            out.append((line, "valid", result.product or "",
                        str(price.total) if price else "", price.currency if price else "", "",
                        seconds))
        elif result.status == s.Status.infeasible:
            out.append((line, "invalid", "", "", "", "; ".join(result.conflict),
                        seconds))
        else:
            out.append((line, "undecided", "", "", "", f"{result.status} (time limit)",
                        seconds))
    return out


def saved_order(header: list[str], cells: list[str]) -> dict:
    """One row as a saved order: {"choices": {...}, "total": N}, cells left to the engine out."""
    choices = {name: cell for name, cell in zip(header, cells)
               if name != "total" and cell not in ("", "-")}
    order: dict = {"choices": choices}
    if "total" in header and cells[header.index("total")] not in ("", "-"):
        order["total"] = Decimal(cells[header.index("total")])
    return order


def check_totals(path: Path, header: list[str], rows: list[tuple[int, list[str]]]) -> None:
    """A `total` cell that is no number is bad input, named by its line."""
    if "total" not in header:
        return
    for number, cells in rows:
        cell = cells[header.index("total")]
        if cell not in ("", "-"):
            try:
                Decimal(cell)
            except ArithmeticError:
                raise ValueError(f"{path}:{number}: total '{cell}' is not a number") from None


def money(amount) -> str:
    return "" if amount is None else str(amount)


def revalidate_orders(configurator: s.Configurator, header: list[str],
                      rows: list[tuple[int, list[str]]], time_limit: float,
                      repairs: int) -> tuple[dict, list[tuple]]:
    """Runs on a worker: the verdict counts of one chunk and a row per order, in order. One
    thread per task: the workers are the parallelism."""
    answer = configurator.revalidate([saved_order(header, cells) for _, cells in rows],
                                     time_limit=time_limit, max_repairs=repairs, threads=1)
    out = []
    for check in answer["orders"]:
        line = rows[check["index"]][0]
        problem = check["problems"] + check.get("conflict", {}).get("choices", [])
        repair = ""
        if check.get("repairs"):
            best = check["repairs"][0]
            repair = f"give up {' '.join(best['drop'])}: {money(best['total'])}"
        out.append((line, check["verdict"], money(check["old_total"]),
                    money(check["new_total"]), "; ".join(problem), repair))
    return {v: answer["summary"][v] for v in VERDICTS}, out


def chunks(rows: list, size: int) -> Iterator[list]:
    for at in range(0, len(rows), size):
        yield rows[at:at + size]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("catalog", type=Path, help="catalog or model file (any format)")
    parser.add_argument("orders", type=Path, help="table of orders")
    parser.add_argument("--out", type=Path, help="results table (TSV); default: none")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster processes")
    parser.add_argument("--chunk", type=int, default=500, help="orders per task")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per order")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    parser.add_argument("--revalidate", action="store_true",
                        help="check orders sold under an earlier version against CATALOG")
    parser.add_argument("--repairs", type=int, default=1,
                        help="with --revalidate: repairs per broken order (default 1)")
    args = parser.parse_args()
    if args.workers < 1 or args.chunk < 1 or args.time_limit <= 0:
        parser.error("--workers, --chunk and --time-limit must be positive")
    if args.repairs < 0:
        parser.error("--repairs must be at least 0")

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print("batch_orders.py needs Dask: apt-get install python3-distributed", file=sys.stderr)
        return 1
    try:
        header, rows = read_orders(args.orders)
        if args.revalidate:
            check_totals(args.orders, header, rows)
        configurator = s.Configurator(args.catalog)
    except (OSError, ValueError, s.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    configurator.compile()  # once, here: the workers receive the compiled form with the pickle

    start = time.perf_counter()
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        shared = client.scatter(configurator, broadcast=True)  # one copy per worker
        if args.revalidate:
            futures = [client.submit(revalidate_orders, shared, header, part, args.time_limit,
                                     args.repairs, pure=False)
                       for part in chunks(rows, args.chunk)]
            parts = client.gather(futures)
        else:
            futures = [client.submit(check_orders, shared, header, part, args.time_limit,
                                     pure=False)
                       for part in chunks(rows, args.chunk)]
            answers = [row for part in client.gather(futures) for row in part]
        workers = len(client.scheduler_info()["workers"])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    elapsed = time.perf_counter() - start
    if args.revalidate:
        return report_revalidation(args, parts, len(rows), workers, elapsed)

    if args.out:
        with args.out.open("w", newline="") as out:
            table = csv.writer(out, delimiter="\t", lineterminator="\n")
            table.writerow(COLUMNS)
            table.writerows((*row[:-1], f"{row[-1]:.6f}") for row in answers)

    statuses = Counter(row[1] for row in answers)
    revenue: Counter[str] = Counter()
    for row in answers:
        if row[1] == "valid" and row[3]:
            revenue[row[4]] += Decimal(row[3])
    print(f"{len(answers)} orders of {args.catalog.name} on {workers} Dask workers in "
          f"{elapsed:.1f} s")
    for status in ("valid", "invalid", "rejected", "undecided"):
        print(f"  {status:<10} {statuses.get(status, 0)}")
    for currency, total in sorted(revenue.items()):
        print(f"  total of valid orders: {total} {currency}")
    for row in answers:
        if row[1] != "valid":
            print(f"  first order not valid: {args.orders.name}:{row[0]}: {row[1]}: {row[5]}")
            break
    return 0 if len(answers) == len(rows) else 1


def report_revalidation(args: argparse.Namespace, parts: list[tuple[dict, list[tuple]]],
                        orders: int, workers: int, elapsed: float) -> int:
    """Writes the results table and prints the verdicts summed over the chunks."""
    answers = [row for _, part in parts for row in part]
    verdicts: Counter[str] = Counter()
    for counts, _ in parts:
        verdicts.update(counts)
    if args.out:
        with args.out.open("w", newline="") as out:
            table = csv.writer(out, delimiter="\t", lineterminator="\n")
            table.writerow(REVALIDATE_COLUMNS)
            table.writerows(answers)
    print(f"{len(answers)} orders revalidated against {args.catalog.name} on {workers} Dask "
          f"workers in {elapsed:.1f} s")
    for verdict in VERDICTS:
        print(f"  {verdict:<10} {verdicts.get(verdict, 0)}")
    for row in answers:
        if row[1] == "broken":
            print(f"  first broken order: {args.orders.name}:{row[0]}: {row[4]}"
                  + (f" ({row[5]})" if row[5] else ""))
            break
    return 0 if len(answers) == orders else 1


if __name__ == "__main__":
    sys.exit(main())
