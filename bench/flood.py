#!/usr/bin/env python3
"""flood: what a flood of unique flows does to a monitor (issue 15's targets), one monitor at a time.

A test namespace behind a veth pair of its own sends UDP datagrams to the host end, each with a
source and destination port pair never used before (1,000,000 tuples in 60 s by default), the
kind of traffic a port scan or a misbehaving client makes. While tcpdump captures the same
interface beside it (the floor for kernel drops), the monitor under test runs, and this reports:

- RSS: the highest during the flood, and 15 s after it;
- full GCs (JVM monitors: from a GC log the script asks for through PODHOGS_JAVA_OPTS);
- refreshes: the longest time the monitor's counted totals stood still while the flood ran
  (a frozen snapshot shows as a long gap; podhogs refreshes every second);
- kernel drops: the monitor's own figure where it gives one, and tcpdump's beside it;
- totals: the monitor's bytes on the host side of the veth against the veth's kernel counters;
- CPU: a second's worth before the flood (idle), during it, and how long after it the CPU took
  to come back to within 1% of a core of idle (up to --settle seconds);
- SIGTERM: how long the monitor took to exit.

Monitors (--monitor, repeatable; each gets a flood of its own):
  cli      ./podhogs --json -d 1 IFACE          (totals from the rows on the host's side)
  agent    ./podhogs agent, on IFACE only        (totals from /api/v1/interfaces)
  nethogs  nethogs -C -t -v 2 -d 1 IFACE         (RSS and CPU only: nethogs keeps no totals of
                                                  traffic that no process owns; -C: without
                                                  it nethogs ignores UDP, and the flood is UDP)

Run as root from the project root:  python3 bench/flood.py --monitor cli --monitor agent --monitor nethogs
"""
import argparse
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

NS, HOST_IF, NS_IF = "phflood", "phflood-h", "phflood-n"
HOST_V4, NS_V4 = "10.251.77.1", "10.251.77.2"
AGENT_PORT = 9899          # the JSON API, on 127.0.0.1
AGENT_METRICS_PORT = 9898  # metrics and health (no token needed from 127.0.0.1)


def sh(cmd, check=True):
    return subprocess.run(cmd, shell=True, check=check, text=True, capture_output=True)


def link(iface, stat):
    with open(f"/sys/class/net/{iface}/statistics/{stat}") as f:
        return int(f.read())


def setup():
    teardown()
    sh(f"ip netns add {NS}")
    sh(f"ip link add {HOST_IF} type veth peer name {NS_IF}")
    sh(f"ip link set {NS_IF} netns {NS}")
    # No IPv6 on either end: router solicitations and listener reports would be traffic of their own.
    sh(f"sysctl -qw net.ipv6.conf.{HOST_IF}.disable_ipv6=1")
    sh(f"ip netns exec {NS} sysctl -qw net.ipv6.conf.all.disable_ipv6=1")
    sh(f"ip addr add {HOST_V4}/24 dev {HOST_IF}")
    sh(f"ip link set {HOST_IF} up")
    sh(f"ip netns exec {NS} ip addr add {NS_V4}/24 dev {NS_IF}")
    sh(f"ip netns exec {NS} ip link set {NS_IF} up")
    sh(f"ip netns exec {NS} ip link set lo up")
    # Static neighbours: no ARP during the flood.
    host_mac = open(f"/sys/class/net/{HOST_IF}/address").read().strip()
    ns_mac = sh(f"ip netns exec {NS} cat /sys/class/net/{NS_IF}/address").stdout.strip()
    sh(f"ip neigh replace {NS_V4} lladdr {ns_mac} dev {HOST_IF} nud permanent")
    sh(f"ip netns exec {NS} ip neigh replace {HOST_V4} lladdr {host_mac} dev {NS_IF} nud permanent")
    return host_mac, ns_mac


def teardown():
    sh(f"ip link del {HOST_IF}", check=False)
    sh(f"ip netns del {NS}", check=False)


