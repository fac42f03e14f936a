package io.podhogs.capture;

import io.podhogs.host.HostFiles;
import io.podhogs.host.LinkEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the interfaces of the host's network namespace from /sys/class/net. Made {@link #watched}
 * (the host's own /sys), {@link #list()} reads them again only when the kernel said a link changed
 * ({@link LinkEvents}), and at least every {@value #FULL_READ_NANOS} ns all the same.
 */
public final class NetInterfaces implements AutoCloseable {
    private static final int IFF_UP = 0x1;
    private static final long FULL_READ_NANOS = 60_000_000_000L;

    private final HostFiles host;
    private final Optional<LinkEvents> events;
    private List<NetInterface> listed;
    private long listedNanos;

    /** Reads /sys under {@code host} on every look (a test's tree, or no netlink to be had). */
    public NetInterfaces(HostFiles host) {
        this(host, Optional.empty());
    }

    private NetInterfaces(HostFiles host, Optional<LinkEvents> events) {
        this.host = host;
        this.events = events;
    }

    /** The host's: reads again only after a link notification (where /sys is the process's own). */
    public static NetInterfaces watched(HostFiles host) {
        return new NetInterfaces(host, host.sys().equals(Path.of("/sys")) ? LinkEvents.open() : Optional.empty());
    }

    /** Every interface, by index. */
    public synchronized List<NetInterface> list() {
        long now = System.nanoTime();
        // Notifications are taken before the read: a change during it is read again next time.
        boolean changed = events.map(LinkEvents::changed).orElse(true);
        if (!changed && listed != null && now - listedNanos < FULL_READ_NANOS) {
            return listed;
        }
        List<NetInterface> result = new ArrayList<>();
        try (Stream<Path> entries = Files.list(host.sys("class", "net"))) {
            entries.forEach(dir -> read(dir.getFileName().toString()).ifPresent(result::add));
        } catch (IOException e) {
            listed = null;
            return List.of();
        }
        result.sort(Comparator.comparingInt(NetInterface::index));
        listed = List.copyOf(result);
        listedNanos = now;
        return listed;
    }

    @Override
    public void close() {
        events.ifPresent(LinkEvents::close);
    }

    public Optional<NetInterface> byName(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            return Optional.empty();
        }
        return read(name);
    }

    /**
     * Every interface's frames, received plus sent, by name, from /proc/net/dev (one read for all
     * of them); empty when it cannot be read.
     */
    public Map<String, Long> packetCounts() {
        Map<String, Long> counts = new HashMap<>();
        for (String line : host.lines(host.proc("net", "dev"))) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue; // the two header lines
            }
            String[] fields = line.substring(colon + 1).trim().split("\\s+");
            if (fields.length < 10) {
                continue;
            }
            try {
                counts.put(line.substring(0, colon).trim(), Long.parseLong(fields[1]) + Long.parseLong(fields[9]));
            } catch (NumberFormatException e) {
                // not a counter line
            }
        }
        return counts;
    }

    private Optional<NetInterface> read(String name) {
        Path dir = host.sys("class", "net", name);
        long index = host.readLong(dir.resolve("ifindex"));
        if (index <= 0 || index > Integer.MAX_VALUE) {
            return Optional.empty(); // not an interface index: the kernel's are positive ints
        }
        int type = (int) host.readLong(dir.resolve("type"));
        long flags = host.read(dir.resolve("flags")).map(String::trim).map(NetInterfaces::hex).orElse(0L);
        long mac = host.read(dir.resolve("address")).map(String::trim).map(NetInterfaces::mac).orElse(-1L);
        int link = (int) host.readLong(dir.resolve("iflink"));
        String deviceType = host.lines(dir.resolve("uevent")).stream()
                .filter(l -> l.startsWith("DEVTYPE="))
                .map(l -> l.substring("DEVTYPE=".length()).trim())
                .findFirst()
                .orElse("");
        boolean enslaved = Files.exists(dir.resolve("master"), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        boolean stacked = hasEntryStartingWith(dir, "lower_");
        return Optional.of(new NetInterface(name, (int) index, type, mac, (flags & IFF_UP) != 0, link, deviceType,
                enslaved, stacked));
    }

    private static boolean hasEntryStartingWith(Path dir, String prefix) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(e -> e.getFileName().toString().startsWith(prefix));
        } catch (IOException e) {
            return false;
        }
    }

    private static long hex(String s) {
        try {
            return Long.decode(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** "02:fc:00:00:00:01" as a 48-bit number; -1 for anything that is not six octets of two hex digits. */
    static long mac(String s) {
        String[] parts = s.split(":", -1);
        if (parts.length != 6) {
            return -1;
        }
        long mac = 0;
        for (String part : parts) {
            if (part.length() != 2 || Character.digit(part.charAt(0), 16) < 0 || Character.digit(part.charAt(1), 16) < 0) {
                return -1;
            }
            mac = (mac << 8) | Integer.parseInt(part, 16);
        }
        return mac;
    }
}
