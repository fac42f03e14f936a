#!/usr/bin/env python3
"""scale: podhogs on a node of many pods (issue 20, part 6), and nethogs on the same rig.

The rig: NS network namespaces ("pods") on a bridge, each behind a veth of its own, with an address
of 10.253.0.0/16; the host holds 10.253.0.1 on the bridge and runs the server (two processes
sharing the port). In each pod, a process that spawns the others (it holds no socket itself):

  holder    holds FLOWS/NS TCP connections to the server open, opened evenly over the ramp, and
            sends 64 bytes on each every 10 s (the server does not answer them)
  clients   a new process every second, which makes RATE/NS short connections (connect, 200
            bytes, the server's 200-byte answer, close) and exits: processes come and go
  churn     with CHURN > 0, CHURN pods a second are deleted (namespace, veth, processes) and
            made anew, with fresh namespaces (new inodes) and new processes

The rig's own traffic is marked NOTRACK in the host's raw table (--conntrack track instead keeps it
tracked, with nf_conntrack_max raised to fit, to measure what reading a large conntrack table costs
podhogs). The monitor starts before the pods; once the held connections are open and a settle time
has passed, a window of --seconds is measured:

  cpu         the monitor's CPU, % of a core; for podhogs also by thread: capture, engine,
              conntrack, the rest (collector, compiler, HTTP)
  rss         its resident memory at the window's end and the highest seen
  latency     p50 and p99 of the time from a flow's first packet to its process known, from
              podhogs_attribution_latency_seconds (bucket bounds: 1, 2, 5, 10, 20, 50 ... ms),
              of the flows settled within the window
  shares      of the bytes podhogs counted in the window: found by their sockets (exact), inferred,
              unknown (no socket found), untracked (beyond the flow bound); nethogs: the share of
              its rows that name a process (it keeps no other count)
  drops       frames the kernel dropped before the monitor read them (podhogs's own count)
  work        connections held (the server's count), new connections a second (its accepts),
              pods and processes made a second, the flows the monitor tracks, conntrack entries

Points (--point ns=250,flows=100000,rate=5000,churn=1; repeatable), or curves (--curve, repeatable):
  target      the issue's rig: 250 pods, 100,000 connections held, 5,000 new a second, a pod a second
  flows       250 pods, 1,000 to 100,000 connections held, 1,000 new a second
  namespaces  10 to 250 pods, 10,000 held, 1,000 new a second
  churn       250 pods, 10,000 held, 0 to 5,000 new a second, with and without a pod a second
  conntrack   the target point with the rig's traffic tracked by conntrack
Each point is a fresh rig and a fresh monitor.

Monitors (--monitor, repeatable):
  agent    ./podhogs agent  (every interface, Kubernetes off, its own ports and history file; the
                             chart's heap: -Xmx384m, 75% of its 512 MiB limit, unless --heap)
  nethogs  nethogs -t -v 2 -d 1   (every device up at its start, once the pods are made: it
                                  opens none later, so pods made anew by churn are not seen)

Run as root from the project root:  python3 bench/scale.py --curve target --monitor agent --monitor nethogs
"""
import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

BRIDGE, HOST_V4, PORT = "phscbr", "10.253.0.1", 7100
AGENT_API_PORT, AGENT_METRICS_PORT = 19850, 19851
HOLD_INTERVAL_S = 10
BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000]

CURVES = {
    "target": [dict(ns=250, flows=100_000, rate=5000, churn=1)],
    "flows": [dict(ns=250, flows=f, rate=1000, churn=0) for f in (1_000, 25_000, 50_000, 100_000)],
    "namespaces": [dict(ns=n, flows=10_000, rate=1000, churn=0) for n in (10, 50, 125, 250)],
    "churn": [dict(ns=250, flows=10_000, rate=r, churn=c) for r, c in ((0, 0), (1000, 0), (2500, 0), (5000, 0),
                                                                      (5000, 1))],
    "conntrack": [dict(ns=250, flows=100_000, rate=5000, churn=1, conntrack="track")],
}

