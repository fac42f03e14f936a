package io.podhogs.cli;

import io.podhogs.attribution.ProcessReader;
import io.podhogs.host.HostFiles;
import java.util.Optional;

/**
 * When the user launched this process, on {@link System#nanoTime()}'s scale: its fork, as
 * /proc/self/stat gives it (clock ticks since boot), against /proc/uptime (seconds since boot, to
 * the hundredth). The launcher's checks and the JVM's start are in it: it is the moment the user
 * pressed Enter.
 *
 * <p>Why: a trace's blocks are due a refresh apart from the launch, as nethogs's are from its
 * start. podhogs takes about 0.6 s to begin capturing (the JVM, the options, the log, the engine);
 * counted from the capture's start, every block came that much later than the user asked for, the
 * first 1.65 s after `podhogs -t -d 1` was typed (bench/first-block.sh). The first block then
 * covers a little less than a refresh: what was captured since the capture began.
 */
final class LaunchTime {
    /** USER_HZ, the unit of /proc/PID/stat's times: 100 on every architecture the kernel builds for. */
    static final long TICKS_PER_SECOND = 100;
    /** A launch longer ago than this is not believed (a /proc that says otherwise is not this process's). */
    static final long MOST_NANOS = 60_000_000_000L;

    private LaunchTime() {
    }

    /** The launch on System.nanoTime()'s scale; now, where /proc cannot tell. */
    static long nanos(HostFiles host) {
        long now = System.nanoTime();
        // "self", not our PID: a /proc of another PID namespace (a container's view of the host's)
        // resolves self to this process, where getpid() names another one there.
        return now - sinceLaunch(host, "self").orElse(0L);
    }

    /** How long ago process {@code pid} ("self" too) was launched, in nanoseconds; empty where /proc cannot tell. */
    static Optional<Long> sinceLaunch(HostFiles host, String pid) {
        long startTicks = host.read(host.proc(pid, "stat")).map(ProcessReader::startTimeOf).orElse(-1L);
        Optional<Long> uptime = host.read(host.proc("uptime")).flatMap(LaunchTime::centiseconds);
        if (startTicks < 0 || uptime.isEmpty()) {
            return Optional.empty();
        }
        long centiseconds = uptime.get() - startTicks * (100 / TICKS_PER_SECOND);
        // Compared before it is scaled: a nonsense start time cannot overflow into the range.
        return centiseconds >= 0 && centiseconds <= MOST_NANOS / 10_000_000L
                ? Optional.of(centiseconds * 10_000_000L) : Optional.empty();
    }

    /** /proc/uptime's first field ("12345.67"), in hundredths of a second. */
    static Optional<Long> centiseconds(String uptime) {
        String[] fields = uptime.trim().split("\\s+");
        int dot = fields[0].indexOf('.');
        try {
            if (dot < 0) {
                return Optional.of(Long.parseLong(fields[0]) * 100);
            }
            String fraction = (fields[0].substring(dot + 1) + "00").substring(0, 2);
            return Optional.of(Long.parseLong(fields[0].substring(0, dot)) * 100 + Long.parseLong(fraction));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
