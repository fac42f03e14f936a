package io.podhogs.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.testing.CliMain;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The failures a user meets before any packet: each must be one line that says how to fix it, exit
 * status 2, and no stack trace. Each runs podhogs in a JVM of its own, the way a user starts it.
 */
class CaptureErrorsTest {

    private record Result(int status, String out, String err) {
    }

    private static Result run(List<String> prefix, List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(CliMain.command(jvmOptions, args));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "podhogs exits");
        return new Result(p.exitValue(), out, err);
    }

    private static void assertOneLineError(Result r, String start) {
        assertEquals(2, r.status(), "exit status; stderr: " + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "exactly one line on stderr: " + r.err());
        assertTrue(lines.get(0).startsWith(start), "starts with '" + start + "': " + lines.get(0));
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
        assertEquals("", r.out(), "nothing on stdout");
    }

    @Test
    void missingLibpcapSaysHowToInstallIt() throws Exception {
        Result r = run(List.of(), List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so.0.8"), "-t", "-c", "1", "lo");
        assertOneLineError(r, "podhogs: libpcap is not installed: apt-get install -y libpcap0.8");
    }

    @Test
    void missingCaptureCapabilitiesSayWhatToGrant() throws Exception {
        // Root without CAP_NET_RAW and CAP_NET_ADMIN is what an unprivileged user meets.
        Result r = run(List.of("setpriv", "--bounding-set=-net_raw,-net_admin", "--inh-caps=-all", "--"), List.of(),
                "-t", "-c", "1", "lo");
        assertOneLineError(r, "podhogs: no permission to capture on any: run podhogs as root");
        assertTrue(r.err().contains("CAP_NET_RAW") && r.err().contains("setcap"), r.err());
    }

    @Test
    void unknownDeviceNamesItAndTheCommandThatListsDevices() throws Exception {
        Result r = run(List.of(), List.of(), "-t", "nosuchdev0");
        assertOneLineError(r, "podhogs: no such device: nosuchdev0 (ip -br link");
    }

    @Test
    void badFilterShowsLibpcapsReason() throws Exception {
        Result r = run(List.of(), List.of(), "-t", "-f", "tcp prot 80", "lo");
        assertOneLineError(r, "podhogs: bad filter 'tcp prot 80': ");
    }

    private static String terms(int n, String term, String joiner) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> term + (1000 + 2 * i))
                .collect(java.util.stream.Collectors.joining(joiner));
    }

    /** The JVM options ./podhogs runs with that matter here: its threads' small stacks. */
    private static final List<String> LAUNCHER = List.of("-Xss512k");

    @Test
    void aFilterOfThousandsOfTermsWorks() throws Exception {
        // It killed the JVM with SIGSEGV: libpcap's parser recursed past the 512 KiB stack. On lo
        // alone (ifindex 1) the optimizer then makes the 3000 tests a short program.
        Result r = run(List.of(), LAUNCHER, "-t", "-c", "1", "-d", "0.2", "--no-summary", "-f",
                terms(3000, "not ifindex ", " and "), "lo");
        assertEquals(0, r.status(), "exit status; stderr: " + r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("Refreshing:"), r.out());
    }

    @Test
    void aFilterLongerThanTheKernelRunsIsOneLine() throws Exception {
        Result r = run(List.of(), LAUNCHER, "-t", "-c", "1", "-f", terms(3000, "not ifindex ", " and ")); // every device
        assertOneLineError(r, "podhogs: bad filter 'not ifindex 1000 and not ifindex 1002 and ");
        assertTrue(r.err().contains("BPF instructions, more than the 4096 the kernel runs (shorten it"), r.err());
    }

    @Test
    void aFilterThatTakesLibpcapTooLongToCompileIsOneLine() throws Exception {
        // A thousand ports: libpcap's optimizer takes minutes over them.
        long started = System.nanoTime();
        Result r = run(List.of(), LAUNCHER, "-t", "-c", "1", "-f", terms(1000, "port ", " or "), "lo");
        assertOneLineError(r, "podhogs: bad filter 'port 1000 or port 1002 or ");
        assertTrue(r.err().contains("takes libpcap longer than 10 s to compile (shorten it"), r.err());
        assertTrue(System.nanoTime() - started < 60_000_000_000L, "ended soon after the deadline");
    }
}