SERVER = r'''
import os, resource, select, socket, sys, time
addr, port, procs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
idx = 0
for i in range(1, procs):
    if os.fork() == 0:
        idx = i
        break
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
ls.bind((addr, port))
ls.listen(65535)
ls.setblocking(False)
ep = select.epoll()
ep.register(ls.fileno(), select.EPOLLIN)
conns, accepted, closed, received = {}, 0, 0, 0
answer = b"R" * 200
last = time.monotonic()
def say(line):
    os.write(1, (line + "\n").encode())  # one write a line: the processes share the pipe

say(f"{idx} ready")
while True:
    for fd, _ in ep.poll(0.25, 4096):
        if fd == ls.fileno():
            while True:
                try:
                    c, _ = ls.accept()
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:
                    break
                c.setblocking(False)
                conns[c.fileno()] = c
                ep.register(c.fileno(), select.EPOLLIN)
                accepted += 1
            continue
        c = conns.get(fd)
        if c is None:
            continue
        try:
            d = c.recv(65536)
        except (BlockingIOError, InterruptedError):
            continue
        except OSError:
            d = b""
        if d:
            received += len(d)
            if d[:1] == b"S":
                try:
                    c.send(answer)
                except OSError:
                    pass
        else:
            ep.unregister(fd)
            c.close()
            del conns[fd]
            closed += 1
    now = time.monotonic()
    if now - last >= 1:
        say(f"{idx} {len(conns)} {accepted} {closed} {received}")
        last = now
'''

# Runs in a pod's namespace: the spawner. It holds no socket, so that the processes it forks hold
# only their own.
WORKER = r'''
import os, resource, signal, socket, sys, time
server, port, held, per_sec, ramp, interval = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

def connect():
    s = socket.socket()
    try:
        s.connect((server, port))
        return s
    except OSError:
        s.close()
        return None

def holder():
    start = time.monotonic()
    conns = []
    for i in range(held):
        delay = start + ramp * i / max(held, 1) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        s = connect()
        if s is not None:
            conns.append(s)
    payload = b"p" * 64
    tick = 0.1
    per_tick = max(1, int(len(conns) * tick / interval + 0.999)) if conns else 0
    k = 0
    next_t = time.monotonic()
    while True:
        next_t += tick
        for _ in range(per_tick):
            if not conns:
                break
            k %= len(conns)
            try:
                conns[k].send(payload)
            except OSError:
                conns[k].close()
                s = connect()
                if s is None:
                    conns.pop(k)
                    continue
                conns[k] = s
            k += 1
        delay = next_t - time.monotonic()
        if delay > 0:
            time.sleep(delay)

def clients(n):
    request = b"S" * 200
    for _ in range(n):
        s = connect()
        if s is None:
            continue
        try:
            s.sendall(request)
            got = 0
            while got < 200:
                d = s.recv(200 - got)
                if not d:
                    break
                got += len(d)
        except OSError:
            pass
        s.close()

if os.fork() == 0:
    holder()
    os._exit(0)
signal.signal(signal.SIGCHLD, signal.SIG_DFL)
carry = 0.0
next_t = time.monotonic() + ramp
while True:
    delay = next_t - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    next_t += 1
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass
    carry += per_sec
    n = int(carry)
    carry -= n
    if n and os.fork() == 0:
        try:
            clients(n)
        finally:
            os._exit(0)
'''


def sh(cmd, check=True):
    return subprocess.run(cmd, shell=True, check=check, text=True, capture_output=True)


def pod_name(i):
    return f"phsc{i}"


def pod_v4(i):
    return f"10.253.{1 + i // 250}.{2 + i % 250}"


