# Sourced by ./podhogs and ./kubectl-podhogs (bash): the class-data archives (AppCDS) they start from.
#
# Why: a short run (--help, --version, kubectl podhogs --help) spent most of its quarter second
# loading classes: opening and reading the 180-odd jars of the class path one by one until the
# class turned up (a class in the last jar opens them all), then verifying picocli's, which is
# Java 5 bytecode and goes through the slow old verifier. The archive holds those classes parsed,
# verified and linked, found without a look into any jar: kubectl podhogs --help 0.24 -> 0.14 s
# (BENCHMARKS.md, "Startup"). A static archive (-Xshare:dump), not a dynamic one: Java 17 leaves
# classes older than Java 6, picocli's, out of a dynamic archive.
#
# An archive is the JVM's own format: it is made by the java on the PATH for that java (its name
# carries the command, the JDK's path and libjvm's date), after a build, from the classes that the
# command's --help loads and, for the command line as root, a monitor's first second, for the plugin
# a query's (kubectl-query.classlist); once (a few seconds), and again when the build or that list is
# newer. A JVM that cannot use it (another JDK, another class path) runs without it, silently
# (-Xlog:cds=off); where target/ is not writable there is no archive, and nothing else changes.

# The class path both launchers run with: an archive is valid only for the class path it was made
# for, in that order.
class_path() {
  local app=$1
  echo "$app/app/*:$app/lib/boot/*:$app/lib/main/*"
}

# Prints the JVM options that use the archive, one a line (none when there is none), making it first
# if needed; read them with mapfile, so that a path with spaces stays one option.
# $1: target/quarkus-app; $2: cli or plugin, whose archive; the rest: the JVM options the launchers
# run with (heap and collector must match the archive's).
#
# One archive a command, not one for both: with ArchiveRelocationMode=1 (Debian's Java 17 default)
# the JVM relocates, so touches, the whole archive at every start, and an archive that held the
# plugin's 4,900 query classes too kept 22 MiB more resident in a running monitor (109-112 MiB
# against 84-87 with the command line's own; BENCHMARKS.md, "Memory").
class_archive_options() {
  local app=$1 kind=$2; shift 2
  local java_bin home dir archive tmp cp main query
  # What a kubectl podhogs query loads, from a run against a mock cluster (bench/plugin-query.sh):
  # the archive is made where no cluster can be asked.
  query="$(dirname "${BASH_SOURCE[0]}")/kubectl-query.classlist"
  java_bin=$(readlink -f "$(command -v java)") || return 0
  home=${java_bin%/bin/java}
  dir="$app/class-archive"
  # Two forks, no more: this runs before every short command.
  archive="$dir/$kind-${home//\//_}-$(stat -c %Y "$home/lib/server/libjvm.so" 2>/dev/null).jsa"
  if [ ! -f "$archive" ] || [ "$app/quarkus-run.jar" -nt "$archive" ] \
      || { [ "$kind" = plugin ] && [ "$query" -nt "$archive" ]; }; then
    mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || return 0
    tmp=$(mktemp "$dir/.making.XXXXXX") || return 0
    cp=$(class_path "$app")
    if [ "$kind" = cli ]; then main=io.podhogs.cli.CliMain; else main=io.podhogs.plugin.KubectlMain; fi
    # --help: what the short runs load, without privileges or a cluster; for the command line as
    # root, a one-second monitor on lo too (it captures, so it needs root), for the first block; for
    # the plugin, a query's classes.
    java "$@" -XX:DumpLoadedClassList="$tmp.help" -cp "$cp" "$main" --help >/dev/null 2>&1
    if [ "$kind" = cli ] && [ "$(id -u)" = 0 ]; then
      # Datagrams to a closed port on lo while it runs: a flow looked up, left unknown, counted and
      # printed, so that the first packets of a real run find those classes here too (without,
      # a monitor's first packet cost it 0.2 s of CPU, mostly loading them from the jars).
      { for _ in 1 2 3 4 5 6; do sleep 0.3; echo podhogs 2>/dev/null >/dev/udp/127.0.0.1/9; done & } 2>/dev/null
      java "$@" -XX:DumpLoadedClassList="$tmp.run" -cp "$cp" "$main" -t -c 3 -d 1 lo >/dev/null 2>&1
    elif [ "$kind" = plugin ]; then
      cat "$query" > "$tmp.run" 2>/dev/null
    fi
    # Without the lambda proxies ("@" lines): Java 17.0.15's dump crashed on them once the monitor's
    # classes were in the list (SystemDictionaryShared::adjust_lambda_proxy_class_dictionary); its
    # crash report goes to a file of ours, not to the user's working directory.
    cat "$tmp.help" "$tmp.run" 2>/dev/null | grep -v '^@' > "$tmp.list"
    if java "$@" -XX:ErrorFile="$tmp.crash" -Xshare:dump -XX:SharedClassListFile="$tmp.list" \
        -XX:SharedArchiveFile="$tmp.jsa" -cp "$cp" >/dev/null 2>&1; then
      # A rename, never a write into the old file: a JVM running from it maps it (SIGBUS otherwise).
      mv -f "$tmp.jsa" "$archive"
      # Archives of other JDKs or builds stay until the next build empties target/.
    fi
    rm -f "$tmp" "$tmp.help" "$tmp.run" "$tmp.list" "$tmp.jsa" "$tmp.crash"
  fi
  [ -f "$archive" ] && printf '%s\n' "-XX:SharedArchiveFile=$archive" -Xlog:cds=off
}
