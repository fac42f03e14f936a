#!/usr/bin/env bash
# plugin-query.sh: a kubectl podhogs query's own cost (issue 20, part 4: at most 3x
# `kubectl version --client`), against fabric8's mock API server with two agents answering on this
# machine (src/test/java/io/podhogs/plugin/QueryOverheadBench.java), beside kubectl's own figures.
# Needs kubectl on the PATH. Run from anywhere:  bash bench/plugin-query.sh [RUNS]
# With --classlist FILE instead of RUNS: writes the classes a query loads (the launchers' class
# archive reads launcher/kubectl-query.classlist; regenerate it so after the plugin's code changed).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$here"
[ "${1:-}" = --classlist ] || command -v kubectl >/dev/null || { echo "plugin-query: kubectl is not on the PATH" >&2; exit 2; }
./kubectl-podhogs --version >/dev/null        # builds on first use, makes the class archive
./mvnw -q -B -ntp -o test-compile || ./mvnw -q -B -ntp test-compile
./mvnw -q -B -ntp -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-cp.txt
java -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" io.podhogs.plugin.QueryOverheadBench "${@:-7}"