class Rig:
    """The bridge, the pods and their processes, the server; torn down whole by close()."""

    def __init__(self, point, ramp):
        self.point = point
        self.ramp = ramp
        self.workers = {}
        self.made = 0  # pods made anew by churn
        self.server = None
        self.server_stats = {}
        self.saved_sysctl = {}
        self.rules = []

    def held_per_pod(self):
        return self.point["flows"] // self.point["ns"]

    def rate_per_pod(self):
        return self.point["rate"] / self.point["ns"]

    def up(self):
        cleanup()
        # An address of its own: a bridge without one takes its lowest port's, which changes as pods
        # come, and pods that asked for it before would send to a stale address.
        sh(f"ip link add {BRIDGE} address 02:53:00:00:00:01 type bridge")
        sh(f"sysctl -qw net.ipv6.conf.{BRIDGE}.disable_ipv6=1")
        sh(f"ip addr add {HOST_V4}/16 dev {BRIDGE}")
        sh(f"ip link set {BRIDGE} up")
        if self.point.get("conntrack", "notrack") == "notrack":
            for rule in (f"PREROUTING -s 10.253.0.0/16 -j NOTRACK", f"OUTPUT -d 10.253.0.0/16 -j NOTRACK"):
                sh(f"iptables -t raw -I {rule}")
                self.rules.append(f"iptables -t raw -D {rule}")
        else:
            # Room for every connection held, the short ones in TIME_WAIT (120 s) and the rest.
            need = self.point["flows"] + self.point["rate"] * 150 + 65536
            self.sysctl("net.netfilter.nf_conntrack_max", need)
            self.sysctl("net.netfilter.nf_conntrack_buckets", need // 4)
        # A bridge's frames go through iptables only with br_netfilter; traffic between pods is
        # not used, but accept the bridge's own in case Docker's FORWARD policy (DROP) applies.
        sh(f"iptables -I FORWARD -i {BRIDGE} -o {BRIDGE} -j ACCEPT")
        self.rules.append(f"iptables -D FORWARD -i {BRIDGE} -o {BRIDGE} -j ACCEPT")
        # Processes enough that each holds its share under the open-files limit (a container's
        # hard limit may be as low as 20,000, and raising it takes CAP_SYS_RESOURCE).
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        procs = max(2, -(-(self.point["flows"] + self.point["rate"]) * 3 // 2 // max(hard - 100, 1000)))
        self.server = subprocess.Popen(["python3", "-c", SERVER, HOST_V4, str(PORT), str(procs)], stdout=subprocess.PIPE,
                                       text=True, start_new_session=True)
        threading.Thread(target=self.read_server, daemon=True).start()
        for i in range(self.point["ns"]):
            self.add_pod(i)

    def sysctl(self, name, value):
        path = "/proc/sys/" + name.replace(".", "/")
        with open(path) as f:
            self.saved_sysctl.setdefault(path, f.read().strip())
        with open(path, "w") as f:
            f.write(str(value))

    def read_server(self):
        for line in self.server.stdout:
            parts = line.split()
            if len(parts) == 5 and all(p.isdigit() for p in parts):
                self.server_stats[parts[0]] = [int(x) for x in parts[1:]]

    def totals(self):
        """Connections open, accepted, closed, bytes received: the server's processes summed."""
        return [sum(v[k] for v in list(self.server_stats.values())) for k in range(4)]

    def add_pod(self, i, ramp=None):
        ns, host_if = pod_name(i), pod_name(i) + "h"
        script = "\n".join([
            f"netns add {ns}",
            f"link add {host_if} type veth peer name eth0 netns {ns}",
            f"link set {host_if} master {BRIDGE}",
        ])
        subprocess.run(["ip", "-batch", "-"], input=script, text=True, check=True, capture_output=True)
        with open(f"/proc/sys/net/ipv6/conf/{host_if}/disable_ipv6", "w") as f:
            f.write("1")
        sh(f"ip link set {host_if} up")
        inside = "\n".join([
            f"addr add {pod_v4(i)}/16 dev eth0",
            "link set lo up",
            "link set eth0 up",
            f"route add default via {HOST_V4}",
        ])
        # No IPv6 in the pod: its router solicitations would be traffic of their own.
        subprocess.run(["ip", "netns", "exec", ns, "sh", "-c",
                        "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 && ip -batch -"],
                       input=inside, text=True, check=True, capture_output=True)
        self.workers[i] = subprocess.Popen(
            ["ip", "netns", "exec", ns, "python3", "-c", WORKER, HOST_V4, str(PORT), str(self.held_per_pod()),
             str(self.rate_per_pod()), str(self.ramp if ramp is None else ramp), str(HOLD_INTERVAL_S)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def del_pod(self, i):
        w = self.workers.pop(i, None)
        if w is not None:
            try:
                os.killpg(w.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            w.wait()
            time.sleep(0.1)  # the closed connections' FINs out before the link goes
        sh(f"ip link del {pod_name(i)}h", check=False)
        sh(f"ip netns del {pod_name(i)}", check=False)

    def churn_once(self, i):
        """Pod i deleted and made anew: its connections opened at once, its clients as before."""
        self.del_pod(i)
        self.add_pod(i, ramp=0.5)
        self.made += 1

    def close(self):
        for i in list(self.workers):
            w = self.workers.pop(i)
            try:
                os.killpg(w.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            w.wait()
        if self.server is not None:
            try:
                os.killpg(self.server.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.server.wait()
        cleanup()
        for rule in self.rules:
            sh(rule, check=False)
        for path, value in self.saved_sysctl.items():
            with open(path, "w") as f:
                f.write(value)


def cleanup():
    """Whatever a rig left (this run's or an interrupted one's)."""
    for line in sh("ip netns list", check=False).stdout.splitlines():
        name = line.split()[0] if line.strip() else ""
        if re.fullmatch(r"phsc\d+", name):
            sh(f"ip netns pids {name} | xargs -r kill -9", check=False)
            sh(f"ip netns del {name}", check=False)
    for line in sh("ip -o link show", check=False).stdout.splitlines():
        m = re.match(r"\d+: (phsc\d+h)[@:]", line)
        if m:
            sh(f"ip link del {m.group(1)}", check=False)
    sh(f"ip link del {BRIDGE}", check=False)


# ---- the monitor ----------------------------------------------------------------------------

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


def thread_ticks(pid):
    """CPU ticks by thread group: capture, engine, conntrack, and the rest of the whole process tree
    (from the processes' totals, which keep the time of threads that ended)."""
    groups = {"capture": 0, "engine": 0, "conntrack": 0, "rest": 0}
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            tids = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tids:
            try:
                with open(f"/proc/{p}/task/{t}/stat") as f:
                    raw = f.read()
            except OSError:
                continue
            comm = raw[raw.index("(") + 1:raw.rindex(")")]
            fields = raw.rsplit(")", 1)[1].split()
            ticks = int(fields[11]) + int(fields[12])
            group = ("capture" if comm.startswith("podhogs-capture") else "engine" if comm == "podhogs-engine"
                     else "conntrack" if comm.startswith("podhogs-conntra") else None)
            if group:
                groups[group] += ticks
    groups["rest"] = total - sum(groups.values())
    return groups


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


def scrape():
    with urllib.request.urlopen(f"http://127.0.0.1:{AGENT_METRICS_PORT}/metrics", timeout=10) as r:
        return r.read().decode()


def metric_sum(text, name, **labels):
    total = 0.0
    for m in re.finditer(r"^" + re.escape(name) + r"(\{[^}]*\})? (\S+)$", text, re.M):
        have = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1) or ""))
        if all(have.get(k) == v for k, v in labels.items()):
            total += float(m.group(2))
    return total


class AgentReadings:
    """What the agent's /metrics say at one moment, for the differences over a window."""

    def __init__(self, text):
        self.buckets = [metric_sum(text, "podhogs_attribution_latency_seconds_bucket", le=str(b / 1000.0))
                        for b in BOUNDS_MS] + [metric_sum(text, "podhogs_attribution_latency_seconds_bucket", le="+Inf")]
        self.exact = metric_sum(text, "podhogs_attributed_bytes_total", how="exact")
        self.inferred = metric_sum(text, "podhogs_attributed_bytes_total", how="inferred")
        self.unknown = metric_sum(text, "podhogs_unknown_bytes_total")
        self.untracked = metric_sum(text, "podhogs_untracked_bytes_total")
        self.drops = metric_sum(text, "podhogs_capture_kernel_drops_total")
        self.flows = metric_sum(text, "podhogs_flows_tracked")
        self.max_flows = metric_sum(text, "podhogs_flows_max")
        self.skipped = metric_sum(text, "podhogs_lookups_skipped_total")
        self.expired = metric_sum(text, "podhogs_lookups_expired_total")
        self.namespaces = metric_sum(text, "podhogs_network_namespaces")
        self.socket_read_s = metric_sum(text, "podhogs_socket_table_read_seconds")
        self.fd_scan_s = metric_sum(text, "podhogs_fd_scan_seconds")


def quantile_ms(deltas, q):
    """The upper bound of the bucket holding quantile q, from cumulative bucket deltas; None without flows."""
    total = deltas[-1]
    if total <= 0:
        return None
    rank = q * total
    for b, bound in enumerate(BOUNDS_MS):
        if deltas[b] >= rank:
            return bound
    return f">{BOUNDS_MS[-1]}"


def start_monitor(kind, work, heap):
    env = dict(os.environ)
    if kind == "agent":
        env.update(QUARKUS_HTTP_PORT=str(AGENT_API_PORT), QUARKUS_MANAGEMENT_PORT=str(AGENT_METRICS_PORT),
                   PODHOGS_KUBERNETES_MODE="off", PODHOGS_HISTORY_FILE=os.path.join(work, "history.db"))
        env["PODHOGS_JAVA_OPTS"] = (env.get("PODHOGS_JAVA_OPTS", "") + f" -Xmx{heap}").strip()
        cmd = ["./podhogs", "agent"]
    elif kind == "nethogs":
        cmd = ["nethogs", "-t", "-v", "2", "-d", "1"]
    else:
        sys.exit(f"scale: unknown monitor {kind}: agent or nethogs")
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE if kind == "nethogs" else subprocess.DEVNULL,
                            stderr=open(os.path.join(work, kind + ".err"), "w"), text=True, start_new_session=True)


def wait_agent_ready(proc, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"scale: the agent ended at its start (status {proc.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{AGENT_METRICS_PORT}/q/health/ready", timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            pass
        time.sleep(0.5)
    sys.exit("scale: the agent was not ready in 2 minutes")


class NethogsRows:
    """nethogs -t -v 2: each refresh's rows, program/pid/uid and the bytes it sent and received."""

    def __init__(self, proc):
        self.rows = {}
        self.lock = threading.Lock()
        threading.Thread(target=self.read, args=(proc,), daemon=True).start()

    def read(self, proc):
        for line in proc.stdout:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                try:
                    sent, received = float(parts[1]), float(parts[2])
                except ValueError:
                    continue
                with self.lock:
                    self.rows[parts[0]] = sent + received

    def copy(self):
        with self.lock:
            return dict(self.rows)


def owned_share(before, after):
    """Of the bytes nethogs's rows grew by in the window, the share of rows that name a process."""
    owned = total = 0.0
    for key, value in after.items():
        grew = value - before.get(key, 0.0)
        if grew <= 0:
            continue
        total += grew
        if not key.startswith("unknown"):
            owned += grew
    return None if total == 0 else round(100.0 * owned / total, 2)


def machine_ticks():
    """(busy, total) ticks of every CPU, from /proc/stat: how loaded the machine was."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def conntrack_count():
    try:
        with open("/proc/sys/net/netfilter/nf_conntrack_count") as f:
            return int(f.read())
    except OSError:
        return None


def run_point(kind, point, args):
    work = tempfile.mkdtemp(prefix="scale-")
    rig = Rig(point, args.ramp)
    mon = None
    try:
        # podhogs starts first and sees the pods come; nethogs opens the devices there are when it
        # starts (none later), so it starts once the pods are there.
        if kind == "agent":
            mon = start_monitor(kind, work, args.heap)
            wait_agent_ready(mon)
        setup_start = time.monotonic()
        rig.up()
        setup_s = time.monotonic() - setup_start
        nethogs = None
        if kind == "nethogs":
            mon = start_monitor(kind, work, args.heap)
            nethogs = NethogsRows(mon)
        time.sleep(args.ramp + args.settle)
        if mon.poll() is not None:
            sys.exit(f"scale: {kind} ended before the window (status {mon.returncode})")
        hz = os.sysconf("SC_CLK_TCK")
        t0 = time.monotonic()
        ticks0 = thread_ticks(mon.pid)
        machine0 = machine_ticks()
        server0 = rig.totals()
        made0 = rig.made
        agent0 = AgentReadings(scrape()) if kind == "agent" else None
        rows0 = nethogs.copy() if nethogs else None
        peak = 0
        next_churn = t0
        churn_index = 0
        while time.monotonic() - t0 < args.seconds:
            peak = max(peak, rss_kib(mon.pid))
            if point["churn"] and time.monotonic() >= next_churn:
                for _ in range(point["churn"]):
                    rig.churn_once(churn_index % point["ns"])
                    churn_index += 1
                next_churn += 1.0
            time.sleep(0.2)
        elapsed = time.monotonic() - t0
        ticks1 = thread_ticks(mon.pid)
        machine1 = machine_ticks()
        server1 = rig.totals()
        agent1 = AgentReadings(scrape()) if kind == "agent" else None
        rows1 = nethogs.copy() if nethogs else None
        rss = rss_kib(mon.pid)
        peak = max(peak, rss)
        cpu = {g: round(100.0 * (ticks1[g] - ticks0[g]) / hz / elapsed, 1) for g in ticks0}
        result = {
            "monitor": kind, **point, "setup_s": round(setup_s, 1),
            "held": server1[0], "new_per_s": round((server1[1] - server0[1]) / elapsed),
            "pods_made_per_s": round((rig.made - made0) / elapsed, 2),
            # A client process a second in each pod with a connection due (fewer when RATE < NS), and
            # a spawner and a holder in each pod made anew.
            "processes_per_s": round(point["ns"] * min(1.0, point["rate"] / point["ns"])
                                     + 2 * (rig.made - made0) / elapsed, 1),
            "cpu_pct": round(sum(cpu.values()), 1), "cpu_by_thread": cpu if kind == "agent" else None,
            "rss_mib": rss // 1024, "rss_peak_mib": peak // 1024, "conntrack_entries": conntrack_count(),
            # The whole machine's CPU in use (all cores, 100 = every core busy): the rig and the
            # monitor share the machine, and a monitor starved of CPU falls behind.
            "machine_busy_pct": round(100.0 * (machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1]), 1),
        }
        if kind == "agent":
            deltas = [b1 - b0 for b0, b1 in zip(agent0.buckets, agent1.buckets)]
            counted = {k: getattr(agent1, k) - getattr(agent0, k) for k in ("exact", "inferred", "unknown", "untracked")}
            total = sum(counted.values())
            result.update({
                "settled_per_s": round(deltas[-1] / elapsed), "latency_p50_ms": quantile_ms(deltas, 0.5),
                "latency_p99_ms": quantile_ms(deltas, 0.99),
                **{f"{k}_pct": (round(100.0 * v / total, 2) if total else None) for k, v in counted.items()},
                "bytes_counted": int(total), "kernel_drops": int(agent1.drops - agent0.drops),
                "flows_tracked": int(agent1.flows), "flows_max": int(agent1.max_flows),
                "lookups_skipped": int(agent1.skipped - agent0.skipped),
                "lookups_expired": int(agent1.expired - agent0.expired), "namespaces_seen": int(agent1.namespaces),
                "socket_read_s": round(agent1.socket_read_s, 4), "fd_scan_s": round(agent1.fd_scan_s, 4),
            })
        else:
            result["nethogs_owned_pct"] = owned_share(rows0, rows1)
        return result
    finally:
        if mon is not None and mon.poll() is None:
            os.killpg(mon.pid, signal.SIGTERM)
            try:
                mon.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(mon.pid, signal.SIGKILL)
                mon.wait()
        rig.close()


def parse_point(text):
    point = {"ns": 250, "flows": 100_000, "rate": 5000, "churn": 1}
    for part in text.split(","):
        key, _, value = part.partition("=")
        if key not in ("ns", "flows", "rate", "churn", "conntrack"):
            sys.exit(f"scale: unknown point field {key!r}: ns, flows, rate, churn, conntrack")
        point[key] = value if key == "conntrack" else int(value)
    if not 1 <= point["ns"] <= 2500:
        sys.exit("scale: ns must be 1 to 2500")
    return point


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--monitor", action="append", default=[], help="agent or nethogs (repeatable; default agent)")
    ap.add_argument("--curve", action="append", default=[], choices=sorted(CURVES), help="a preset list of points")
    ap.add_argument("--point", action="append", default=[], help="ns=N,flows=N,rate=N,churn=N[,conntrack=track]")
    ap.add_argument("--seconds", type=float, default=30, help="the measured window")
    ap.add_argument("--ramp", type=float, default=20, help="seconds over which the held connections open")
    ap.add_argument("--settle", type=float, default=15, help="seconds between the ramp's end and the window")
    ap.add_argument("--heap", default="384m", help="the agent's -Xmx (the chart's: 75%% of 512 MiB)")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("scale: run as root (it makes namespaces, veths and a bridge)")
    # Interrupted (Ctrl-C, SIGTERM): the rig is still taken down (cleanup() in the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    points = [p for c in args.curve for p in CURVES[c]] + [parse_point(p) for p in args.point]
    if not points:
        points = CURVES["target"]
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        for point in points:
            for kind in args.monitor or ["agent"]:
                print(json.dumps(run_point(kind, point, args)), flush=True)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
