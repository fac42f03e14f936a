#!/usr/bin/env python3
"""Traffic generator for the frame fixtures (see README.md). Run inside the fixture namespaces only.

  traffic.py udp DST PORT SIZE [--src-port N] [--frag] [--broadcast] [--multicast-if ADDR]
                                 [--ip-options rr|nop]
                                 [--hopopts] [--dstopts]
  traffic.py tcp DST PORT [--src-port N] [--hopopts]      connect, send 5 bytes, close
  traffic.py tcp-server PORT COUNT                         accept COUNT connections on [::] (v4 and v6)
  traffic.py ether IFACE SRC_MAC DST_MAC SRC_IP DST_IP [--src-port N] [--dst-port N] [--tags 88a8:300,8100:30]
                                                           one UDP frame from a packet socket
  traffic.py frag6 IFACE SRC_MAC DST_MAC SRC_IP DST_IP [--src-port N] [--dst-port N]
                                                           fragments with DSTOPT after the Fragment header
  traffic.py tun IFACE                                     UDP both ways over a tun device (see tun())
"""
import os
import socket
import struct
import sys
import time

IPV6_HOPOPTS = 54
IPV6_DSTOPTS = 59
IP_MTU_DISCOVER = 10
IPV6_MTU_DISCOVER = 23
PMTUDISC_DONT = 0


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def option(args, name, default=None):
    if name in args:
        return args[args.index(name) + 1]
    return default


# An 8-byte extension header: next header and length are filled in by the kernel; PadN of 6 bytes.
PADN_EXTENSION = bytes([0, 0, 1, 4, 0, 0, 0, 0])


def apply_options(s, fam, args):
    if "--hopopts" in args:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_HOPOPTS, PADN_EXTENSION)
    if "--dstopts" in args:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_DSTOPTS, PADN_EXTENSION)
    ip_options = option(args, "--ip-options")
    if ip_options == "rr":
        # Record route: type 7, length 39, pointer 4, nine empty slots, then one EOL to pad to 40.
        s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, bytes([7, 39, 4]) + bytes(36) + bytes([0]))
    elif ip_options == "nop":
        # Four NOPs: the smallest options area (IHL 6).
        s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, bytes([1, 1, 1, 1]))
    if "--broadcast" in args:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    multicast_if = option(args, "--multicast-if")
    if multicast_if:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(multicast_if))
    if "--frag" in args:
        if fam == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, PMTUDISC_DONT)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, PMTUDISC_DONT)


def udp(args):
    dst, port, size = args[0], int(args[1]), int(args[2])
    fam = family(dst)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    src_port = int(option(args, "--src-port", 0))
    if src_port:
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", src_port))
    apply_options(s, fam, args)
    s.sendto(bytes(size), (dst, port))
    s.close()


def tcp(args):
    dst, port = args[0], int(args[1])
    fam = family(dst)
    s = socket.socket(fam, socket.SOCK_STREAM)
    src_port = int(option(args, "--src-port", 0))
    if src_port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", src_port))
    apply_options(s, fam, args)
    s.settimeout(3)
    s.connect((dst, port))
    s.sendall(b"hello")
    s.shutdown(socket.SHUT_WR)
    s.recv(16)
    s.close()


def tcp_server(args):
    port, count = int(args[0]), int(args[1])
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port))
    s.listen(8)
    print("listening", flush=True)
    for _ in range(count):
        c, _ = s.accept()
        while c.recv(64):
            pass
        c.close()
    s.close()


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ip_udp(src, dst, sport, dport, payload):
    """An IPv4 or IPv6 packet holding one UDP datagram, with correct checksums."""
    length = 8 + len(payload)
    if ":" in src:
        s, d = socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)
        pseudo = s + d + struct.pack("!I3xB", length, 17)
    else:
        s, d = socket.inet_aton(src), socket.inet_aton(dst)
        pseudo = s + d + struct.pack("!xBH", 17, length)
    udp_header = struct.pack("!HHHH", sport, dport, length, 0)
    udp_header = udp_header[:6] + struct.pack("!H", checksum(pseudo + udp_header + payload) or 0xFFFF)
    if ":" in src:
        ip = struct.pack("!IHBB", 6 << 28, length, 17, 64) + s + d
    else:
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length, 1, 0, 64, 17, 0, s, d)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + udp_header + payload


