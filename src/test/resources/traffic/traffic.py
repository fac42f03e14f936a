#!/usr/bin/env python3
"""Traffic endpoints for podhogs's integration tests: each prints 'ready' once listening or
connected, and 'done' when its traffic is over, then lingers for --hold seconds so that its sockets
still exist when podhogs looks them up (short-lived sockets are another test's subject)."""
import argparse
import os
import socket
import sys
import time


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def say(word):
    print(word, flush=True)


def tcp_sink(a):
    s = socket.socket(family(a.addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, a.port))
    s.listen(64)
    say("ready")
    while True:
        c, _ = s.accept()
        while c.recv(65536):
            pass
        if a.reply:
            c.sendall(b"r" * a.reply)
        c.close()


def tcp_send(a):
    # The connection stays established through --hold: once the peer's FIN arrives after our own,
    # the kernel turns the socket into a TIME_WAIT entry that no process holds, even with the fd open.
    c = socket.create_connection((a.addr, a.port))
    say("ready")
    # In pieces: a transfer "as fast as the veth goes" asks for 100 GB, which is no buffer to allocate.
    chunk = b"x" * min(a.bytes, 1 << 20)
    left = a.bytes
    while left > 0:
        c.sendall(chunk if left >= len(chunk) else chunk[:left])
        left -= min(left, len(chunk))
    time.sleep(a.hold)
    c.shutdown(socket.SHUT_WR)
    while c.recv(65536):
        pass
    say("done")
    c.close()


def tcp_multi(a):
    """--count connections open at once from ports --base-port up, connection i sending
    --bytes * (i + 1), all held --hold seconds after the last byte, then closed in turn, each
    drained of the sink's reply: one process with several connections of known sizes."""
    bind = "::" if ":" in a.addr else "0.0.0.0"
    conns = []
    for i in range(a.count):
        c = socket.socket(family(a.addr), socket.SOCK_STREAM)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((bind, a.base_port + i))
        c.connect((a.addr, a.port))
        conns.append(c)
    say("ready")
    for i, c in enumerate(conns):
        c.sendall(b"m" * (a.bytes * (i + 1)))
    say("sent")
    time.sleep(a.hold)
    for c in conns:
        c.shutdown(socket.SHUT_WR)
        while c.recv(65536):
            pass
    say("done")
    time.sleep(a.hold)
    for c in conns:
        c.close()


def dns_server(a):
    """A DNS server on UDP: every question answered with one A record, --answer, TTL 300, the question's
    name in a compression pointer (as real servers write it)."""
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.bind((a.addr, a.port))
    say("ready")
    answer = socket.inet_aton(a.answer)
    while True:
        q, peer = s.recvfrom(4096)
        end = 12
        while q[end] != 0:
            end += q[end] + 1
        end += 5  # the root label, type, class
        header = q[:2] + b"\x81\x80" + q[4:6] + b"\x00\x01\x00\x00\x00\x00"
        record = b"\xc0\x0c\x00\x01\x00\x01" + (300).to_bytes(4, "big") + b"\x00\x04" + answer
        s.sendto(header + q[12:end] + record, peer)


def dns_ask(a):
    """Asks the DNS server at addr:port for --name's A record once, and prints the address answered."""
    name = b"".join(bytes([len(label)]) + label.encode() for label in a.name.split(".")) + b"\x00"
    query = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + name + b"\x00\x01\x00\x01"
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.settimeout(5)
    s.sendto(query, (a.addr, a.port))
    reply, _ = s.recvfrom(4096)
    say(socket.inet_ntoa(reply[-4:]))


def tcp_burst(a):
    """--count short connections of --bytes each, closed at once: sockets that live for a moment."""
    say("ready")
    for _ in range(a.count):
        c = socket.create_connection((a.addr, a.port))
        c.sendall(b"s" * a.bytes)
        c.close()
        if a.pace:
            time.sleep(a.pace)
    say("done")
    time.sleep(a.hold)


