#!/usr/bin/env bash
# first-block: how soon a trace run shows its first block, podhogs and nethogs in turn (issue 20:
# at most 0.5 s after the first refresh interval). Each tool runs `-t -d 1 -c 2` on loopback
# (nethogs needs -a for it) ROUNDS times; printed: the median time from the start to the first
# "Refreshing:" line and to the run's end.
#
# Run as root from anywhere:  bash bench/first-block.sh [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$here"
rounds=${1:-5}
[ "$(id -u)" = 0 ] || { echo "first-block: run as root (both tools capture)" >&2; exit 2; }
timeout 900 ./podhogs --version >/dev/null   # builds on first use

python3 - "$rounds" <<'PY'
import statistics, subprocess, sys, time

def run(command):
    start = time.monotonic()
    p = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first = None
    for line in p.stdout:
        if first is None and line.startswith("Refreshing:"):
            first = time.monotonic() - start
    p.wait()
    return first, time.monotonic() - start

rounds = int(sys.argv[1])
print("| tool | first block, s (median) | whole run, s (median) |")
print("|---|---|---|")
for name, command in (("podhogs", ["./podhogs", "-t", "-d", "1", "-c", "2", "lo"]),
                      ("nethogs 0.8.7", ["nethogs", "-a", "-t", "-d", "1", "-c", "2", "lo"])):
    results = [run(command) for _ in range(rounds)]
    firsts = [f for f, _ in results if f is not None]
    if not firsts:
        print(f"| {name} | no block | |")
        continue
    print(f"| {name} | {statistics.median(firsts):.2f} | {statistics.median(w for _, w in results):.2f} |")
PY
