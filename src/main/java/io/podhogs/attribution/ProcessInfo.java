package io.podhogs.attribution;

import io.podhogs.identity.CgroupIdentity;
import java.util.List;

/**
 * A process, identified by PID and start time together, since PIDs are reused.
 *
 * @param startTime clock ticks since boot (field 22 of /proc/PID/stat)
 * @param program what nethogs shows: the first word of the command line, else the kernel's name
 * @param arguments the command line as /proc/PID/cmdline gives it, one element per argument (empty
 *     for a kernel thread): outputs that hide secrets need to know where an argument ends
 * @param comm the kernel's short name (/proc/PID/comm)
 * @param cgroup the container and pod its cgroup path names ({@link CgroupIdentity#NONE} for none)
 */
public record ProcessInfo(int pid, long startTime, int uid, String program, List<String> arguments, String comm,
                          CgroupIdentity cgroup) {
    public ProcessInfo {
        arguments = List.copyOf(arguments);
    }

    /** A process whose command line is known only as words joined by spaces (tests, names made up). */
    public ProcessInfo(int pid, long startTime, int uid, String program, String commandLine, String comm,
                       CgroupIdentity cgroup) {
        this(pid, startTime, uid, program, commandLine.isEmpty() ? List.of() : List.of(commandLine.split(" ")), comm,
                cgroup);
    }

    /** The whole command line, arguments joined by spaces (as ps shows it), else the kernel's name. */
    public String commandLine() {
        String joined = String.join(" ", arguments).strip();
        return joined.isEmpty() ? comm : joined;
    }
}