def ether(args):
    """One Ethernet frame (optionally VLAN-tagged) holding a UDP datagram, sent from a packet socket."""
    iface, src_mac, dst_mac, src_ip, dst_ip = args[:5]
    sport, dport = int(option(args, "--src-port", 9999)), int(option(args, "--dst-port", 9999))
    mac = lambda m: bytes.fromhex(m.replace(":", ""))
    # --tags 88a8:300,8100:30 stacks tags outermost first.
    tags = b""
    for tag in filter(None, option(args, "--tags", "").split(",")):
        tpid, vid = tag.split(":")
        tags += struct.pack("!HH", int(tpid, 16), int(vid))
    ethertype = 0x86DD if ":" in src_ip else 0x0800
    packet = ip_udp(src_ip, dst_ip, sport, dport, b"podhogs")
    frame = mac(dst_mac) + mac(src_mac) + tags + struct.pack("!H", ethertype) + packet
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    s.send(frame)
    s.close()


def frag6(args):
    """A 3000-byte UDP datagram over IPv6 with a Destination Options header in the fragmentable part,
    after the Fragment header, where RFC 8200 (4.1, 4.5) puts it; Linux itself puts its destination
    options before the Fragment header. Fragmented for a 1280-byte MTU, sent from a packet socket."""
    iface, src_mac, dst_mac, src, dst = args[:5]
    sport, dport = int(option(args, "--src-port", 9999)), int(option(args, "--dst-port", 9999))
    s_ip, d_ip = socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)
    payload = bytes(3000)
    length = 8 + len(payload)
    udp_header = struct.pack("!HHHH", sport, dport, length, 0)
    pseudo = s_ip + d_ip + struct.pack("!I3xB", length, 17)
    udp_header = udp_header[:6] + struct.pack("!H", checksum(pseudo + udp_header + payload) or 0xFFFF)
    fragmentable = bytes([17, 0, 1, 4, 0, 0, 0, 0]) + udp_header + payload  # DSTOPT (PadN), then UDP
    chunk = 1280 - 40 - 8
    mac = lambda m: bytes.fromhex(m.replace(":", ""))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for offset in range(0, len(fragmentable), chunk):
        part = fragmentable[offset:offset + chunk]
        more = 1 if offset + chunk < len(fragmentable) else 0
        fragment = struct.pack("!BBHI", 60, 0, offset | more, 0x77000001)
        ip = struct.pack("!IHBB", 6 << 28, len(fragment) + len(part), 44, 64) + s_ip + d_ip
        s.send(mac(dst_mac) + mac(src_mac) + struct.pack("!H", 0x86DD) + ip + fragment + part)
    s.close()


def tun(args):
    """Attaches to tun device IFACE (local 10.77.2.1, fd77:2::1; the peer .2 exists only here):
    sends a UDP datagram to the peer over it in each IP version, then writes a reply from the peer
    into the device, so the capture sees both directions of a raw IP device."""
    import fcntl
    iface = args[0]
    fd = os.open("/dev/net/tun", os.O_RDWR)
    IFF_TUN, IFF_NO_PI, TUNSETIFF = 0x0001, 0x1000, 0x400454CA
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", iface.encode(), IFF_TUN | IFF_NO_PI))
    time.sleep(0.5)  # the carrier comes up once a file descriptor is attached
    for local, peer, fam in (("10.77.2.1", "10.77.2.2", socket.AF_INET),
                             ("fd77:2::1", "fd77:2::2", socket.AF_INET6)):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((local, 40301))
        s.sendto(b"ping", (peer, 5003))
        while True:  # skip what the kernel sends on its own (router solicitations, MLD)
            sent = os.read(fd, 2048)
            if (sent[0] >> 4, sent[9] if sent[0] >> 4 == 4 else sent[6]) == (4 if fam == socket.AF_INET else 6, 17):
                break
        os.write(fd, ip_udp(peer, local, 5003, 40301, b"pong"))
        s.settimeout(3)
        assert s.recv(16) == b"pong"
        s.close()
    os.close(fd)


if __name__ == "__main__":
    {"udp": udp, "tcp": tcp, "tcp-server": tcp_server, "ether": ether, "frag6": frag6, "tun": tun}[sys.argv[1]](sys.argv[2:])
