package io.podhogs.attribution;

/** A flow owned by a process; two owners are the same process when PID and start time agree. */
public record ProcessOwner(ProcessInfo process) implements Owner {
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
