#!/usr/bin/env python3
"""Memory held by the service's live sessions: starts `sumisura serve` on a free port with one
catalog and a --session-memory budget, opens sessions one after the other, and prints after each
the bytes charged to live sessions (`sumisura_session_bytes`), the live and dropped sessions, and
the process's resident memory (docs/benchmarks.md, issue 16).

    python3 tests/bench/session_memory.py --cli build/sumisura \\
        --catalog ../shared/benchmarks/cnf/linux-2.6.33.3.dimacs --budget 40000000 --sessions 8
"""
from __future__ import annotations

import argparse
import json
import subprocess
import time
import urllib.request


def metrics(base: str) -> dict[str, float]:
    text = urllib.request.urlopen(base + "/v1/metrics").read().decode()
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#") and "{" not in line:
            name, value = line.split()
            out[name] = float(value)
    return out


def resident_mb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", default="build/sumisura")
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--budget", type=int, default=0, help="--session-memory (0: default)")
    parser.add_argument("--sessions", type=int, default=8)
    args = parser.parse_args()
    argv = [args.cli, "serve", "--port", "0", "--catalog", f"c={args.catalog}",
            "--time-limit", "300"]
    if args.budget:
        argv += ["--session-memory", str(args.budget)]
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        base = server.stdout.readline().split()[-1]
        while True:
            try:
                urllib.request.urlopen(base + "/v1/ready")
                break
            except Exception:
                time.sleep(0.2)
        print(f"ready: {resident_mb(server.pid)} MB resident")
        for i in range(args.sessions):
            request = urllib.request.Request(base + "/v1/catalogs/c/sessions", data=b"{}",
                                             headers={"Content-Type": "application/json"})
            json.loads(urllib.request.urlopen(request, timeout=300).read())
            m = metrics(base)
            print(f"session {i + 1}: charged {m['sumisura_session_bytes'] / 1e6:.1f} MB, "
                  f"live {m['sumisura_live_sessions']:.0f}, "
                  f"dropped {m['sumisura_dropped_sessions_total']:.0f}, "
                  f"resident {resident_mb(server.pid)} MB")
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
