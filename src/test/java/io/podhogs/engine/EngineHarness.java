package io.podhogs.engine;

import static org.junit.jupiter.api.Assertions.fail;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.Traffic;
import io.podhogs.capture.CaptureConfig;
import io.podhogs.capture.CaptureException;
import io.podhogs.host.HostFiles;
import io.podhogs.testing.Await;
import io.podhogs.testing.Counters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
        record Seen(Traffic counted, Traffic kernel, EngineSnapshot snapshot) {
            @Override
            public String toString() {
                return "counted " + counted + ", kernel " + kernel + ", pending " + snapshot.resolver().pending()
                        + ", drops " + snapshot.kernelDrops();
            }
        }
        return Await.until(Duration.ofSeconds(10), () -> {
            Traffic kernel = Counters.of(iface);
            EngineSnapshot s = engine.snapshot();
            return new Seen(onInterface(s, ifindex, EngineHarness::hostSide), kernel, s);
        }, seen -> seen.counted().equals(seen.kernel()) && seen.snapshot().resolver().pending() == 0,
                "the accounts on " + iface + " to match the kernel (a byte lost or counted twice if never)").snapshot();
    }

    /** Waits until the link carries nothing for two seconds, so that no frame crosses while a handle is closed. */
    static void awaitQuiet(String iface) {
        Counters.awaitQuiet(iface);
    }

    /**
     * Waits until the host side's accounts on {@code iface}, less {@code countedBefore}, equal what
     * the kernel counted since {@code baseline}; returns them.
     */
    Traffic awaitCountedSince(Traffic baseline, Traffic countedBefore, String iface) {
        int ifindex = ifindex(iface);
        record Seen(Traffic counted, Traffic kernel) {
        }
        return Await.until(Duration.ofSeconds(10), () -> {
            Traffic kernel = Counters.of(iface).minus(baseline);
            return new Seen(onInterface(engine.snapshot(), ifindex, EngineHarness::hostSide).minus(countedBefore), kernel);
        }, seen -> seen.counted().equals(seen.kernel()),
                "the accounts on " + iface + " to match the kernel since the baseline").counted();
    }

    /** Waits for {@code condition} on the snapshots, or fails. */
    EngineSnapshot await(Predicate<EngineSnapshot> condition, String what) {
        return await(condition, () -> what);
    }

    EngineSnapshot await(Predicate<EngineSnapshot> condition, Supplier<String> what) {
        return await(condition, what, Duration.ofSeconds(10));
    }

    EngineSnapshot await(Predicate<EngineSnapshot> condition, Supplier<String> what, Duration timeout) {
        return Await.until(timeout, engine::snapshot, condition, (EngineSnapshot last) -> what.get());
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
