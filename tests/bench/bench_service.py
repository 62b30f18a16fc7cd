#!/usr/bin/env python3
"""Load test of `sumisura serve` (issue 11; figures in docs/benchmarks.md).

Random sessions (create, click valid values one by one, complete, delete) on each catalog:
1. one client, side by side with the same kind of clicks through the library in-process (the
   Python package): the service's overhead per click at p50;
2. N concurrent clients for a fixed time: throughput, p50/p99 per click and per complete, errors,
   and the server's resident memory at start and end.

  /usr/bin/python3 tests/bench/bench_service.py --cli build/sumisura \
      --catalog shoes=catalogs/shoes.yaml --catalog kitchen=catalogs/kitchen.yaml

The client is Python (threads and http.client keep-alive connections): with many clients on a
small machine it shares the cores with the server, so phase 2 measures the pair.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


class Client:
    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        # bytes: http.client then sends headers and body in one write (no Nagle/delayed-ACK wait)
        data = None if body is None else json.dumps(body).encode()
        self.connection.request(method, path, body=data, headers={"Content-Type": "application/json"})
        answer = self.connection.getresponse()
        return answer.status, json.loads(answer.read() or b"{}")


def open_choice(state: dict, rng: random.Random) -> tuple[str, object] | None:
    """A variable not chosen with more than one valid value, and one of its values."""
    open_ = [(n, vs) for n, vs in state["domains"].items()
             if n not in state["chosen"] and len(vs) > 1]
    if not open_:
        return None
    name, values = rng.choice(open_)
    return name, rng.choice(values)


def service_session(client: Client, catalog: str, rng: random.Random, clicks: list, completes: list,
                    errors: list, max_clicks: int) -> None:
    status, body = client.call("POST", f"/v1/catalogs/{catalog}/sessions", {})
    if status != 201:
        errors.append(status)
        return
    sid, state = body["session"], body["state"]
    for _ in range(max_clicks):
        choice = open_choice(state, rng)
        if choice is None:
            break
        start = time.perf_counter()
        status, body = client.call("POST", f"/v1/sessions/{sid}/choose",
                                   {"name": choice[0], "value": choice[1]})
        clicks.append(time.perf_counter() - start)
        if status != 200 or not body.get("accepted"):
            errors.append(status)
            break
        state = body["state"]
    start = time.perf_counter()
    status, _ = client.call("POST", f"/v1/sessions/{sid}/complete", {})
    completes.append(time.perf_counter() - start)
    if status != 200:
        errors.append(status)
    client.call("DELETE", f"/v1/sessions/{sid}")


def library_clicks(path: str, seconds: float, max_clicks: int) -> list[float]:
    import sumisura as s

    configurator = s.Configurator(path)
    configurator.compile()  # as the service does
    rng = random.Random(7)
    clicks: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        session = configurator.session()
        state = session.state()
        for _ in range(max_clicks):
            domains = {n: list(vs) for n, vs in state.domains.items()}
            chosen = {str(c).split("=")[0] for c in session.choices}
            open_ = [(n, vs) for n, vs in domains.items() if n not in chosen and len(vs) > 1]
            if not open_:
                break
            name, values = rng.choice(open_)
            start = time.perf_counter()
            session.choose(name, rng.choice(values))
            state = session.state()
            clicks.append(time.perf_counter() - start)
    return clicks


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--catalog", action="append", required=True, help="ID=PATH")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-clicks", type=int, default=8)
    args = parser.parse_args()
    catalogs = dict(c.split("=", 1) for c in args.catalog)

    server = subprocess.Popen([args.cli, "serve", "--port", "0", "--queue", "4096",
                               *[f"--catalog={c}" for c in args.catalog]],
                              stdout=subprocess.PIPE, text=True)
    port = int(server.stdout.readline().rsplit(":", 1)[1])
    probe = Client(port)
    while probe.call("GET", "/v1/ready")[0] != 200:
        time.sleep(0.1)
    try:
        print("| catalog | clicks, library p50 / p99 ms | clicks, service p50 / p99 ms | added at p50 ms |")
        print("|---|---|---|---|")
        for cid, path in catalogs.items():
            lib = library_clicks(path, args.seconds / 2, args.max_clicks)
            clicks: list[float] = []
            rng = random.Random(7)
            client = Client(port)
            end = time.monotonic() + args.seconds / 2
            while time.monotonic() < end:
                service_session(client, cid, rng, clicks, [], [], args.max_clicks)
            print(f"| {cid} | {percentile(lib, .5)*1e3:.2f} / {percentile(lib, .99)*1e3:.2f} "
                  f"({len(lib)}) | {percentile(clicks, .5)*1e3:.2f} / {percentile(clicks, .99)*1e3:.2f} "
                  f"({len(clicks)}) | {(percentile(clicks, .5) - percentile(lib, .5))*1e3:.2f} |")

        rss_start = rss_mib(server.pid)
        clicks, completes, errors = [], [], []
        end = time.monotonic() + args.seconds

        def worker(k: int) -> None:
            client = Client(port)
            rng = random.Random(k)
            ids = list(catalogs)
            while time.monotonic() < end:
                service_session(client, ids[k % len(ids)], rng, clicks, completes, errors,
                                args.max_clicks)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        requests = len(clicks) + 3 * len(completes)  # create, complete, delete per session
        print()
        print(f"{args.clients} clients, {elapsed:.1f} s: {requests / elapsed:.0f} requests/s, "
              f"clicks p50 {percentile(clicks, .5)*1e3:.2f} ms p99 {percentile(clicks, .99)*1e3:.2f} ms, "
              f"complete p50 {percentile(completes, .5)*1e3:.2f} ms p99 {percentile(completes, .99)*1e3:.2f} ms, "
              f"errors {len(errors)}, server RSS {rss_start:.0f} -> {rss_mib(server.pid):.0f} MiB")
        return 0 if not errors else 1
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
