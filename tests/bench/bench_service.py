#!/usr/bin/env python3
"""Load test of `sumisura serve` (issue 11; figures in docs/benchmarks.md).

Workloads, one per catalog: random sessions (create, click a valid value of an open variable at a
time, complete, delete, then one configure of a random two-value specification), or with
--replay ID=SALES, sold cars replayed (each car's values clicked in random order, skipping those
already fixed; the configure requires three values of the car).

1. One client, each workload in turn: the same clicks and configures through the library in a
   process of its own (which has ended before the service is measured), then through the
   service: what the service adds per click and per configure at p50.
2. N concurrent clients (processes of threads, so that the client is not bound by one GIL) for a
   fixed time over every workload: throughput, p50/p99 per click, per complete and per
   configure, errors, and the server's resident memory each second (start, after warm-up, end).

  /usr/bin/python3 tests/bench/bench_service.py --cli build/sumisura \\
      --catalog shoes=catalogs/shoes.yaml --catalog bicycle=catalogs/bicycle.yaml \\
      --catalog renault=../shared/benchmarks/csp/renault-medium.xml \\
      --replay renault=../shared/benchmarks/history/renault-medium-sales.txt

Clients and server share the machine's cores: phase 2 measures the pair.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Optional

Sample = dict[str, list[float]]  # "click" | "complete" | "configure" -> seconds; "error" -> status


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def read_sales(path: str) -> list[list[tuple[str, str]]]:
    lines = [line.split() for line in Path(path).read_text().splitlines() if line.strip()]
    return [list(zip(lines[0], cells)) for cells in lines[1:]]


class ServiceSession:
    """A session through the service, on one keep-alive connection."""

    def __init__(self, connection: http.client.HTTPConnection, catalog: str) -> None:
        self.connection, self.catalog, self.sid = connection, catalog, ""

    def call(self, method: str, path: str, body: Optional[dict] = None) -> tuple[int, dict]:
        # bytes: http.client then sends headers and body in one write
        data = None if body is None else json.dumps(body).encode()
        self.connection.request(method, path, body=data,
                                headers={"Content-Type": "application/json"})
        answer = self.connection.getresponse()
        return answer.status, json.loads(answer.read() or b"{}")

    def open(self) -> Optional[dict]:
        status, body = self.call("POST", f"/v1/catalogs/{self.catalog}/sessions", {})
        if status != 201:
            return None
        self.sid = body["session"]
        return body["state"]

    def choose(self, name: str, value: Any) -> Optional[dict]:
        status, body = self.call("POST", f"/v1/sessions/{self.sid}/choose",
                                 {"name": name, "value": value})
        return body["state"] if status == 200 and body.get("accepted") else None

    def complete(self) -> bool:
        return self.call("POST", f"/v1/sessions/{self.sid}/complete", {})[0] == 200

    def close(self) -> None:
        self.call("DELETE", f"/v1/sessions/{self.sid}")

    def configure(self, require: list[str]) -> bool:
        return self.call("POST", f"/v1/catalogs/{self.catalog}/configure",
                         {"require": require})[0] == 200


class LibrarySession:
    """The same session through the Python package, in-process."""

    def __init__(self, configurator: Any) -> None:
        self.configurator, self.session = configurator, None

    def state(self) -> dict:
        state = self.session.state()
        return {"domains": {n: list(vs) for n, vs in state.domains.items()},
                "chosen": {str(c).split("=")[0]: None for c in self.session.choices}}

    def open(self) -> dict:
        self.session = self.configurator.session()
        return self.state()

    def choose(self, name: str, value: Any) -> Optional[dict]:
        return self.state() if self.session.choose(name, value).accepted else None

    def complete(self) -> bool:
        self.session.complete()
        return True

    def close(self) -> None:
        self.session = None

    def configure(self, require: list[str]) -> bool:
        self.configurator.configure({"require": require})
        return True


def text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def one_session(session: Any, rng: random.Random, sales: Optional[list], names: list[str],
                max_clicks: int, out: Sample) -> None:
    """Create, clicks, complete, delete, then one configure; times into `out`."""
    state = session.open()
    if state is None:
        out["error"].append(1)
        return
    first_domains = state["domains"]
    car = list(rng.choice(sales)) if sales else None
    if car:
        rng.shuffle(car)
    for _ in range(max_clicks if car is None else len(car)):
        if car is not None:
            name, value = car.pop()
            if name in state["chosen"] or len(state["domains"].get(name, ())) <= 1:
                continue  # already fixed by earlier clicks
        else:
            open_ = [(n, vs) for n, vs in state["domains"].items()
                     if n not in state["chosen"] and len(vs) > 1]
            if not open_:
                break
            name, values = rng.choice(open_)
            value = rng.choice(values)
        start = time.perf_counter()
        state = session.choose(name, value)
        out["click"].append(time.perf_counter() - start)
        if state is None:
            out["error"].append(2)
            break
    start = time.perf_counter()
    if not session.complete():
        out["error"].append(3)
    out["complete"].append(time.perf_counter() - start)
    session.close()
    if sales:
        require = [f"{n} == {v}" for n, v in rng.sample(rng.choice(sales), 3)]
    else:
        named = [(n, first_domains[n]) for n in names if first_domains.get(n)]
        require = [f"{n} == {text(rng.choice(vs))}" for n, vs in rng.sample(named, 2)]
    start = time.perf_counter()
    if not session.configure(require):
        out["error"].append(4)
    out["configure"].append(time.perf_counter() - start)


def empty_sample() -> Sample:
    return {"click": [], "complete": [], "configure": [], "error": []}


def library_phase(path: str, sales_path: Optional[str], names: list[str], seconds: float,
                  max_clicks: int, seed: int) -> Sample:
    """Runs in a process of its own: sessions through the library for `seconds`."""
    import sumisura as s

    configurator = s.Configurator(path)
    configurator.compile()  # as the service does
    sales = read_sales(sales_path) if sales_path else None
    rng, out = random.Random(seed), empty_sample()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        one_session(LibrarySession(configurator), rng, sales, names, max_clicks, out)
    return out


def client_process(port: int, workloads: list[tuple[str, Optional[str]]],
                   names: dict[str, list[str]], threads: int, first_client: int,
                   end_wall: float, max_clicks: int) -> Sample:
    """Runs in a process of its own: `threads` clients, each on its own connection, each
    cycling through the workloads, until the wall-clock time `end_wall`."""
    sales = {cid: read_sales(path) for cid, path in workloads if path}
    total, lock = empty_sample(), threading.Lock()

    def client(k: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        rng, out = random.Random(k), empty_sample()
        turn = k
        while time.time() < end_wall:
            cid, _ = workloads[turn % len(workloads)]
            turn += 1
            one_session(ServiceSession(connection, cid), rng, sales.get(cid), names[cid],
                        max_clicks, out)
        with lock:
            for key, values in out.items():
                total[key].extend(values)

    pool = [threading.Thread(target=client, args=(first_client + t,)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return total


def single_valued(catalog: dict) -> list[str]:
    """Names a specification can require `NAME == VALUE` of: options, slots of one block,
    services (not the product, nor slots that hold several blocks)."""
    return ([o["id"] for o in catalog["options"]]
            + [s["id"] for s in catalog["slots"] if s["max"] == 1]
            + [s["id"] for s in catalog["services"]])


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ms(values: list[float]) -> str:
    return f"{percentile(values, .5) * 1e3:.2f} / {percentile(values, .99) * 1e3:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--catalog", action="append", required=True, help="ID=PATH")
    parser.add_argument("--replay", action="append", default=[], help="ID=SALES")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60, help="phase 2")
    parser.add_argument("--single-seconds", type=float, default=8,
                        help="phase 1, per workload and side")
    parser.add_argument("--max-clicks", type=int, default=8)
    args = parser.parse_args()
    catalogs = dict(c.split("=", 1) for c in args.catalog)
    replays = dict(r.split("=", 1) for r in args.replay)
    workloads = [(cid, replays.get(cid)) for cid in catalogs]

    server = subprocess.Popen(
        [args.cli, "serve", "--port", "0", "--threads", "2", "--queue", str(4 * args.clients),
         *[f"--catalog={c}" for c in args.catalog]], stdout=subprocess.PIPE, text=True)
    port = int(server.stdout.readline().rsplit(":", 1)[1])
    probe = ServiceSession(http.client.HTTPConnection("127.0.0.1", port, timeout=120), "")
    while probe.call("GET", "/v1/ready")[0] != 200:
        time.sleep(0.2)
    spawn = multiprocessing.get_context("spawn")
    names = {cid: single_valued(probe.call("GET", f"/v1/catalogs/{cid}")[1]["catalog"])
             for cid in catalogs}
    try:
        print("| catalog | clicks, library p50 / p99 ms | clicks, service | added at p50 | "
              "configure, library | configure, service | added at p50 |")
        print("|---|---|---|---|---|---|---|")
        for cid, sales in workloads:
            with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
                lib = pool.submit(library_phase, catalogs[cid], sales, names[cid],
                                  args.single_seconds, args.max_clicks, 7).result()
            svc, rng = empty_sample(), random.Random(7)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            end = time.monotonic() + args.single_seconds
            sold = read_sales(sales) if sales else None
            while time.monotonic() < end:
                one_session(ServiceSession(connection, cid), rng, sold, names[cid],
                            args.max_clicks, svc)
            added = percentile(svc["click"], .5) - percentile(lib["click"], .5)
            added_cfg = percentile(svc["configure"], .5) - percentile(lib["configure"], .5)
            print(f"| {cid} | {ms(lib['click'])} ({len(lib['click'])}) | {ms(svc['click'])} "
                  f"({len(svc['click'])}) | {added * 1e3:.2f} | {ms(lib['configure'])} "
                  f"({len(lib['configure'])}) | {ms(svc['configure'])} ({len(svc['configure'])})"
                  f" | {added_cfg * 1e3:.2f} |", flush=True)

        rss = [rss_mib(server.pid)]
        per_process = [args.clients // args.client_processes + (p < args.clients % args.client_processes)
                       for p in range(args.client_processes)]
        started = time.time()
        end_wall = started + args.seconds
        with ProcessPoolExecutor(max_workers=args.client_processes, mp_context=spawn) as pool:
            first = [sum(per_process[:p]) for p in range(args.client_processes)]
            futures = [pool.submit(client_process, port, workloads, names, n, first[p], end_wall,
                                   args.max_clicks) for p, n in enumerate(per_process) if n]
            while time.time() < end_wall:
                time.sleep(1)
                rss.append(rss_mib(server.pid))
            parts = [f.result() for f in futures]
        elapsed = time.time() - started
        rss.append(rss_mib(server.pid))
        total = empty_sample()
        for part in parts:
            for key, values in part.items():
                total[key].extend(values)
        sessions = len(total["complete"])
        requests = len(total["click"]) + 4 * sessions  # create, complete, delete, configure
        warm = rss[min(len(rss) - 1, 10)]
        print()
        print(f"{args.clients} clients ({args.client_processes} processes), {elapsed:.1f} s: "
              f"{requests / elapsed:.0f} requests/s, {sessions} sessions; p50 / p99 ms: clicks "
              f"{ms(total['click'])} ({len(total['click'])}), complete {ms(total['complete'])}, "
              f"configure {ms(total['configure'])}; errors {len(total['error'])}; server RSS "
              f"{rss[0]:.0f} MiB at start, {warm:.0f} after 10 s, {rss[-1]:.0f} at the end "
              f"(max {max(rss):.0f})")
        print("server RSS every 10 s, MiB: " + " ".join(f"{r:.0f}" for r in rss[::10]))
        return 0 if not total["error"] else 1
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
