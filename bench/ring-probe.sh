#!/usr/bin/env bash
# ring-probe.sh: whether reading a TPACKET_V3 ring of its own would make the capture thread
# cheaper (issue 20, part 1). Under steady.sh's flood (64-byte UDP datagrams at 60 Mbit/s over a
# veth), one after the other: podhogs (`-t -d 5 DEV`), its capture threads' CPU a frame; then
# bench/ring-probe/RingProbe.java (a ring on the same veth, blocks copied once, podhogs's parser
# and flow table on each frame, reads paced the same way), its thread's CPU a frame. ROUNDS times.
#
# Run as root from the project root:  bash bench/ring-probe.sh [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$here"
rounds=${1:-2}
[ "$(id -u)" = 0 ] || { echo "ring-probe: run as root (both capture)" >&2; exit 2; }
command -v javac >/dev/null || { echo "ring-probe: javac is missing: apt-get install -y openjdk-17-jdk-headless" >&2; exit 2; }
timeout 900 ./podhogs --version >/dev/null   # builds on first use (target/classes too)

ns=phring; a=phrg0; b=phrg1
work=$(mktemp -d -t podhogs-ring-probe.XXXXXX)
pids=
cleanup() {
  for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
  ip link del $a 2>/dev/null || true
  ip netns del $ns 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cleanup; mkdir -p "$work"
app=target/quarkus-app
cp="target/classes:$(echo $app/lib/main/net.java.dev.jna.jna-*.jar):$(echo $app/lib/boot/org.jboss.logging.jboss-logging-*.jar)"
javac -nowarn --release 17 -cp "$cp" -d "$work" bench/ring-probe/RingProbe.java

ip netns add $ns; ip link add $a type veth peer name $b; ip link set $b netns $ns
ip addr add 10.213.97.1/24 dev $a; ip link set $a up
ip netns exec $ns ip addr add 10.213.97.2/24 dev $b; ip netns exec $ns ip link set $b up
ip netns exec $ns iperf3 -s -p 5397 >/dev/null 2>&1 & pids="$pids $!"
sleep 1

flood() { iperf3 -c 10.213.97.2 -p 5397 -u -l 64 -b 60M -t "$1" >/dev/null 2>&1 & pids="$pids $!"; }
frames() { cat /sys/class/net/$a/statistics/tx_packets; }
capture_ticks() {
  local t s=0
  for t in /proc/"$1"/task/*; do
    case $(cat "$t/comm") in podhogs-capture*) s=$((s + $(awk '{print $14 + $15}' "$t/stat"))) ;; esac
  done
  echo $s
}

hz=$(getconf CLK_TCK)
mac=$(cat /sys/class/net/$a/address)
for round in $(seq 1 "$rounds"); do
  bash -c "exec ./podhogs -t -d 5 $a" >/dev/null 2>&1 & m=$!; pids="$pids $m"
  sleep 6; flood 50; sleep 15
  t1=$(capture_ticks $m); f1=$(frames); sleep 30; t2=$(capture_ticks $m); f2=$(frames)
  # TERM, not INT: a job started with & ignores SIGINT, and the JVM keeps it ignored.
  kill -TERM $m; wait $m || true
  [ $((f2 - f1)) -gt 0 ] || { echo "ring-probe: the flood sent nothing" >&2; exit 1; }
  awk -v r="$round" -v t=$((t2 - t1)) -v f=$((f2 - f1)) -v hz="$hz" \
    'BEGIN { printf "round %d: podhogs capture threads: %.3f us a frame (%d frames sent in 30 s)\n", r, t * 1e6 / hz / f, f }'
  sleep 5
  java -XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1 -cp "$work:$cp" RingProbe $a "$mac" 45 > "$work/probe.out" 2>&1 & p=$!
  pids="$pids $p"
  sleep 1; flood 46
  wait $p || { cat "$work/probe.out" >&2; exit 1; }
  echo "round $round: $(cat "$work/probe.out")"
  sleep 5
done
