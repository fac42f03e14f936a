package io.podhogs.attribution;

import io.podhogs.identity.CgroupIdentity;

/**
 * A process, identified by PID and start time together, since PIDs are reused.
 *
 * @param startTime clock ticks since boot (field 22 of /proc/PID/stat)
 * @param program what nethogs shows: the first word of the command line, else the kernel's name
 * @param commandLine the whole command line, words joined by spaces
 * @param comm the kernel's short name (/proc/PID/comm)
 * @param cgroup the container and pod its cgroup path names ({@link CgroupIdentity#NONE} for none)
 */
public record ProcessInfo(int pid, long startTime, int uid, String program, String commandLine, String comm,
                          CgroupIdentity cgroup) {
}
