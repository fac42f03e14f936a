#!/usr/bin/env bash
# drop-onset.sh: the frame rate at which the kernel starts dropping frames for podhogs's capture
# (pcap's ps_drop), on this machine. A UDP flood of 64-byte datagrams over a veth, stepped up from
# the rate steady.sh drives; at each step, 10 s: frames the veth carried a second, and the kernel
# drops podhogs reported (its JSON's kernel_drops) during the step. tcpdump's drops beside it, the
# same way, for the floor. Run from the project root as root. Needs iperf3, tcpdump, python3.
# PODHOGS_ARGS adds options to podhogs's (e.g. PODHOGS_ARGS='--buffer-size 8').
set -u
ns=bdrop; a=bdr0; b=bdr1
cleanup() { ip link del $a 2>/dev/null; ip netns del $ns 2>/dev/null; }
trap cleanup EXIT
cleanup
ip netns add $ns; ip link add $a type veth peer name $b; ip link set $b netns $ns
ip addr add 10.213.91.1/24 dev $a; ip link set $a up
ip netns exec $ns ip addr add 10.213.91.2/24 dev $b; ip netns exec $ns ip link set $b up
ip netns exec $ns ip link set lo up
steps=${STEPS:-"60M:1 120M:2 200M:3 400M:4"}   # iperf3 -b per stream : streams

timeout 900 ./podhogs --help >/dev/null 2>&1   # builds on first use
out=$(mktemp)
ip netns exec $ns iperf3 -s -p 5400 >/dev/null 2>&1 & srv=$!
bash -c "exec ./podhogs --json -d 1 ${PODHOGS_ARGS:-} $a" >"$out" 2>/dev/null & m=$!
tcpdump -i $a -s 256 -w /dev/null 2>/tmp/drop-onset-tcpdump.err & td=$!
sleep 6
drops() { grep -o '"kernel_drops":[0-9]*' "$out" | tail -1 | cut -d: -f2; }
printf "%-14s %12s %14s\n" "step" "frames/s" "podhogs drops"
for step in $steps; do
  rate=${step%%:*}; streams=${step##*:}
  d1=$(drops); f1=$(cat /sys/class/net/$a/statistics/tx_packets)
  iperf3 -c 10.213.91.2 -p 5400 -u -l 64 -b "$rate" -P "$streams" -t 10 >/dev/null 2>&1
  sleep 2
  d2=$(drops); f2=$(cat /sys/class/net/$a/statistics/tx_packets)
  printf "%-14s %12d %14d\n" "${rate}x${streams}" $(((f2 - f1) / 10)) $((${d2:-0} - ${d1:-0}))
done
kill -INT $m $td 2>/dev/null; sleep 2; kill -KILL $m 2>/dev/null
kill $srv 2>/dev/null; wait 2>/dev/null
echo "tcpdump over all steps: $(grep -o '[0-9]* packets dropped by kernel' /tmp/drop-onset-tcpdump.err)"
rm -f "$out"
