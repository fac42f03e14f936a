package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.fail;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.Traffic;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.CaptureException;
import io.podhogs.host.HostFiles;
import io.podhogs.testing.Counters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Starts a real engine on named devices and waits for its accounts to catch up with the kernel. */
final class EngineHarness implements AutoCloseable {
    final Engine engine;

    EngineHarness(String... devices) throws CaptureException {
        this(CaptureConfig.defaults(List.of(devices)));
    }

    EngineHarness(CaptureConfig capture) throws CaptureException {
        this(EngineConfig.of(capture));
    }

    EngineHarness(EngineConfig config) throws CaptureException {
        engine = new Engine(config, HostFiles.system());
        engine.start();
    }

    /**
     * With one handle per device ({@code --capture per-device}): on the devices named, or on every
     * device that is up.
     */
    static EngineHarness perDevice(String... devices) throws CaptureException {
        CaptureConfig d = CaptureConfig.defaults(List.of(devices));
        return new EngineHarness(new CaptureConfig(io.podhogs.capture.CaptureMode.PER_DEVICE, d.devices(),
                d.includeLoopback(), d.snapLength(), d.bufferBytes(), d.bufferTimeoutMillis(), d.promiscuous(),
                d.filter(), d.patterns()));
    }

    static int ifindex(String iface) {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net", iface, "ifindex")).trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sum of every account's traffic on one interface. */
    static Traffic onInterface(EngineSnapshot s, int ifindex, Predicate<AccountSnapshot> which) {
        return s.accounts().stream().filter(which).map(a -> a.on(ifindex)).reduce(Traffic.NONE, Traffic::plus);
    }

    /** Accounts on the host's side of interfaces (the host's sockets, forwarded, host unknown). */
    static boolean hostSide(AccountSnapshot a) {
        return a.key().netns() == 0;
    }

    /**
     * Waits until the host side's accounts on {@code iface} add up to the kernel's counters since
     * the interface was created, which holds only once every frame is parsed, attributed and
     * credited, and fails if they never do (a byte lost or counted twice).
     */
    EngineSnapshot settle(String iface) {
        int ifindex = ifindex(iface);
        long deadline = System.nanoTime() + 10_000_000_000L;
        Traffic truth = null;
        Traffic counted = null;
        while (System.nanoTime() < deadline) {
            truth = Counters.of(iface);
            EngineSnapshot s = engine.snapshot();
            counted = onInterface(s, ifindex, EngineHarness::hostSide);
            if (counted.equals(truth) && s.resolver().pending() == 0) {
                return s;
            }
            sleep(50);
        }
        return fail("accounts on " + iface + " never matched the kernel: counted " + counted + ", kernel " + truth
                + ", drops " + engine.snapshot().kernelDrops());
    }

    /** Waits for {@code condition} on the snapshots, or fails. */
    EngineSnapshot await(Predicate<EngineSnapshot> condition, String what) {
        return await(condition, () -> what);
    }

    EngineSnapshot await(Predicate<EngineSnapshot> condition, java.util.function.Supplier<String> what) {
        return await(condition, what, java.time.Duration.ofSeconds(10));
    }

    EngineSnapshot await(Predicate<EngineSnapshot> condition, java.util.function.Supplier<String> what,
                         java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            EngineSnapshot s = engine.snapshot();
            if (condition.test(s)) {
                return s;
            }
            sleep(50);
        }
        return fail("timed out waiting for " + what.get());
    }

    static Optional<AccountSnapshot> process(EngineSnapshot s, long pid) {
        return s.accounts().stream().filter(a -> a.isProcess() && a.pid() == pid).findFirst();
    }

    static AccountSnapshot requireProcess(EngineSnapshot s, long pid) {
        return process(s, pid).orElseGet(() -> fail("no account for pid " + pid + " in " + s.accounts()));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
