package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A quick look reads no more fd links than its budget: a process of many sockets is left to the full scans. */
class SocketOwnersTest {
    @TempDir
    Path root;
    private ProcTree proc;
    private HostFiles host;

    @BeforeEach
    void setUp() {
        proc = new ProcTree(root);
        host = proc.host();
    }

    private void process(int pid, long firstInode, int sockets) throws IOException {
        long[] inodes = new long[sockets];
        for (int i = 0; i < sockets; i++) {
            inodes[i] = firstInode + i;
        }
        proc.process(pid, pid, "p").sockets(pid, inodes);
    }

    @Test
    void aQuickLookStopsAtItsBudgetAndAFullScanDoesNot() throws IOException {
        process(100, 1_000, 50); // a server of many connections
        process(200, 9_000, 1);
        ProcessReader processes = new ProcessReader(host);
        assertEquals(-1, SocketOwners.scan(host, processes, List.of(100, 200), null, 20).owner(9_000),
                "the budget went on the server: the other process not read");
        assertEquals(200, SocketOwners.scan(host, processes, List.of(100, 200), null, 51).owner(9_000));
        assertEquals(200, SocketOwners.scan(host, processes, List.of(200, 100), null, 20).owner(9_000), "read first");
        SocketOwners all = SocketOwners.scan(host, processes);
        assertEquals(51, all.size(), "a full scan reads every link");
        assertEquals(200, all.owner(9_000));
    }
}
