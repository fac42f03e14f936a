#!/usr/bin/env bash
# history-recording: what recording the history costs (issue 17), with 10, 1,000 and 10,000 active
# keys: the CPU of the recorder's thread (% of one core), the engine's Ledger.drainUnrecorded beside
# it, and the file's size and rows. A real HistoryRecorder with the default settings, fed one drain a
# real second (it flushes on its own wall-clock timer, every 30 s): about 140 s a key count, 7-8
# minutes in all. Any arguments go to the bench (--keys 10,1000,10000 --window 120 --warmup 15).
#
# The JVM runs with the launcher's options (./podhogs: C1 only, the serial collector, 256 MiB), so
# the numbers are the monitor's. The compiled classes are copied aside first: a build running
# meanwhile (mvn clean) cannot take them away mid-run.
#
# BENCH_JAVA_OPTS adds JVM options (word-split on purpose), e.g. a flight recording:
#   BENCH_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/history.jfr' bash bench/history-recording.sh
#
# Run from anywhere:  bash bench/history-recording.sh
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$here"

./mvnw -o -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >&2

work=$(mktemp -d -t podhogs-history-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r target/classes "$work/classes"
cp -r target/test-classes "$work/test-classes"
cp target/bench.cp "$work/bench.cp"

# shellcheck disable=SC2086
MALLOC_ARENA_MAX=2 java -XX:+UseSerialGC -XX:NewRatio=3 -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 \
  -XX:TieredStopAtLevel=1 -Xms64m -Xmx256m -Xss512k -XX:+ExitOnOutOfMemoryError \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager ${BENCH_JAVA_OPTS:-} \
  -cp "$work/classes:$work/test-classes:$(cat "$work/bench.cp")" \
  io.podhogs.history.HistoryRecordingBench "$@"
