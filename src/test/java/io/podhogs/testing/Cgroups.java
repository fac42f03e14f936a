package io.podhogs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Cgroups a test makes with kubelet's and the runtimes' path shapes, in a v1 hierarchy (this
 * machine's hybrid layout) or else the v2 one, removed again by {@link #close()} once the
 * processes in them are gone.
 */
public final class Cgroups implements AutoCloseable {
    public static final Path HIERARCHY = Files.isDirectory(Path.of("/sys/fs/cgroup/pids"))
            ? Path.of("/sys/fs/cgroup/pids") : Path.of("/sys/fs/cgroup");

    private final List<Path> made = new ArrayList<>();

    /** The cgroup at {@code relative} under the hierarchy, made with its parents where missing. */
    public Path cgroup(String relative) {
        Path dir = HIERARCHY;
        try {
            for (String part : relative.split("/")) {
                dir = dir.resolve(part);
                if (!Files.isDirectory(dir)) {
                    Files.createDirectory(dir);
                    made.add(dir);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return dir;
    }

    /** A kubelet (cgroupfs driver) container cgroup: kubepods/burstable/pod&lt;uid&gt;/&lt;id&gt;. */
    public Path kubeletContainer(String podUid, String containerId) {
        return cgroup("kubepods/burstable/pod" + podUid + "/" + containerId);
    }

    /** A random 64-hex-digit container ID. */
    public static String containerId() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        List<Path> reverse = new ArrayList<>(made);
        Collections.reverse(reverse);
        for (Path dir : reverse) {
            for (int attempt = 0; attempt < 50; attempt++) {
                try {
                    Files.deleteIfExists(dir); // rmdir of an empty cgroup removes it
                    break;
                } catch (IOException e) {
                    sleep(); // its last process is still exiting
                }
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
