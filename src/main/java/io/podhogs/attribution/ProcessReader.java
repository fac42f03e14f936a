package io.podhogs.attribution;

import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.CgroupPaths;
import java.util.List;
import java.util.Optional;
import java.util.Arrays;

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
        if (close < 0 || close + 2 > stat.length()) {
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
        Optional<String> stat = host.read(host.proc(dir, "stat"));
        if (stat.isEmpty()) {
            return Optional.empty();
        }
        return parse(pid, stat.get(), host.lines(host.proc(dir, "status")),
                host.read(host.proc(dir, "comm")).orElse(""), host.read(host.proc(dir, "cmdline")).orElse(""),
                host.lines(host.proc(dir, "cgroup")));
    }

    /** A process from the text of its stat, status, comm, cmdline and cgroup files; empty without a start time. */
    static Optional<ProcessInfo> parse(int pid, String stat, List<String> status, String commText, String raw,
                                       List<String> cgroupLines) {
        long startTime = startTimeOf(stat);
        if (startTime < 0) {
            return Optional.empty();
        }
        int uid = status.stream()
                .filter(l -> l.startsWith("Uid:"))
                .findFirst()
                .map(l -> l.substring(4).trim().split("\\s+")[0])
                .map(ProcessReader::parseIntOrMinusOne)
                .orElse(-1);
        int nul = commText.indexOf('\0');
        // The kernel keeps a name up to its first NUL, as it does with PR_SET_NAME.
        String comm = (nul < 0 ? commText : commText.substring(0, nul)).strip();
        String[] words = raw.isEmpty() ? new String[0] : raw.split("\0");
        String program = words.length > 0 && !words[0].isEmpty() ? words[0] : comm;
        CgroupIdentity cgroup = CgroupPaths.parse(cgroupLines);
        return Optional.of(new ProcessInfo(pid, startTime, uid, program, Arrays.asList(words), comm, cgroup));
    }

    /** The container and pod the process's cgroup path names. */
    public CgroupIdentity cgroup(int pid) {
        return CgroupPaths.parse(host.lines(host.proc(Integer.toString(pid), "cgroup")));
    }

    /** A uid from 0 to 2^31-1, else -1 (unknown): what ProcessInfo holds. */
    private static int parseIntOrMinusOne(String s) {
        try {
            return Math.max(-1, Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
