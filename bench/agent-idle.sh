#!/usr/bin/env bash
# agent-idle: what the agent costs on a quiet node, with its history recording (on by default) and
# without it, in turn: CPU (% of one core) over a window after a warm-up, RSS at the window's end,
# and the history file's size. Issue 17 asks that the default recording fit issue 20's idle and
# memory targets (at most 0.5% of a core, 128 MiB); this shows what the recording adds to each.
#
# The agent runs as `./podhogs agent` runs it (the launcher's JVM options: C1, the serial collector,
# 256 MiB heap), Kubernetes off, Docker's engine on if it runs, every interface, its own ports
# (19810 management, 19811 API) and a fresh history file each run. Runs alternate (off, on, off,
# on ...) so that a drift of the machine falls on both. About 4 minutes with the defaults.
#
# Run as root from anywhere:  bash bench/agent-idle.sh [ROUNDS [WARMUP_S [WINDOW_S]]]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$here"
rounds=${1:-2}; warmup=${2:-15}; window=${3:-60}

[ "$(id -u)" = 0 ] || { echo "agent-idle: run as root (the agent captures)" >&2; exit 2; }
timeout 900 ./podhogs --version >/dev/null   # builds on first use
# shellcheck source=bench/agent-ready.sh
. "$here/bench/agent-ready.sh"

work=$(mktemp -d -t podhogs-agent-idle.XXXXXX)
agent=
cleanup() { [ -n "$agent" ] && kill -KILL "$agent" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# One run; prints "cpu_percent rss_mib file_bytes".
run() {
  local history=$1 file="$work/history-$RANDOM.db"
  PODHOGS_HISTORY_ENABLED=$history PODHOGS_HISTORY_FILE=$file PODHOGS_KUBERNETES_MODE=off \
    QUARKUS_MANAGEMENT_PORT=19810 QUARKUS_HTTP_PORT=19811 ./podhogs agent >"$work/agent.log" 2>&1 &
  agent=$!
  agent_ready 19810 "$agent" "$work/agent.log"
  sleep "$warmup"
  local t1 t2 rss bytes f
  t1=$(ticks "$agent"); sleep "$window"; t2=$(ticks "$agent")
  rss=$(awk '/VmRSS/{print $2}' "/proc/$agent/status")
  bytes=0; for f in "$file" "$file-wal"; do [ -f "$f" ] && bytes=$((bytes + $(stat -c %s "$f"))); done
  kill -TERM "$agent"; wait "$agent" || true; agent=
  awk -v t=$((t2 - t1)) -v hz="$hz" -v w="$window" -v r="$rss" -v b="$bytes" \
    'BEGIN{printf "%.2f %.1f %d\n", t * 100 / hz / w, r / 1024, b}'
}

echo "| round | history | CPU (% of a core, ${window} s after ${warmup} s) | RSS (MiB) | file + WAL (bytes) |"
echo "|---|---|---|---|---|"
for r in $(seq "$rounds"); do
  for h in false true; do
    read -r cpu rss bytes < <(run "$h")
    label=$([ "$h" = true ] && echo on || echo off)
    echo "| $r | $label | $cpu | $rss | $([ "$h" = true ] && echo "$bytes" || echo -) |"
  done
done
