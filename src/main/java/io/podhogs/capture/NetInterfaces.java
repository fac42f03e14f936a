package io.podhogs.capture;

import io.podhogs.host.HostFiles;
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

/** Reads the interfaces of the host's network namespace from /sys/class/net. */
public final class NetInterfaces {
    private static final int IFF_UP = 0x1;

    private final HostFiles host;

    public NetInterfaces(HostFiles host) {
        this.host = host;
    }

    public List<NetInterface> list() {
        List<NetInterface> result = new ArrayList<>();
        try (Stream<Path> entries = Files.list(host.sys("class", "net"))) {
            entries.forEach(dir -> read(dir.getFileName().toString()).ifPresent(result::add));
        } catch (IOException e) {
            return List.of();
        }
        result.sort(Comparator.comparingInt(NetInterface::index));
        return result;
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