SENDER = r'''
import socket, struct, sys, time
iface, src_mac, dst_mac, src_ip, dst_ip, total, seconds = sys.argv[1:8]
total, seconds = int(total), float(seconds)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
eth = bytes.fromhex(dst_mac.replace(":", "")) + bytes.fromhex(src_mac.replace(":", "")) + b"\x08\x00"
src, dst = socket.inet_aton(src_ip), socket.inet_aton(dst_ip)
payload = b"x" * 18
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
start = time.monotonic()
batch = 200
for i in range(0, total, batch):
    for j in range(i, min(i + batch, total)):
        sport = 1024 + j % 64000
        dport = 1024 + j // 64000
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 8 + len(payload), j & 0xffff, 0, 64, 17, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
        s.send(eth + ip + udp + payload)
    due = start + (i + batch) * seconds / total
    delay = due - time.monotonic()
    if delay > 0:
        time.sleep(delay)
print(time.monotonic() - start)
'''


def tree(pid):
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return pids


def cpu_ticks(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total


def rss_kib(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                m = re.search(r"VmRSS:\s+(\d+)", f.read())
            total += int(m.group(1)) if m else 0
        except OSError:
            pass
    return total


class Totals:
    """The monitor's bytes on the host side of the veth, as last read, and when they last changed."""

    def __init__(self):
        self.sent = self.received = 0
        self.drops = None
        self.changes = []  # monotonic times at which the totals changed
        self.lock = threading.Lock()

    def update(self, sent, received, drops=None):
        with self.lock:
            if (sent, received) != (self.sent, self.received):
                self.changes.append(time.monotonic())
            self.sent, self.received = sent, received
            if drops is not None:
                self.drops = drops

    def longest_stand(self, start, end):
        with self.lock:
            times = [start] + [t for t in self.changes if start <= t <= end] + [end]
        return max(b - a for a, b in zip(times, times[1:]))


def read_cli(proc, totals, netns_host):
    """podhogs --json: one object per account per refresh; a refresh's rows share one time."""
    block, block_time = {}, None
    for line in proc.stdout:
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if row.get("time") != block_time and block_time is not None:
            sent = sum(r[0] for r in block.values())
            received = sum(r[1] for r in block.values())
            totals.update(sent, received)
            block = {}
        block_time = row.get("time")
        if row.get("netns", 0) == netns_host:
            key = (row.get("kind"), row.get("pid"), row.get("program"), row.get("netns"))
            block[key] = (row.get("sent_bytes", 0), row.get("received_bytes", 0))
            if row.get("kernel_drops") is not None:
                totals.drops = row["kernel_drops"]


def poll_agent(stop, totals):
    while not stop.is_set():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{AGENT_PORT}/api/v1/interfaces?limit=1000", timeout=2) as r:
                body = json.load(r)
            rows = body["items"] if isinstance(body, dict) else body
            for row in rows:
                if row.get("interface", row.get("name")) == HOST_IF:
                    totals.update(row["usage"]["sent_bytes"], row["usage"]["received_bytes"])
        except Exception:
            pass
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{AGENT_METRICS_PORT}/metrics", timeout=2) as r:
                text = r.read().decode()
            drops = sum(float(m.group(1)) for m in re.finditer(
                r'^podhogs_capture_kernel_drops_total\{[^}]*\} (\S+)', text, re.M))
            totals.drops = int(drops)
        except Exception:
            pass
        stop.wait(0.5)


def start_monitor(kind, gc_log):
    env = dict(os.environ)
    env["PODHOGS_JAVA_OPTS"] = f"-Xlog:gc:file={gc_log} " + env.get("PODHOGS_JAVA_OPTS", "")
    if kind == "cli":
        cmd = ["./podhogs", "--json", "-d", "1", HOST_IF]
    elif kind == "agent":
        env.update({"QUARKUS_HTTP_PORT": str(AGENT_PORT), "QUARKUS_MANAGEMENT_PORT": str(AGENT_METRICS_PORT),
                    "PODHOGS_INTERFACES": HOST_IF, "PODHOGS_KUBERNETES_MODE": "off"})
        cmd = ["./podhogs", "agent"]
    elif kind == "nethogs":
        cmd = ["nethogs", "-C", "-t", "-v", "2", "-d", "1", HOST_IF]
    else:
        sys.exit(f"flood: unknown monitor {kind}: cli, agent or nethogs")
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)


def heap_used_after_gc(pid):
    """The bytes of the JVM's live objects (jmap -histo:live, which collects first)."""
    out = subprocess.run(["jmap", "-histo:live", str(pid)], capture_output=True, text=True, timeout=120).stdout
    m = re.search(r"^Total\s+\d+\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else None


def agent_gauge(name):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{AGENT_METRICS_PORT}/metrics", timeout=5) as r:
            text = r.read().decode()
        m = re.search(r"^" + name + r"\{[^}]*\} (\S+)", text, re.M)
        return float(m.group(1)) if m else None
    except Exception:
        return None


def full_gcs(gc_log):
    try:
        with open(gc_log) as f:
            return sum(1 for line in f if "Pause Full" in line)
    except OSError:
        return None


def cpu_percent(pid, seconds):
    hz = os.sysconf("SC_CLK_TCK")
    t0 = cpu_ticks(pid)
    time.sleep(seconds)
    return 100.0 * (cpu_ticks(pid) - t0) / hz / seconds


def run(kind, args):
    host_mac, ns_mac = setup()
    gc_log = tempfile.mktemp(prefix="flood-gc-", suffix=".log")
    tcpdump = subprocess.Popen(["tcpdump", "-i", HOST_IF, "-s", "256", "-w", "/dev/null"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    mon = start_monitor(kind, gc_log)
    totals = Totals()
    stop = threading.Event()
    if kind == "cli":
        threading.Thread(target=read_cli, args=(mon, totals, 0), daemon=True).start()
    elif kind == "agent":
        threading.Thread(target=poll_agent, args=(stop, totals), daemon=True).start()
    else:
        threading.Thread(target=lambda: [None for _ in mon.stdout], daemon=True).start()
    time.sleep(args.warmup)
    if mon.poll() is not None:
        sys.exit(f"flood: {kind} ended before the flood (status {mon.returncode})")
    idle = cpu_percent(mon.pid, 5)
    base = {s: link(HOST_IF, s) for s in ("rx_bytes", "tx_bytes", "rx_packets")}
    start = time.monotonic()
    peak = 0
    sender = subprocess.Popen(["ip", "netns", "exec", NS, "python3", "-c", SENDER, NS_IF, ns_mac, host_mac, NS_V4,
                               HOST_V4, str(args.tuples), str(args.seconds)], stdout=subprocess.PIPE, text=True)
    t_cpu0 = cpu_ticks(mon.pid)
    while sender.poll() is None:
        peak = max(peak, rss_kib(mon.pid))
        time.sleep(0.5)
    flood_end = time.monotonic()
    hz = os.sysconf("SC_CLK_TCK")
    flood_cpu = 100.0 * (cpu_ticks(mon.pid) - t_cpu0) / hz / (flood_end - start)
    stand = totals.longest_stand(start + 2, flood_end)
    time.sleep(15)
    peak = max(peak, rss_kib(mon.pid))
    rss_after = rss_kib(mon.pid)
    settle = None
    waited = 15
    while waited < args.settle:
        c = cpu_percent(mon.pid, 5)
        waited += 5
        if c <= idle + 1.0:
            settle = waited
            break
    time.sleep(2.5)  # the last refresh after the flood
    kernel_rx = link(HOST_IF, "rx_bytes") - base["rx_bytes"]
    kernel_tx = link(HOST_IF, "tx_bytes") - base["tx_bytes"]
    frames = link(HOST_IF, "rx_packets") - base["rx_packets"]
    got_sent, got_received = totals.sent, totals.received
    t = time.monotonic()
    os.killpg(mon.pid, signal.SIGTERM) if kind != "cli" else mon.send_signal(signal.SIGTERM)
    try:
        status = mon.wait(timeout=60)
    except subprocess.TimeoutExpired:
        status = "killed after 60 s"
        os.killpg(mon.pid, signal.SIGKILL)
        mon.wait()
    term = time.monotonic() - t
    stop.set()
    tcpdump.send_signal(signal.SIGINT)
    _, err = tcpdump.communicate(timeout=10)
    m = re.search(r"(\d+) packets dropped by kernel", err)
    tcpdump_drops = int(m.group(1)) if m else None
    teardown()
    return {
        "monitor": kind, "tuples": args.tuples, "frames": frames, "seconds": round(flood_end - start, 1),
        "rss_peak_mib": peak // 1024, "rss_after_mib": rss_after // 1024, "full_gcs": full_gcs(gc_log) if kind != "nethogs" else None,
        "longest_stand_s": round(stand, 1) if kind != "nethogs" else None,
        "drops": totals.drops, "tcpdump_drops": tcpdump_drops,
        "kernel_rx": kernel_rx, "kernel_tx": kernel_tx,
        "counted_received": got_received if kind != "nethogs" else None,
        "counted_sent": got_sent if kind != "nethogs" else None,
        "cpu_idle_pct": round(idle, 1), "cpu_flood_pct": round(flood_cpu, 1),
        "settled_after_s": settle, "sigterm_s": round(term, 1), "status": status,
    }


def bytes_per_flow(bound):
    """The agent with --max-flows FLOWS, its table filled at once past the bound by a burst of new
    tuples (each two flows: the host end's and the namespace's), and the live objects on its heap
    then, against the same before the burst, per flow of the bound. The burst takes 3 s (the
    table grows as it fills) and the heap is measured at once: idle flows of a table 75% full are
    released after 2 s."""
    host_mac, ns_mac = setup()
    env = dict(os.environ, QUARKUS_HTTP_PORT=str(AGENT_PORT), QUARKUS_MANAGEMENT_PORT=str(AGENT_METRICS_PORT),
               PODHOGS_INTERFACES=HOST_IF, PODHOGS_KUBERNETES_MODE="off", PODHOGS_MAX_FLOWS=str(bound))
    mon = subprocess.Popen(["./podhogs", "agent"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    try:
        time.sleep(20)
        before = heap_used_after_gc(mon.pid)
        tuples = bound * 6 // 10  # 1.2 x the bound in flows
        subprocess.run(["ip", "netns", "exec", NS, "python3", "-c", SENDER, NS_IF, ns_mac, host_mac, NS_V4, HOST_V4,
                        str(tuples), "3"], check=True, capture_output=True)
        time.sleep(1.0)  # the last flows' lookups done (0.5 s), their idle release not yet due (2 s)
        flows = agent_gauge("podhogs_flows_tracked")
        after = heap_used_after_gc(mon.pid)
        # The arrays are the table's size, its bound once it grew there, however many flows are in
        # it at the moment of the count (idle ones go after 2 s): the cost of the bound, per flow.
        return {"bound": bound, "flows_tracked": flows, "heap_before": before, "heap_after": after,
                "bytes_per_flow_at_bound": round((after - before) / bound)}
    finally:
        os.killpg(mon.pid, signal.SIGTERM)
        mon.wait(timeout=60)
        teardown()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--monitor", action="append", default=[], help="cli, agent or nethogs (repeatable)")
    ap.add_argument("--tuples", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--warmup", type=float, default=20, help="seconds between the monitor's start and the flood")
    ap.add_argument("--settle", type=float, default=135, help="seconds after the flood to wait for idle CPU")
    ap.add_argument("--bytes-per-flow", type=int, metavar="FLOWS",
                    help="instead: the agent's heap per tracked flow with its table filled to a bound of FLOWS")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("flood: run as root (it makes a namespace and a veth pair)")
    try:
        if args.bytes_per_flow:
            print(json.dumps(bytes_per_flow(args.bytes_per_flow)), flush=True)
            return
        for kind in args.monitor or ["cli"]:
            r = run(kind, args)
            print(json.dumps(r), flush=True)
    finally:
        teardown()


if __name__ == "__main__":
    main()
