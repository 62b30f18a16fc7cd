#!/usr/bin/env python3
"""Validates and prices a large table of saved orders on a Dask cluster, and gathers the answers
into one table: the batch side of a shop (re-pricing every open order after a price change,
checking last year's orders against this year's catalog).

    PYTHONPATH=build/python /usr/bin/python3 examples/batch_orders.py CATALOG ORDERS \\
        [--out results.tsv] [--workers 2] [--chunk 500] [--scheduler tcp://HOST:8786]

ORDERS is a table: a first line naming options, slots, services or `product`, then one order per
line, cells separated by blanks (as in ../shared/benchmarks/history/renault-*-sales.txt) or, for a
file ending in .csv, by commas. An empty cell or `-` leaves that name to the engine: the answer is
then the best completion of the order. Each order is answered by `Configurator.configure` with the
order's cells as requirements:

    valid      the catalog makes it; `total` is its price
    invalid    it cannot be made; `problem` names the cells that conflict
    rejected   a cell names what the catalog lacks (`problem` says which)
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
    args = parser.parse_args()
    if args.workers < 1 or args.chunk < 1 or args.time_limit <= 0:
        parser.error("--workers, --chunk and --time-limit must be positive")

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print("batch_orders.py needs Dask: apt-get install python3-distributed", file=sys.stderr)
        return 1
    try:
        header, rows = read_orders(args.orders)
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
        futures = [client.submit(check_orders, shared, header, part, args.time_limit, pure=False)
                   for part in chunks(rows, args.chunk)]
        answers = [row for part in client.gather(futures) for row in part]
        workers = len(client.scheduler_info()["workers"])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    elapsed = time.perf_counter() - start

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


if __name__ == "__main__":
    sys.exit(main())
