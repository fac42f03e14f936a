#!/usr/bin/env bash
# packet-path-ab.sh: the packet path's CPU a frame of this checkout beside another commit's, both
# capturing the same UDP flood at the same time (steady.sh's flood: 64-byte datagrams at 60 Mbit/s
# over a veth), so that the machine's drift between runs falls on both alike. steady.sh's figure
# moves by a fifth from run to run here; two monitors side by side in one run do not.
#
# The other commit is checked out into a temporary worktree and built there (its launcher builds
# on first use). Each round: both monitors start, 15 s of flood to warm up, 30 s measured (each
# process's CPU from /proc, divided by the frames the veth carried). Run from the project root as
# root:  bash bench/packet-path-ab.sh [COMMIT [ROUNDS]]   (default HEAD~1, 3 rounds)
set -u
ref=${1:-HEAD~1}; rounds=${2:-3}
ns=babperf; a=bab0; b=bab1
here=$(pwd)
old=$(mktemp -d -t podhogs-ab.XXXXXX)
cleanup() {
  ip link del $a 2>/dev/null; ip netns del $ns 2>/dev/null
  git -C "$here" worktree remove --force "$old" 2>/dev/null; rm -rf "$old"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] || { echo "packet-path-ab: run as root (the monitors capture)" >&2; exit 2; }
git -C "$here" worktree add --detach -q "$old" "$ref" || exit 1
timeout 900 ./podhogs --version >/dev/null || exit 1
(cd "$old" && timeout 900 ./podhogs --version >/dev/null) || exit 1

ip netns add $ns; ip link add $a type veth peer name $b; ip link set $b netns $ns
ip addr add 10.213.92.1/24 dev $a; ip link set $a up
ip netns exec $ns ip addr add 10.213.92.2/24 dev $b; ip netns exec $ns ip link set $b up
ip netns exec $ns ip link set lo up

ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
echo "| round | frames/s | this checkout (us/frame) | $(git -C "$old" rev-parse --short HEAD) (us/frame) |"
echo "|---|---|---|---|"
for r in $(seq "$rounds"); do
  ip netns exec $ns iperf3 -s -p 5401 >/dev/null 2>&1 & srv=$!
  bash -c "exec ./podhogs -t -d 5 $a" >/dev/null 2>&1 & new=$!
  (cd "$old" && exec ./podhogs -t -d 5 $a) >/dev/null 2>&1 & was=$!
  sleep 6
  iperf3 -c 10.213.92.2 -p 5401 -u -l 64 -b 60M -t 50 >/dev/null 2>&1 & c=$!
  sleep 15
  f1=$(cat /sys/class/net/$a/statistics/tx_packets); n1=$(ticks $new); o1=$(ticks $was)
  sleep 30
  f2=$(cat /sys/class/net/$a/statistics/tx_packets); n2=$(ticks $new); o2=$(ticks $was)
  kill $c 2>/dev/null; wait $c 2>/dev/null
  kill -INT $new $was 2>/dev/null; sleep 2; kill -KILL $new $was 2>/dev/null; wait $new $was 2>/dev/null
  kill $srv 2>/dev/null; wait $srv 2>/dev/null
  awk -v r="$r" -v f=$((f2 - f1)) -v n=$((n2 - n1)) -v o=$((o2 - o1)) \
    'BEGIN{printf "| %d | %d | %.3f | %.3f |\n", r, f/30, n*10000/f, o*10000/f}'
done
