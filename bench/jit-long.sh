#!/usr/bin/env bash
# jit-long.sh: the launcher's JIT choice over a long run (issue 20, part 7). Two podhogs monitors
# capture the same veth side by side for DURATION seconds, one as the launcher runs it (C1 only,
# -XX:TieredStopAtLevel=1) and one with the full tiered compiler (C1 then C2), while the veth
# carries a steady mix: UDP 64-byte datagrams at 20 Mbit/s (~39,000 frames/s) and a TCP stream at
# 100 Mbit/s. Every INTERVAL seconds it prints, for each, the CPU per frame over the interval and
# the RSS; at the end, the CPU per frame over the whole run and over its second half, and what the
# JIT compiled (code cache, compile time). Side by side, so that both see the same machine.
#
# Run from the project root as root:  bash bench/jit-long.sh [DURATION_S [INTERVAL_S]]
# (default 7200 s, 300 s). Needs iperf3.
set -u
duration=${1:-7200}; interval=${2:-300}
ns=bjit; a=bjit0; b=bjit1
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null; done
  sleep 2
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  ip link del $a 2>/dev/null; ip netns del $ns 2>/dev/null
}
trap cleanup EXIT
cleanup
ip netns add $ns; ip link add $a type veth peer name $b; ip link set $b netns $ns
ip addr add 10.213.92.1/24 dev $a; ip link set $a up
ip netns exec $ns ip addr add 10.213.92.2/24 dev $b; ip netns exec $ns ip link set $b up
ip netns exec $ns ip link set lo up

timeout 900 ./podhogs --version >/dev/null   # builds on first use
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
rss() { awk '/VmRSS/{print int($2/1024)}' "/proc/$1/status"; }
frames() { echo $(( $(cat /sys/class/net/$a/statistics/tx_packets) + $(cat /sys/class/net/$a/statistics/rx_packets) )); }
hz=$(getconf CLK_TCK)

ip netns exec $ns iperf3 -s -p 5401 >/dev/null 2>&1 & pids+=($!)
ip netns exec $ns iperf3 -s -p 5402 >/dev/null 2>&1 & pids+=($!)
sleep 1
# The JVM's counters (hsperfdata), which the launcher turns off, for the compile time below.
PODHOGS_JAVA_OPTS="-XX:+UsePerfData" bash -c "exec ./podhogs -t -d 5 $a" >/dev/null 2>&1 & c1=$!; pids+=($c1)
PODHOGS_JAVA_OPTS="-XX:+UsePerfData -XX:TieredStopAtLevel=4" bash -c "exec ./podhogs -t -d 5 $a" >/dev/null 2>&1 & c2=$!; pids+=($c2)
sleep 5
iperf3 -c 10.213.92.2 -p 5401 -u -l 64 -b 20M -t "$((duration + 30))" >/dev/null 2>&1 & pids+=($!)
iperf3 -c 10.213.92.2 -p 5402 -b 100M -t "$((duration + 30))" >/dev/null 2>&1 & pids+=($!)
sleep 10

per_frame() { awk -v t="$1" -v f="$2" -v hz="$hz" 'BEGIN{printf "%.3f", (f > 0 ? t * 1e6 / hz / f : 0)}'; }
printf "%8s %10s %14s %8s %14s %8s\n" "minute" "frames/s" "C1 us/frame" "C1 MiB" "C2 us/frame" "C2 MiB"
f0=$(frames); a0=$(ticks $c1); b0=$(ticks $c2); start=$SECONDS
fh=$f0; ah=$a0; bh=$b0; half=$((duration / 2))
f=$f0; x=$a0; y=$b0
while [ $((SECONDS - start)) -lt "$duration" ]; do
  sleep "$interval"
  kill -0 $c1 2>/dev/null && kill -0 $c2 2>/dev/null || { echo "jit-long: a monitor ended" >&2; exit 1; }
  f2=$(frames); x2=$(ticks $c1); y2=$(ticks $c2)
  printf "%8d %10d %14s %8s %14s %8s\n" $(((SECONDS - start) / 60)) $(((f2 - f) / interval)) \
    "$(per_frame $((x2 - x)) $((f2 - f)))" "$(rss $c1)" "$(per_frame $((y2 - y)) $((f2 - f)))" "$(rss $c2)"
  f=$f2; x=$x2; y=$y2
  if [ $((SECONDS - start)) -le "$half" ]; then fh=$f; ah=$x; bh=$y; fi
done
echo "whole run:   C1 $(per_frame $((x - a0)) $((f - f0))) us/frame, C2 $(per_frame $((y - b0)) $((f - f0))) us/frame"
echo "second half: C1 $(per_frame $((x - ah)) $((f - fh))) us/frame, C2 $(per_frame $((y - bh)) $((f - fh))) us/frame"
for m in "C1 $c1" "C2 $c2"; do
  set -- $m
  echo "$1: RSS $(rss "$2") MiB; code cache $(jcmd "$2" Compiler.codecache 2>/dev/null | awk -F'used=' '/used=/{split($2, u, "Kb"); s += u[1]} END{printf "%d KiB", s}'); $(jcmd "$2" PerfCounter.print 2>/dev/null | awk -F= '/^java.ci.totalTime=/{t=$2} /^sun.os.hrt.frequency=/{hz=$2} /^sun.ci.standardCompiles=/{n=$2} END{if (hz) printf "%d compilations, %.1f s compiling", n, t/hz}')"
done
