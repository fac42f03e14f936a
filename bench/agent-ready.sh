#!/usr/bin/env bash
# agent-ready.sh: sourced by the benchmarks that start `./podhogs agent`.
#
#   agent_ready PORT PID LOG     waits (up to 60 s) until the agent answers ready on its management
#                                PORT; if its process PID ends first, or it never answers (then it
#                                is killed: the caller may be a subshell whose cleanup cannot), prints
#                                its LOG and exits 1.

agent_ready() {
  local port=$1 pid=$2 log=$3 _
  for _ in $(seq 120); do
    curl -fs -m 2 -o /dev/null "http://127.0.0.1:$port/q/health/ready" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  echo "agent-ready: the agent did not answer ready on port $port in 60 s" >&2
  cat "$log" >&2
  exit 1
}
