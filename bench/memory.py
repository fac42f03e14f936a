#!/usr/bin/env python3
"""memory: the resident memory (RSS) of a monitor on a quiet host, at 1,000 active flows and under
steady.sh's flood, one monitor after another in one run (issue 20, part 3: the CLI at most 96 MiB,
the agent at most 128 MiB, each the same three ways).

A test namespace behind a veth pair of its own carries the traffic; each monitor runs alone, warms
up, then goes through three phases, its RSS (whole process tree) sampled every half second:

  idle     nothing on the veth but what the kernel sends by itself            (20 s)
  flows    1,000 TCP connections from the namespace to a sink on the host,
           each sending 100 bytes a second: 1,000 flows, all active           (30 s)
  flood    UDP datagrams of 64 bytes at 60 Mbit/s, as steady.sh drives them   (30 s)

and the table gives, per monitor and phase, the highest RSS seen and the RSS at the phase's end.
With --nmt the JVM monitors also run with -XX:NativeMemoryTracking=summary, and the JVM's own
categories at the end of the flood are printed (heap, metaspace, code ...; NMT itself costs a few
MiB, so the RSS of such a run is not the figure to keep).

Monitors (--monitor, repeatable):
  cli      ./podhogs -t -d 5 IFACE       (the launcher's JVM options)
  agent    ./podhogs agent               (every interface, Kubernetes off, its own ports, a fresh
                                          history file; the launcher's JVM options)
  nethogs  nethogs -C -t -d 5 IFACE

Run as root from the project root:  python3 bench/memory.py --monitor cli --monitor agent --monitor nethogs
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

NS, HOST_IF, NS_IF = "phmem", "phmem-h", "phmem-n"
HOST_V4, NS_V4 = "10.251.78.1", "10.251.78.2"
SINK_PORT, FLOOD_PORT = 5511, 5512
AGENT_MANAGEMENT_PORT, AGENT_API_PORT = 19830, 19831


def sh(cmd, check=True):
    return subprocess.run(cmd, shell=True, check=check, text=True, capture_output=True)


def setup():
    teardown()
    sh(f"ip netns add {NS}")
    sh(f"ip link add {HOST_IF} type veth peer name {NS_IF}")
    sh(f"ip link set {NS_IF} netns {NS}")
    sh(f"ip addr add {HOST_V4}/24 dev {HOST_IF}")
    sh(f"ip link set {HOST_IF} up")
    sh(f"ip netns exec {NS} ip addr add {NS_V4}/24 dev {NS_IF}")
    sh(f"ip netns exec {NS} ip link set {NS_IF} up")
    sh(f"ip netns exec {NS} ip link set lo up")


def teardown():
    sh(f"ip link del {HOST_IF}", check=False)
    sh(f"ip netns del {NS}", check=False)


# A sink on the host's end: accepts every connection and reads whatever arrives.
SINK = r'''
import resource, selectors, socket, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], int(sys.argv[2]))); srv.listen(2048); srv.setblocking(False)
sel = selectors.DefaultSelector(); sel.register(srv, selectors.EVENT_READ)
print("ready", flush=True)
while True:
    for key, _ in sel.select():
        if key.fileobj is srv:
            c, _ = srv.accept(); c.setblocking(False); sel.register(c, selectors.EVENT_READ)
        else:
            try:
                data = key.fileobj.recv(65536)
            except OSError:
                data = b""
            if not data:
                sel.unregister(key.fileobj); key.fileobj.close()
'''

# 1,000 connections from the namespace, each sending 100 bytes a second, spread over the second.
CLIENTS = r'''
import resource, socket, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
conns = []
for i in range(n):
    s = socket.create_connection((host, port)); conns.append(s)
print("connected", flush=True)
payload, slices = b"x" * 100, 100
start = time.monotonic(); k = 0
while True:
    for s in conns[(k % slices) * n // slices:((k % slices) + 1) * n // slices]:
        s.send(payload)
    k += 1
    delay = start + k / slices - time.monotonic()
    if delay > 0:
        time.sleep(delay)
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


def rss_kib(pid):
    """The largest RSS in the process tree (the JVM under the launcher's exec is the tree's root)."""
    best = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        best = max(best, int(line.split()[1]))
        except OSError:
            pass
    return best


def java_pid(pid):
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/comm") as f:
                if f.read().strip() == "java":
                    return p
        except OSError:
            pass
    return None


def sample(pid, seconds):
    """Samples the RSS every half second; returns (highest, last) in KiB."""
    high = last = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        last = rss_kib(pid)
        high = max(high, last)
        time.sleep(0.5)
    return high, last


def start_monitor(name, work, nmt):
    env = dict(os.environ)
    if nmt:
        env["PODHOGS_JAVA_OPTS"] = (env.get("PODHOGS_JAVA_OPTS", "") + " -XX:NativeMemoryTracking=summary").strip()
    out = open(os.path.join(work, f"{name}.out"), "w")
    if name == "cli":
        cmd = ["./podhogs", "-t", "-d", "5", HOST_IF]
    elif name == "agent":
        env.update(PODHOGS_KUBERNETES_MODE="off", PODHOGS_HISTORY_FILE=os.path.join(work, "history.db"),
                   QUARKUS_MANAGEMENT_PORT=str(AGENT_MANAGEMENT_PORT), QUARKUS_HTTP_PORT=str(AGENT_API_PORT))
        cmd = ["./podhogs", "agent"]
    elif name == "nethogs":
        cmd = ["nethogs", "-C", "-t", "-d", "5", HOST_IF]
    else:
        sys.exit(f"memory: unknown monitor {name}: cli, agent or nethogs")
    return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def nmt_summary(pid):
    out = sh(f"jcmd {pid} VM.native_memory summary", check=False).stdout
    rows = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("-") and "committed=" in line:
            name = line[1:line.index("(")].strip()
            committed = int(line.split("committed=")[1].split("KB")[0])
            if committed >= 1024:
                rows.append(f"{name} {committed / 1024:.1f}")
    return ", ".join(rows)


def run(name, args, work):
    sink = subprocess.Popen([sys.executable, "-c", SINK, HOST_V4, str(SINK_PORT)], stdout=subprocess.PIPE, text=True)
    sink.stdout.readline()
    flood_srv = subprocess.Popen(["ip", "netns", "exec", NS, "iperf3", "-s", "-p", str(FLOOD_PORT)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    mon = start_monitor(name, work, args.nmt)
    clients = flood = None
    try:
        time.sleep(args.warmup)
        if mon.poll() is not None:
            sys.exit(f"memory: {name} exited early: see {work}/{name}.out")
        result = {"idle": sample(mon.pid, args.idle)}
        clients = subprocess.Popen(["ip", "netns", "exec", NS, sys.executable, "-c", CLIENTS, HOST_V4,
                                    str(SINK_PORT), str(args.flows)], stdout=subprocess.PIPE, text=True)
        clients.stdout.readline()
        time.sleep(5)
        result["flows"] = sample(mon.pid, args.phase)
        clients.kill(); clients.wait(); clients = None
        flood = subprocess.Popen(["iperf3", "-c", NS_V4, "-p", str(FLOOD_PORT), "-u", "-l", "64", "-b", "60M",
                                  "-t", str(args.phase + 10)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(5)
        result["flood"] = sample(mon.pid, args.phase)
        jvm = java_pid(mon.pid) if args.nmt else None
        if jvm:
            result["nmt"] = nmt_summary(jvm)
        return result
    finally:
        for p in (clients, flood):
            if p is not None:
                p.kill()
                p.wait()
        stop(mon)
        sink.kill(); sink.wait()
        flood_srv.kill(); flood_srv.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--monitor", action="append", choices=["cli", "agent", "nethogs"])
    ap.add_argument("--flows", type=int, default=1000, help="connections of the flows phase (1000)")
    ap.add_argument("--warmup", type=float, default=15, help="seconds after the start (15)")
    ap.add_argument("--idle", type=float, default=20, help="seconds of the idle phase (20)")
    ap.add_argument("--phase", type=float, default=30, help="seconds of the flows and flood phases (30)")
    ap.add_argument("--nmt", action="store_true", help="JVM monitors: native memory tracking at the flood's end")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("memory: run as root (monitors capture, the test creates a namespace)")
    monitors = args.monitor or ["cli", "agent", "nethogs"]
    subprocess.run("timeout 900 ./podhogs --version", shell=True, check=True, stdout=subprocess.DEVNULL)
    setup()
    work = tempfile.mkdtemp(prefix="podhogs-memory.")
    try:
        print("| monitor | idle: high / end (MiB) | 1,000 flows: high / end | flood: high / end |")
        print("|---|---|---|---|")
        for name in monitors:
            r = run(name, args, work)
            cells = [f"{r[p][0] / 1024:.1f} / {r[p][1] / 1024:.1f}" for p in ("idle", "flows", "flood")]
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
            if "nmt" in r:
                print(f"  {name} NMT at the flood's end (MiB committed): {r['nmt']}", flush=True)
    finally:
        teardown()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
