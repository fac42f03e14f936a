#!/usr/bin/env bash
# topview-connections: the top view's CPU with 10,000 connections (issue 19), in a terminal of its
# own (a detached tmux pane, 200x50), refreshing every second: CPU (% of one core) of the podhogs
# process over a window after a warm-up, in three states, each on a fresh run:
#   idle        the same veth, no connections: the view's floor;
#   table       10,000 open connections of one process, each sending 100 bytes a second, the table;
#   drilled     the same, Enter on that process: its 10,000 connections sorted, the lines that fit
#               formatted, the engine copying its connections every second.
# The connections: one client process on this host to one server in a network namespace behind a
# veth (10.203.0.0/24), both python3 with selectors; the script makes and removes the namespace,
# the veth and their addresses. About 4 minutes with the defaults.
#
# Run as root from anywhere:  bash bench/topview-connections.sh [CONNECTIONS [WARMUP_S [WINDOW_S]]]
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$here"
connections=${1:-10000}; warmup=${2:-20}; window=${3:-30}

[ "$(id -u)" = 0 ] || { echo "topview-connections: run as root (podhogs captures)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "topview-connections: needs tmux" >&2; exit 2; }
timeout 900 ./podhogs --version >/dev/null   # builds on first use

ns=phbench-tv; host_if=phtv0; peer_if=phtv1
work=$(mktemp -d -t podhogs-topview.XXXXXX)
server=; client=
cleanup() {
  tmux -L phbench kill-server 2>/dev/null || true
  [ -n "$client" ] && kill "$client" 2>/dev/null || true
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  ip link del "$host_if" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns"
ip link add "$host_if" type veth peer name "$peer_if" netns "$ns"
ip addr add 10.203.0.1/24 dev "$host_if"; ip link set "$host_if" up
ip -n "$ns" addr add 10.203.0.2/24 dev "$peer_if"; ip -n "$ns" link set "$peer_if" up; ip -n "$ns" link set lo up

cat > "$work/server.py" <<'PY'
import selectors, socket, sys
sel = selectors.DefaultSelector()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.203.0.2", 5990)); s.listen(4096); s.setblocking(False)
sel.register(s, selectors.EVENT_READ)
print("ready", flush=True)
while True:
    for key, _ in sel.select():
        if key.fileobj is s:
            c, _ = s.accept(); c.setblocking(False); sel.register(c, selectors.EVENT_READ)
        else:
            try:
                data = key.fileobj.recv(65536)
            except OSError:
                data = b""
            if not data:
                sel.unregister(key.fileobj); key.fileobj.close()
PY
cat > "$work/client.py" <<'PY'
import socket, sys, time
n = int(sys.argv[1])
conns = []
for i in range(n):
    c = socket.create_connection(("10.203.0.2", 5990)); c.setblocking(False); conns.append(c)
print("ready", flush=True)
payload = b"x" * 100
while True:  # each connection sends 100 bytes a second, spread over the second
    start = time.monotonic()
    for i, c in enumerate(conns):
        try:
            c.send(payload)
        except BlockingIOError:
            pass
        if i % 500 == 499:
            time.sleep(max(0, start + (i + 1) / n - time.monotonic()))
    time.sleep(max(0, start + 1 - time.monotonic()))
PY

ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# One run of the top view in a fresh pane; $1: keys typed after the warm-up's start ("" or "drill").
# Prints the CPU % of one core over the window.
measure() {
  tmux -L phbench kill-server 2>/dev/null || true
  tmux -L phbench new-session -d -x 200 -y 50 "exec ./podhogs -d 1 $host_if"
  local pid i
  for i in $(seq 120); do
    pid=$(tmux -L phbench list-panes -F '#{pane_pid}' 2>/dev/null | head -1)  # the launcher execs the JVM
    [ -n "$pid" ] && tmux -L phbench capture-pane -p | grep -q PID && break
    sleep 0.5
  done
  [ -n "$pid" ] || { echo "topview-connections: the top view did not start" >&2; tmux -L phbench capture-pane -p >&2; exit 1; }
  if [ "$1" = drill ]; then
    sleep 3
    tmux -L phbench send-keys s   # the client sends the most: its row first
    sleep 2
    tmux -L phbench send-keys Enter
    sleep 2
    tmux -L phbench capture-pane -p | grep -q "connections of" || { echo "topview-connections: no drill-down" >&2;
      tmux -L phbench capture-pane -p >&2; exit 1; }
  fi
  sleep "$warmup"
  local t0 t1
  t0=$(ticks "$pid"); sleep "$window"; t1=$(ticks "$pid")
  tmux -L phbench capture-pane -p > "$work/last-screen-$1.txt"
  tmux -L phbench send-keys q; sleep 2
  tmux -L phbench kill-server 2>/dev/null || true
  awk -v a="$t0" -v b="$t1" -v hz="$hz" -v w="$window" 'BEGIN { printf "%.1f", 100 * (b - a) / hz / w }'
}

idle=$(measure "")
ulimit -n "$(ulimit -Hn)"  # a descriptor a connection, on each side
[ "$(ulimit -n)" -gt $((connections + 100)) ] || { echo "topview-connections: $connections connections need more than"\
  "$(ulimit -n) open files (ulimit -Hn)" >&2; exit 2; }
ip netns exec "$ns" python3 -u "$work/server.py" > "$work/server.out" 2>&1 & server=$!
sleep 1
python3 -u "$work/client.py" "$connections" > "$work/client.out" 2>&1 & client=$!
for i in $(seq 120); do grep -q ready "$work/client.out" && break; sleep 0.5; done
grep -q ready "$work/client.out" || { echo "topview-connections: the client did not connect" >&2; cat "$work/client.out" >&2; exit 1; }
table=$(measure "")
drilled=$(measure drill)
echo "| state | podhogs CPU, % of one core |"
echo "|---|---|"
echo "| idle (no connections) | $idle |"
echo "| table, $connections connections of one process | $table |"
echo "| drilled into that process (its connections among the host's busiest 10,000 listed) | $drilled |"
head -5 "$work/last-screen-drill.txt" | cut -c1-160
