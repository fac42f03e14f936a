package io.podhogs.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.host.HostFiles;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process's command line as /proc/PID/cmdline gives it, argument by argument (what redaction needs:
 * a value with spaces is one argument), and joined by spaces as ps shows it; a kernel thread, which
 * has none, by its kernel name.
 */
class ProcessReaderTest {
    private final ProcessReader reader = new ProcessReader(HostFiles.system());

    @Test
    void argumentsAreKeptOneByOneAndJoinedForShow() throws Exception {
        List<String> argv = List.of("sh", "-c", "sleep 60; true", "zero", "--password=two words");
        Process p = new ProcessBuilder(argv).start();
        try {
            ProcessInfo info = reader.read((int) p.pid()).orElseThrow();
            assertEquals(argv, info.arguments());
            assertEquals("sh -c sleep 60; true zero --password=two words", info.commandLine());
            assertEquals("sh", info.program());
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKernelThreadHasNoArgumentsAndIsShownByItsName() {
        ProcessInfo kthreadd = reader.read(2).orElseThrow(); // pid 2: kthreadd, in the host's pid namespace
        assertEquals(List.of(), kthreadd.arguments());
        assertEquals(kthreadd.comm(), kthreadd.commandLine());
        assertEquals(kthreadd.comm(), kthreadd.program());
        assertEquals("kthreadd", kthreadd.comm());
    }
}
