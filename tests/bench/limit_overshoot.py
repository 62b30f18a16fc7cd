#!/usr/bin/env python3
"""How far past --time-limit each command runs, on every shared model.

For every model under ../shared/benchmarks (cnf, uvl, csp) and every command that takes a time
limit, runs `sumisura COMMAND MODEL --time-limit L` and measures the wall-clock time of the whole
process (reading, compiling, solving, writing the answer). The overshoot is the time past the
limit; the target (issue 16) is under 10% of the limit or 50 ms, whichever is larger.

  python3 tests/bench/limit_overshoot.py --cli build/sumisura --limit 0.5 [--runs 3] [--markdown]
"""
import argparse
import glob
import os
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "configure": ["configure"],
    "domains": ["domains", "--json"],
    "count": ["count"],
    "analyze": ["analyze"],
    "sample": ["sample", "-n", "10"],
    "compile": ["compile", "-o", os.devnull],
    "session": ["session"],
}


def models(shared):
    found = []
    for pattern in ("cnf/*.dimacs", "uvl/*.uvl", "csp/*.xml"):
        found += sorted(glob.glob(os.path.join(shared, "benchmarks", pattern)))
    return found


def run_once(cli, command, model, limit):
    argv = [cli] + COMMANDS[command][:1] + [model] + COMMANDS[command][1:]
    argv += ["--time-limit", str(limit)]
    stdin = b'{"op":"state"}\n' if command == "session" else None
    start = time.perf_counter()
    done = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=600)
    wall = time.perf_counter() - start
    out = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    return wall, done.returncode, out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default=os.path.join(here, "..", "..", "build", "sumisura"))
    parser.add_argument("--shared", default=os.path.join(here, "..", "..", "..", "shared"))
    parser.add_argument("--limit", type=float, default=0.5)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--commands", default=",".join(COMMANDS))
    parser.add_argument("--models", default="", help="substring filter on model paths")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "benchmarks")):
        print("skipped: ../shared/benchmarks is absent", file=sys.stderr)
        return 0
    allowed = max(0.1 * args.limit, 0.05)
    worst = 0.0
    failures = 0
    rows = []
    for model in models(args.shared):
        if args.models and args.models not in model:
            continue
        name = os.path.relpath(model, os.path.join(args.shared, "benchmarks"))
        for command in args.commands.split(","):
            walls = []
            code = 0
            for _ in range(args.runs):
                wall, code, out = run_once(args.cli, command, model, args.limit)
                walls.append(wall)
            wall = statistics.median(walls)
            over = max(0.0, wall - args.limit)
            worst = max(worst, over)
            ok = over <= allowed
            failures += not ok
            rows.append((name, command, wall, over, code, ok))
            if not args.markdown:
                print(f"{name:40s} {command:10s} {wall:7.3f} s  past {over * 1000:7.0f} ms  "
                      f"exit {code}  {'ok' if ok else 'OVER'}", flush=True)
    if args.markdown:
        print(f"| model | command | wall s | past the limit, ms | exit |")
        print("|---|---|---:|---:|---:|")
        for name, command, wall, over, code, ok in rows:
            mark = "" if ok else " **over**"
            print(f"| {name} | {command} | {wall:.3f} | {over * 1000:.0f}{mark} | {code} |")
    print(f"limit {args.limit} s, allowed {allowed * 1000:.0f} ms past it: worst {worst * 1000:.0f} ms, "
          f"{failures} of {len(rows)} over", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
