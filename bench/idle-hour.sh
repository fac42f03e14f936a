#!/usr/bin/env bash
# idle-hour.sh: whether a monitor left alone with nothing to count grows (issue 20, part 2: "no
# growth over an hour with no traffic"). The command line (`./podhogs -t -d 1 DEV`) and the agent
# (`./podhogs agent`, Kubernetes off, its history recording on as by default, a fresh file) run
# side by side for DURATION_S on a veth of their own whose ends say nothing (IPv6 off, static
# neighbours), each sampled every SAMPLE_S: CPU from /proc/PID/stat (threads that ended included), RSS
# and, for the agent, its history file. Prints one row a SLICE_S: CPU in that slice (% of a core)
# and RSS at its end, then the first slice against the last.
#
# Both name the veth rather than capturing every interface, so that whatever else runs on the
# machine during the hour (tests, benchmarks with their own links and traffic) does not reach
# them; idle.sh measures the every-interface case over a minute.
#
# Run as root from the project root:  bash bench/idle-hour.sh [DURATION_S [SAMPLE_S [SLICE_S]]]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$here"
duration=${1:-3600}; sample=${2:-60}; slice=${3:-600}
[ "$(id -u)" = 0 ] || { echo "idle-hour: run as root (the monitors capture)" >&2; exit 2; }
timeout 900 ./podhogs --version >/dev/null   # builds on first use

# shellcheck source=bench/quiet-veth.sh
. "$here/bench/quiet-veth.sh"
# shellcheck source=bench/agent-ready.sh
. "$here/bench/agent-ready.sh"
ns=phhour; a=phho0; b=phho1
work=$(mktemp -d -t podhogs-idle-hour.XXXXXX)
cli=; agent=
cleanup() {
  for p in $cli $agent; do kill -KILL "$p" 2>/dev/null || true; done
  quiet_veth_remove $ns $a
  rm -rf "$work"
}
trap cleanup EXIT
cleanup; mkdir -p "$work"
quiet_veth $ns $a $b 10.213.96

bash -c "exec ./podhogs -t -d 1 $a" >/dev/null 2>"$work/cli.log" & cli=$!
PODHOGS_INTERFACES=$a PODHOGS_HISTORY_FILE="$work/history.db" PODHOGS_KUBERNETES_MODE=off \
  QUARKUS_MANAGEMENT_PORT=19820 QUARKUS_HTTP_PORT=19821 ./podhogs agent >"$work/agent.log" 2>&1 & agent=$!
agent_ready 19820 "$agent" "$work/agent.log"
kill -0 "$cli" 2>/dev/null || { cat "$work/cli.log" >&2; exit 1; }

hz=$(getconf CLK_TCK)
cpu_ns() { awk -v hz="$hz" '{printf "%.0f\n", ($14 + $15) * 1e9 / hz}' /proc/"$1"/stat; }  # %d is 32-bit in mawk
rss_kib() { awk '/VmRSS/{print $2}' /proc/"$1"/status; }
file_bytes() { local f s=0; for f in "$work/history.db" "$work/history.db-wal"; do [ -f "$f" ] && s=$((s + $(stat -c %s "$f"))); done; echo $s; }

# samples: seconds cli_ns cli_kib agent_ns agent_kib history_bytes
start=$(date +%s)
for ((t = 0; t <= duration; t += sample)); do
  while [ $(($(date +%s) - start)) -lt "$t" ]; do sleep 1; done
  for p in $cli $agent; do kill -0 "$p" 2>/dev/null || { echo "idle-hour: a monitor ended at ${t} s" >&2; cat "$work"/*.log >&2; exit 1; }; done
  echo "$t $(cpu_ns "$cli") $(rss_kib "$cli") $(cpu_ns "$agent") $(rss_kib "$agent") $(file_bytes)"
done >"$work/samples"

awk -v slice="$slice" '
  { t[NR] = $1; cc[NR] = $2; cr[NR] = $3; ac[NR] = $4; ar[NR] = $5; hb[NR] = $6; n = NR }
  END {
    print "| minutes | CLI CPU, % | CLI RSS, MiB | agent CPU, % | agent RSS, MiB | history file + WAL, bytes |"
    print "|---|---|---|---|---|---|"
    from = 1
    for (i = 2; i <= n; i++) {
      if (t[i] - t[from] >= slice || i == n) {
        w = t[i] - t[from]
        printf "| %d-%d | %.3f | %.1f | %.3f | %.1f | %d |\n", t[from] / 60, t[i] / 60,
          (cc[i] - cc[from]) / w / 1e7, cr[i] / 1024, (ac[i] - ac[from]) / w / 1e7, ar[i] / 1024, hb[i]
        if (first == "") { first = sprintf("CLI %.3f%% %.1f MiB, agent %.3f%% %.1f MiB", (cc[i] - cc[from]) / w / 1e7, cr[i] / 1024, (ac[i] - ac[from]) / w / 1e7, ar[i] / 1024) }
        last = sprintf("CLI %.3f%% %.1f MiB, agent %.3f%% %.1f MiB", (cc[i] - cc[from]) / w / 1e7, cr[i] / 1024, (ac[i] - ac[from]) / w / 1e7, ar[i] / 1024)
        from = i
      }
    }
    printf "first slice: %s\nlast slice:  %s\n", first, last
    printf "RSS from the first sample to the last: CLI %+.1f MiB, agent %+.1f MiB\n", (cr[n] - cr[1]) / 1024, (ar[n] - ar[1]) / 1024
  }' "$work/samples"
