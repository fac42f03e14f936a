package io.podhogs.attribution;

import io.podhogs.host.HostFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The processes that appeared lately, from the difference between two listings of /proc (one
 * readdir, no file read per process). A program that opens connections of a millisecond each and
 * keeps no other socket can only be caught with its socket open by a look that is already in its
 * fd directory when the connection starts; a new process is the likeliest author of new flows, so
 * it is among the few processes looked in first. Engine thread only.
 */
final class ProcessArrivals {
    private final HostFiles host;
    private final long youthNanos;
    private final int most;
    private Set<Integer> listed;
    /** In order of arrival. */
    private final Map<Integer, Long> arrivedAt = new LinkedHashMap<>();

    /** Keeps processes new for {@code youthNanos}, and at most the {@code most} latest of them. */
    ProcessArrivals(HostFiles host, long youthNanos, int most) {
        this.host = host;
        this.youthNanos = youthNanos;
        this.most = most;
    }

    /**
     * Lists /proc again. The first listing is the baseline: what runs when podhogs starts is not
     * new. A process counts as new for {@code youthNanos} after the listing that first saw it.
     */
    void refresh(long now) {
        Set<Integer> current = new HashSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(host.proc(), ProcessArrivals::isPid)) {
            for (Path dir : dirs) {
                current.add(Integer.parseInt(dir.getFileName().toString()));
            }
        } catch (IOException | SecurityException | java.nio.file.DirectoryIteratorException e) {
            return; // /proc unreadable: nobody is new
        }
        if (listed != null) {
            for (int pid : current) {
                if (!listed.contains(pid)) {
                    arrivedAt.put(pid, now);
                }
            }
        }
        arrivedAt.entrySet().removeIf(e -> !current.contains(e.getKey()) || now - e.getValue() > youthNanos);
        // A host that forks thousands of processes a second (a build) must not make every look slow.
        int excess = arrivedAt.size() - most;
        for (var it = arrivedAt.keySet().iterator(); excess > 0; excess--) {
            it.next();
            it.remove();
        }
        listed = current;
    }

    /** The processes first seen within the youth span, as of the last listing, oldest first. */
    List<Integer> young() {
        return new ArrayList<>(arrivedAt.keySet());
    }

    private static boolean isPid(Path p) {
        String name = p.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
