#!/usr/bin/env bash
# quiet-veth.sh: sourced by the idle benchmarks. A veth pair whose two ends say nothing by
# themselves: the far end in a namespace of its own, IPv6 off on both (no router solicitations, no
# MLD reports) and each end's neighbour static (no ARP), so that whatever a monitor on it sees is
# what the benchmark sends.
#
#   quiet_veth NS HOST_IF PEER_IF NET     e.g. quiet_veth phidle phid0 phid1 10.213.95
#     makes NET.1/24 on HOST_IF and NET.2/24 on PEER_IF (in NS);
#   quiet_veth_remove NS HOST_IF          removes both (also when half made).

quiet_veth() {
  local ns=$1 a=$2 b=$3 net=$4
  ip netns add "$ns"
  ip link add "$a" type veth peer name "$b"
  ip link set "$b" netns "$ns"
  sysctl -qw "net.ipv6.conf.$a.disable_ipv6=1"
  ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$b.disable_ipv6=1"
  ip addr add "$net.1/24" dev "$a"; ip link set "$a" up
  ip netns exec "$ns" ip addr add "$net.2/24" dev "$b"; ip netns exec "$ns" ip link set "$b" up
  ip neigh replace "$net.2" lladdr "$(ip netns exec "$ns" cat "/sys/class/net/$b/address")" dev "$a" nud permanent
  ip netns exec "$ns" ip neigh replace "$net.1" lladdr "$(cat "/sys/class/net/$a/address")" dev "$b" nud permanent
}

quiet_veth_remove() {
  ip link del "$2" 2>/dev/null || true
  ip netns del "$1" 2>/dev/null || true
}
