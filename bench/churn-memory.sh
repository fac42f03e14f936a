#!/usr/bin/env bash
# churn-memory.sh: whether interfaces that come and go leave memory behind (issue 20, part 2: the
# RSS steps idle-hour.sh saw while .ci/run made and removed hundreds of interfaces). The command
# line (`./podhogs -t -d 5`, every interface) and the agent (`./podhogs agent`, Kubernetes off) run
# side by side; after a minute, CYCLES times: 50 network namespaces, each with a veth pair (an
# address on each end, both up), kept 3 s, then removed, 4 s of quiet. Then QUIET_MIN minutes
# with nothing made. At the start, after the churn and each quiet minute: each monitor's live heap
# (after a full collection, jcmd GC.run) and RSS. The live heap must come back to where it started
# once the flows of the gone interfaces have been released (30 s) and their names folded (the
# retention, 5 minutes); what RSS keeps is committed heap and compiled code.
#
# Run as root from the project root:  bash bench/churn-memory.sh [CYCLES [QUIET_MIN]]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$here"
cycles=${1:-10}; quiet=${2:-7}
[ "$(id -u)" = 0 ] || { echo "churn-memory: run as root (the monitors capture)" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "churn-memory: jcmd is missing: apt-get install -y openjdk-17-jdk-headless" >&2; exit 2; }
timeout 900 ./podhogs --version >/dev/null   # builds on first use
# shellcheck source=bench/agent-ready.sh
. "$here/bench/agent-ready.sh"

work=$(mktemp -d -t podhogs-churn.XXXXXX)
cli=; agent=
remove_links() {
  local i
  for i in $(seq 1 50); do
    ip link del "phcm$i" 2>/dev/null || true
    ip netns del "phcm$i" 2>/dev/null || true
  done
}
cleanup() {
  for p in $cli $agent; do kill -KILL "$p" 2>/dev/null || true; done
  remove_links
  rm -rf "$work"
}
trap cleanup EXIT
remove_links

bash -c "exec ./podhogs -t -d 5" >/dev/null 2>"$work/cli.log" & cli=$!
PODHOGS_HISTORY_FILE="$work/history.db" PODHOGS_KUBERNETES_MODE=off \
  QUARKUS_MANAGEMENT_PORT=19822 QUARKUS_HTTP_PORT=19823 ./podhogs agent >"$work/agent.log" 2>&1 & agent=$!
agent_ready 19822 "$agent" "$work/agent.log"

churn() {
  local i
  for i in $(seq 1 50); do
    ip netns add "phcm$i"
    ip link add "phcm$i" type veth peer name phcmp
    ip link set phcmp netns "phcm$i"
    ip addr add "10.214.$i.1/30" dev "phcm$i"; ip link set "phcm$i" up
    ip netns exec "phcm$i" ip addr add "10.214.$i.2/30" dev phcmp
    ip netns exec "phcm$i" ip link set phcmp up
  done
  sleep 3
  remove_links
  sleep 4
}

# One row: the live heap after a full collection and the RSS, MiB, of each monitor.
row() {
  local out="| $1 |" p kib
  for p in $cli $agent; do
    kill -0 "$p" 2>/dev/null || { echo "churn-memory: a monitor ended" >&2; cat "$work"/*.log >&2; exit 1; }
    jcmd "$p" GC.run >/dev/null
    sleep 1
    # The serial collector's "used NNNK" of each generation (the launchers run it).
    kib=$(jcmd "$p" GC.heap_info | awk '/def new generation|tenured generation/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub("K.*", "", v); s += v; n++ } } END { if (n) print s }')
    [ -n "$kib" ] || { echo "churn-memory: no serial collector's heap in jcmd GC.heap_info" >&2; exit 1; }
    out="$out $(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }') | $(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$p/status") |"
  done
  echo "$out"
}

sleep 60
echo "| when | CLI live heap, MiB | CLI RSS, MiB | agent live heap, MiB | agent RSS, MiB |"
echo "|---|---|---|---|---|"
row start
for _ in $(seq 1 "$cycles"); do churn; done
row "after $cycles cycles ($((cycles * 50)) veths)"
for m in $(seq 1 "$quiet"); do
  sleep 60
  row "quiet, minute $m"
done