def ipip_raw(a):
    """--count IPIP packets (IP protocol 4) carrying --size bytes each: a tunnel's outer packets, as a
    node with an ipip device would send them to another node (this kernel has no tunnel devices)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 4)
    say("ready")
    inner = bytes([0x45, 0]) + (20 + a.size).to_bytes(2, "big") + bytes(16) + b"i" * a.size
    for _ in range(a.count):
        s.sendto(inner, (a.addr, 0))
    say("done")
    time.sleep(a.hold)


def udp_sink(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    s.bind((a.addr, a.port))
    say("ready")
    while True:
        data, peer = s.recvfrom(65536)
        if a.reply:
            s.sendto(b"r" * a.reply, peer)


def udp_send(a):
    s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
    if a.connected:
        s.connect((a.addr, a.port))
    else:
        s.bind(("::" if ":" in a.addr else "0.0.0.0", 0))
    say("ready")
    s.settimeout(2)
    for _ in range(a.count):
        if a.connected:
            s.send(b"u" * a.size)
        else:
            s.sendto(b"u" * a.size, (a.addr, a.port))
        if a.replies:
            s.recvfrom(65536)
        elif a.pace:
            time.sleep(a.pace)
    say("done")
    time.sleep(a.hold)


def fork_server(a):
    """Forks a child per connection; the child reads until EOF, answers, and lingers."""
    s = socket.socket(family(a.addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, a.port))
    s.listen(64)
    say("ready")
    while True:
        c, _ = s.accept()
        pid = os.fork()
        if pid == 0:
            s.close()
            say(f"child {os.getpid()}")
            while c.recv(65536):
                pass
            c.sendall(b"r" * a.reply)
            time.sleep(a.hold)
            c.close()
            os._exit(0)
        c.close()


def udp_forks(a):
    """--count child processes, in waves of --wave, each sending one --size datagram from each of
    --flows sockets of its own (distinct flows) and lingering --hold seconds before it exits: process
    and flow churn, as a busy node's cron jobs and short clients make it."""
    say("ready")
    children = []
    for _ in range(a.count):
        pid = os.fork()
        if pid == 0:
            socks = []
            for _ in range(a.flows):
                s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
                s.sendto(b"f" * a.size, (a.addr, a.port))
                socks.append(s)
            time.sleep(a.hold)
            os._exit(0)
        children.append(pid)
        if len(children) >= a.wave:
            for c in children:
                os.waitpid(c, 0)
            children = []
    for c in children:
        os.waitpid(c, 0)
    say("done")


def udp_spray(a):
    """One --size datagram from each of --count source ports, --base-port up, each from a socket of
    its own closed at once: as many distinct flows, as a port scan or a flood of new clients makes."""
    say("ready")
    bind = "::" if ":" in a.addr else "0.0.0.0"
    for i in range(a.count):
        s = socket.socket(family(a.addr), socket.SOCK_DGRAM)
        s.bind((bind, a.base_port + i))
        s.sendto(b"s" * a.size, (a.addr, a.port))
        s.close()
    say("done")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["tcp-sink", "tcp-send", "tcp-multi", "dns-server", "dns-ask", "tcp-burst", "ipip-raw", "udp-sink", "udp-send", "fork-server", "udp-forks", "udp-spray"])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("--bytes", type=int, default=0)
    p.add_argument("--reply", type=int, default=0)
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--size", type=int, default=0)
    p.add_argument("--connected", action="store_true")
    p.add_argument("--replies", action="store_true")
    p.add_argument("--pace", type=float, default=0)
    p.add_argument("--hold", type=float, default=1.0)
    p.add_argument("--flows", type=int, default=1)
    p.add_argument("--wave", type=int, default=100)
    p.add_argument("--base-port", type=int, default=20000)
    p.add_argument("--answer", default="")
    p.add_argument("--name", default="")
    # Words after "--" are not read: only the endpoint's command line shows them (what podhogs must
    # show or redact, e.g. a password given on a command line).
    argv = sys.argv[1:]
    a = p.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    {"tcp-sink": tcp_sink, "tcp-send": tcp_send, "tcp-multi": tcp_multi, "dns-server": dns_server, "dns-ask": dns_ask,
     "tcp-burst": tcp_burst, "ipip-raw": ipip_raw, "udp-sink": udp_sink, "udp-send": udp_send,
     "fork-server": fork_server, "udp-forks": udp_forks, "udp-spray": udp_spray}[a.mode](a)


if __name__ == "__main__":
    sys.exit(main())
