package io.podhogs.attribution;

/**
 * A flow owned by a process; two owners are the same process when PID and start time agree.
 *
 * @param netns the inode of the network namespace its sockets are in, 0 for the host's own
 */
public record ProcessOwner(ProcessInfo process, long netns) implements Owner {
    public ProcessOwner(ProcessInfo process) {
        this(process, 0);
    }

    @Override
    public String name() {
        return process.program();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessOwner other && other.process.pid() == process.pid()
                && other.process.startTime() == process.startTime();
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(process.pid()) * 31 + Long.hashCode(process.startTime());
    }
}
