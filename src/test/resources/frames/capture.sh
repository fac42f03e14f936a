#!/usr/bin/env bash
# Regenerates the frame fixtures in this directory (see README.md). Needs root, tcpdump, python3.
# All traffic stays inside two network namespaces it creates (phfx-a, phfx-b) and deletes on exit.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE}
T="python3 $HERE/traffic.py"
A="ip netns exec phfx-a"
B="ip netns exec phfx-b"
WORK=$(mktemp -d)
CAP_PIDS=()

cleanup() {
    for pid in "${CAP_PIDS[@]}" ${SERVER_PID:-}; do kill "$pid" 2>/dev/null || true; done
    ip netns del phfx-a 2>/dev/null || true
    ip netns del phfx-b 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# capture NETNS FILE TCPDUMP-ARGS...: starts tcpdump and waits until it is listening.
capture() {
    local ns=$1 file=$2
    shift 2
    ip netns exec "$ns" tcpdump -Z root --immediate-mode -U -w "$OUT/$file" "$@" 2>"$WORK/$file.err" &
    CAP_PIDS+=($!)
    until grep -qs "listening on" "$WORK/$file.err"; do
        kill -0 "${CAP_PIDS[-1]}" || { cat "$WORK/$file.err" >&2; exit 1; }
        sleep 0.1
    done
}

# stop: lets the last frames reach tcpdump, then stops every running capture.
stop() {
    sleep 0.5
    for pid in "${CAP_PIDS[@]}"; do
        kill -INT "$pid"
        wait "$pid" || true
    done
    CAP_PIDS=()
    cat "$WORK"/*.err >&2
    rm -f "$WORK"/*.err
}

# Two namespaces joined by a veth pair with fixed MAC addresses, so frames are the same every run.
ip netns add phfx-a
ip netns add phfx-b
$A ip link set lo up
$B ip link set lo up
ip -n phfx-a link add ph-va address 02:77:00:00:00:01 type veth peer name ph-vb netns phfx-b address 02:77:00:00:00:02
$A ip addr add 10.77.1.1/24 dev ph-va
$A ip addr add fd77::1/64 dev ph-va nodad
$B ip addr add 10.77.1.2/24 dev ph-vb
$B ip addr add fd77::2/64 dev ph-vb nodad
$A ip link set ph-va up
$B ip link set ph-vb up

# A TCP server in B for every TCP connection below (v4 and v6 on one dual-stack socket).
$B $T tcp-server 7001 5 >"$WORK/server.out" &
SERVER_PID=$!
until grep -q listening "$WORK/server.out"; do sleep 0.1; done

# --- ethernet.pcap: Ethernet (DLT_EN10MB) on ph-va. The first IPv4 packet triggers ARP.
capture phfx-a ethernet.pcap -i ph-va 'arp or udp or tcp'
$A $T udp 10.77.1.2 5001 32 --src-port 40001
$A $T tcp 10.77.1.2 7001 --src-port 40002
$A $T tcp fd77::2 7001 --src-port 40003
# A frame between two other hosts, seen because tcpdump puts ph-va in promiscuous mode.
$B $T ether ph-vb 02:77:00:00:00:02 02:77:00:00:00:99 10.77.1.2 10.77.1.99
stop

# --- vlan.pcap: VLAN-tagged frames on ph-va. This kernel has no 8021q support, so the tagged frames
# are written by packet sockets on the veths (A sends one, B two); the kernel moves the outer tag
# into packet metadata on receive and libpcap puts it back into the frame. vlan-sll2.pcap is the
# same traffic on the any device.
capture phfx-a vlan.pcap -i ph-va 'vlan'
# (libpcap has no 'vlan' filter for cooked captures; the filter keeps out MLD reports)
capture phfx-a vlan-sll2.pcap -i any -y LINUX_SLL2 'not arp and not ip6 multicast'
$A $T ether ph-va 02:77:00:00:00:01 02:77:00:00:00:02 10.77.100.1 10.77.100.2 --src-port 40100 --dst-port 5100 --tags 8100:100
$B $T ether ph-vb 02:77:00:00:00:02 02:77:00:00:00:01 fd77:100::2 fd77:100::1 --src-port 40101 --dst-port 5100 --tags 8100:100
$B $T ether ph-vb 02:77:00:00:00:02 02:77:00:00:00:01 10.77.30.2 10.77.30.1 --src-port 40030 --dst-port 5030 --tags 88a8:300,8100:30
stop

# --- sll2.pcap and sll.pcap: the any device in A, both cooked header versions of the same traffic:
# sent and received on ph-va, a broadcast, a multicast, a frame for another host, and loopback.
capture phfx-a sll2.pcap -i any -y LINUX_SLL2 'udp or tcp'
capture phfx-a sll.pcap -i any -y LINUX_SLL 'udp or tcp'
$A $T udp 10.77.1.2 5002 8 --src-port 40201
$B $T udp 10.77.1.1 5002 8 --src-port 40202
$A $T udp fd77::2 5002 8 --src-port 40203
$B $T udp fd77::1 5002 8 --src-port 40204
$B $T udp 10.77.1.255 5002 8 --src-port 40205 --broadcast
$B $T udp 239.77.1.1 5002 8 --src-port 40209 --multicast-if 10.77.1.2
$B $T ether ph-vb 02:77:00:00:00:02 02:77:00:00:00:99 10.77.1.2 10.77.1.99
$A $T udp 127.0.0.1 5002 8 --src-port 40206
$A $T udp ::1 5002 8 --src-port 40207
$A $T tcp 10.77.1.2 7001 --src-port 40208
stop

# --- raw.pcap: a tun device has no link header, so a capture on it is DLT_RAW. traffic.py attaches
# to it, sends UDP to the peer 10.77.2.2 / fd77:2::2 and writes the peer's reply into the device.
# raw-sll2.pcap is the same traffic seen through the any device.
$A ip tuntap add mode tun name ph-tun
$A ip addr add 10.77.2.1/24 dev ph-tun
$A ip addr add fd77:2::1/64 dev ph-tun nodad
$A ip link set ph-tun up
capture phfx-a raw.pcap -i ph-tun 'udp'
capture phfx-a raw-sll2.pcap -i any -y LINUX_SLL2 'host 10.77.2.2 or host fd77:2::2'
$A $T tun ph-tun
stop

# --- ipv4-options.pcap: IPv4 headers with options (IP_OPTIONS): record route (IHL 15) and four NOPs (IHL 6).
capture phfx-a ipv4-options.pcap -i ph-va 'ip and (udp or tcp)'
$A $T udp 10.77.1.2 5004 8 --src-port 40401 --ip-options rr
$A $T udp 10.77.1.2 5004 8 --src-port 40402 --ip-options nop
$A $T tcp 10.77.1.2 7001 --src-port 40403 --ip-options nop
stop

# --- ipv6-exthdr.pcap: IPv6 with hop-by-hop and/or destination options headers.
capture phfx-a ipv6-exthdr.pcap -i ph-va 'ip6 and not icmp6'
$A $T udp fd77::2 5005 8 --src-port 40501 --hopopts
$A $T udp fd77::2 5005 8 --src-port 40502 --dstopts
$A $T udp fd77::2 5005 8 --src-port 40503 --hopopts --dstopts
$A $T tcp fd77::2 7001 --src-port 40504 --hopopts
stop

# --- ipv4-fragments.pcap: two 3000-byte UDP datagrams without DF over the 1500-byte veth.
capture phfx-a ipv4-fragments.pcap -i ph-va 'ip and (udp or ip[6:2] & 0x3fff != 0)'
$A $T udp 10.77.1.2 5006 3000 --src-port 40601 --frag
$A $T udp 10.77.1.2 5006 3000 --src-port 40602 --frag
stop

# --- ipv6-fragments.pcap: 3000-byte UDP datagrams over a 1280-byte MTU: plain, with a destination
# options header and with a hop-by-hop header (Linux puts both before the Fragment header), and one
# written by a packet socket with the destination options after the Fragment header (RFC 8200 order).
$A ip link set ph-va mtu 1280
$B ip link set ph-vb mtu 1280
capture phfx-a ipv6-fragments.pcap -i ph-va 'ip6 and not icmp6'
$A $T udp fd77::2 5007 3000 --src-port 40701 --frag
$A $T udp fd77::2 5007 3000 --src-port 40702 --frag --dstopts
$A $T udp fd77::2 5007 3000 --src-port 40703 --frag --hopopts
$A $T frag6 ph-va 02:77:00:00:00:01 02:77:00:00:00:02 fd77::1 fd77::2 --src-port 40704 --dst-port 5007
stop
$A ip link set ph-va mtu 1500
$B ip link set ph-vb mtu 1500

# --- truncated-ethernet.pcap (snap length 58) and truncated-sll2.pcap (40) cut headers short; B's ICMP
# port unreachable replies are kept.
capture phfx-a truncated-ethernet.pcap -s 58 -i ph-va 'host 10.77.1.2 or host fd77::2'
capture phfx-a truncated-sll2.pcap -s 40 -i any -y LINUX_SLL2 'host 10.77.1.2 or host fd77::2'
$A $T udp 10.77.1.2 5008 8 --src-port 40801
$A $T udp 10.77.1.2 5008 8 --src-port 40802 --ip-options rr
$A $T udp fd77::2 5008 8 --src-port 40803
$A $T udp fd77::2 5008 8 --src-port 40804 --hopopts
stop

kill $SERVER_PID 2>/dev/null || true
