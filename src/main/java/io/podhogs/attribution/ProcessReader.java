package io.podhogs.attribution;

import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.CgroupPaths;
import java.util.Optional;

/** Reads one process's identity from /proc/PID: its names, its user, and its cgroup's container. */
public final class ProcessReader {
    private final HostFiles host;

    public ProcessReader(HostFiles host) {
        this.host = host;
    }

    /** Start time in clock ticks since boot, or -1 when the process is gone. */
    public long startTime(int pid) {
        return host.read(host.proc(Integer.toString(pid), "stat")).map(ProcessReader::startTimeOf).orElse(-1L);
    }

    static long startTimeOf(String stat) {
        // The command name (field 2) may hold spaces and parentheses: fields count from the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] rest = stat.substring(close + 2).trim().split(" ");
        // rest[0] is field 3 (state), so field 22 (starttime) is rest[19].
        try {
            return rest.length > 19 ? Long.parseLong(rest[19]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public Optional<ProcessInfo> read(int pid) {
        String dir = Integer.toString(pid);
        long startTime = startTime(pid);
        if (startTime < 0) {
            return Optional.empty();
        }
        int uid = host.lines(host.proc(dir, "status")).stream()
                .filter(l -> l.startsWith("Uid:"))
                .findFirst()
                .map(l -> l.substring(4).trim().split("\\s+")[0])
                .map(ProcessReader::parseIntOrMinusOne)
                .orElse(-1);
        String comm = host.read(host.proc(dir, "comm")).map(String::strip).orElse("");
        String raw = host.read(host.proc(dir, "cmdline")).orElse("");
        String[] words = raw.isEmpty() ? new String[0] : raw.split("\0");
        String program = words.length > 0 && !words[0].isEmpty() ? words[0] : comm;
        CgroupIdentity cgroup = cgroup(pid);
        return Optional.of(new ProcessInfo(pid, startTime, uid, program, java.util.Arrays.asList(words), comm, cgroup));
    }

    /** The container and pod the process's cgroup path names. */
    public CgroupIdentity cgroup(int pid) {
        return CgroupPaths.parse(host.lines(host.proc(Integer.toString(pid), "cgroup")));
    }

    private static int parseIntOrMinusOne(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
