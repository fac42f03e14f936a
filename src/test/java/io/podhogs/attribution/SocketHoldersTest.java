package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The holder of a socket and its process as read once and cached, on a /proc tree written by the test. */
class SocketHoldersTest {
    @TempDir
    Path root;
    private ProcTree proc;
    private HostFiles host;
    private long now;

    @BeforeEach
    void setUp() {
        proc = new ProcTree(root);
        host = proc.host();
    }

    private void process(int pid, long startTime, String program) throws IOException {
        proc.process(pid, startTime, program).sockets(pid, 77);
    }

    /**
     * A process is read once and its start time checked again at most every 100 ms: a PID reused
     * (a new start time) is a new process from the next check on, never within the same 100 ms.
     */
    @Test
    void aCachedProcessStandsForAHundredMillisecondsThenAReusedPidIsReadAnew() throws IOException {
        process(500, 1_000, "first");
        try (SocketHolders holders = new SocketHolders(host, new ProcessReader(host), () -> now, false)) {
            assertEquals("first", holders.holderOf(77).comm());

            process(500, 2_000, "second"); // the PID went round and was taken again
            now = SocketHolders.RECHECK_NANOS - 1;
            assertEquals("first", holders.holderOf(77).comm(), "within 100 ms of the last check");
            now = SocketHolders.RECHECK_NANOS;
            assertEquals("second", holders.holderOf(77).comm(), "checked again: a new start time");
            assertEquals(2_000, holders.holderOf(77).startTime());
        }
    }
}
