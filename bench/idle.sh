#!/usr/bin/env bash
# idle.sh: what a monitor costs on a host with nothing, then next to nothing, to count (issue 20,
# part 2). Each monitor in turn (`./podhogs -t -d 1` as the launcher runs it, then `nethogs -t -d 1`)
# on a host with a veth of its own whose two ends say nothing by themselves (IPv6 off, static
# neighbours):
#   - quiet: CPU over WINDOW_S after WARMUP_S, no packet at all, per thread (from
#     /proc/PID/task/TID/schedstat: nanoseconds, where /proc/PID/stat counts 10 ms ticks);
#   - lone packets: one UDP datagram from the namespace every GAP_S seconds (it and the ICMP
#     answer to it are what an idle host sees from time to time: a router solicitation, an ARP
#     probe, an NTP poll), for WINDOW_S; the CPU above the quiet rate, per datagram.
# steady.sh's idle figure is the quiet one, but on a veth that a flood just used and whose IPv6
# sends router solicitations (every 4, 8, 16 ... s): lone packets, which this separates.
#
# Run as root from the project root:  bash bench/idle.sh [WARMUP_S [WINDOW_S [GAP_S]]]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$here"
warmup=${1:-15}; window=${2:-30}; gap=${3:-5}
[ "$(id -u)" = 0 ] || { echo "idle: run as root (the monitors capture)" >&2; exit 2; }
command -v nethogs >/dev/null || { echo "idle: nethogs is not installed: apt-get install -y nethogs" >&2; exit 2; }
timeout 900 ./podhogs --version >/dev/null   # builds on first use

# shellcheck source=bench/quiet-veth.sh
. "$here/bench/quiet-veth.sh"
ns=phidle; a=phid0; b=phid1
mon=
cleanup() {
  if [ -n "$mon" ]; then kill -KILL "$mon" 2>/dev/null || true; fi
  quiet_veth_remove $ns $a
}
trap cleanup EXIT
cleanup
quiet_veth $ns $a $b 10.213.95

# The monitor's process (the launcher execs java; nethogs is itself).
proc_of() { local p=$1 c; c=$(pgrep -P "$p" | head -1); echo "${c:-$p}"; }
# "tid name nanoseconds" for every thread of $1 (names with spaces joined by '_').
threads() {
  local t
  for t in /proc/$1/task/*; do
    echo "${t##*/} $(tr ' ' _ < "$t/comm" 2>/dev/null) $(awk '{print $1}' "$t/schedstat" 2>/dev/null)"
  done
}
# CPU between two snapshots ($1 before, $2 after), by thread name, in ns: a thread in both counts
# its difference, one that started in between all of its time (one that ended is lost with it).
spent() {
  awk 'NR == FNR {before[$1] = $3; next} {name[$2] += $3 - (($1 in before) ? before[$1] : 0)}
       END {for (n in name) print n, name[n]}' <(echo "$1") <(echo "$2")
}

# Prints one table row for the monitor command $1 (its name $2).
measure() {
  local cmd=$1 name=$2 p i s0 s1 s2
  bash -c "exec $cmd" >/dev/null 2>&1 & mon=$!
  sleep "$warmup"
  p=$(proc_of "$mon")
  s0=$(threads "$p")
  sleep "$window"
  s1=$(threads "$p")
  local sends=$((window / gap))
  for ((i = 0; i < sends; i++)); do
    ip netns exec $ns python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'idle', ('10.213.95.1', 9))"
    sleep "$gap"
  done
  s2=$(threads "$p")
  kill -TERM "$mon" 2>/dev/null || true; sleep 2; kill -KILL "$mon" 2>/dev/null || true; wait "$mon" 2>/dev/null || true; mon=
  local quiet lone top
  quiet=$(spent "$s0" "$s1" | awk '{s += $2} END {print s + 0}')
  lone=$(spent "$s1" "$s2" | awk '{s += $2} END {print s + 0}')
  top=$(spent "$s0" "$s1" | awk -v w="$window" '{d = $2 / w / 1e7; if (d >= 0.005) printf "%s %.3f\n", $1, d}' \
    | sort -k2 -rn | head -4 | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}')
  awk -v n="$name" -v q="$quiet" -v l="$lone" -v w="$window" -v s="$sends" -v g="$gap" -v top="$top" 'BEGIN {
    per = (l - q / w * s * g) / s / 1e6
    printf "| %s | %.3f | %s | %.1f | %.3f |\n", n, q / w / 1e7, top, per, l / (s * g) / 1e7 }'
}

echo "| monitor | quiet, % of a core | busiest threads, % | CPU a lone datagram, ms | with one every ${gap} s, % |"
echo "|---|---|---|---|---|"
measure "./podhogs -t -d 1" podhogs
measure "nethogs -t -d 1" "nethogs 0.8.7"
