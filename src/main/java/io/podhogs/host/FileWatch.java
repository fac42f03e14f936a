package io.podhogs.host;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Watches one file for a new version, on a thread of its own, and says when it has one: a file
 * edited in place, one replaced by a rename, and a ConfigMap volume's update, where the kubelet
 * writes the new files into a new hidden directory and swaps the {@code ..data} symlink the file's
 * own symlink goes through (the file itself is never written). inotify on the file's directory
 * (a {@link WatchService}) says when to look; a poll every {@code poll} catches what it misses (an
 * event queue that overflowed, a file that is a symlink into another directory).
 *
 * <p>A version is what a {@code stat} through the symlinks gives: the file it resolves to, its
 * size and its modification time. A ConfigMap mounted with {@code subPath} is a copy that the
 * kubelet never updates: nothing here can see a change there (README says not to use one).
 */
public final class FileWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FileWatch.class);
    /** Events come in bursts (a swap is a create, a rename and a delete): looked at once they settle. */
    private static final long SETTLE_MILLIS = 200;

    /** Told of each new version, on the watch's thread. */
    @FunctionalInterface
    public interface Listener {
        void changed();
    }

    private final Path file;
    private final Duration poll;
    private final Listener listener;
    private final WatchService service;
    private final Thread thread;
    private volatile boolean closed;
    private Version seen;

    private FileWatch(Path file, Duration poll, Listener listener, WatchService service, String threadName) {
        this.file = file;
        this.poll = poll;
        this.listener = listener;
        this.service = service;
        this.seen = Version.of(file);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    /**
     * Starts watching {@code file}; what it is now is the version already known. A directory
     * inotify cannot watch leaves the poll alone (said once in the log).
     */
    public static FileWatch start(Path file, Duration poll, Listener listener, String threadName) {
        Path dir = file.toAbsolutePath().getParent();
        WatchService service = null;
        try {
            service = FileSystems.getDefault().newWatchService();
            dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("%s: its directory cannot be watched (%s): looking for changes every %d s instead", file,
                    e.getMessage(), poll.toSeconds());
            closeQuietly(service);
            service = null;
        }
        FileWatch w = new FileWatch(file, poll, listener, service, threadName);
        w.thread.start();
        return w;
    }

    private void run() {
        while (!closed) {
            try {
                if (service == null) {
                    Thread.sleep(poll.toMillis());
                } else {
                    WatchKey key = service.poll(poll.toMillis(), TimeUnit.MILLISECONDS);
                    if (key != null) {
                        Thread.sleep(SETTLE_MILLIS);
                        drain(key);
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return; // closed
            }
            check();
        }
    }

    /** Takes the events of the burst: only that something happened matters. */
    private void drain(WatchKey first) {
        WatchKey key = first;
        while (key != null) {
            key.pollEvents();
            key.reset();
            key = service.poll();
        }
    }

    private void check() {
        Version now = Version.of(file);
        if (closed || now.equals(seen)) {
            return;
        }
        seen = now;
        try {
            listener.changed();
        } catch (RuntimeException e) {
            LOG.errorf("%s changed, and taking the change failed: %s", file, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(service);
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(WatchService service) {
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                // Closing: nothing more to be done with it.
            }
        }
    }

    /**
     * A file's version as a stat through its symlinks gives it.
     *
     * @param target the file the path resolves to (a ConfigMap's swap changes it); null when missing
     * @param fileKey the file system's key (device and inode), or null where it has none
     */
    record Version(Path target, Object fileKey, long size, long modifiedNanos) {
        static final Version MISSING = new Version(null, null, -1, -1);

        static Version of(Path file) {
            try {
                Path target = file.toRealPath();
                BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class);
                return new Version(target, a.fileKey(), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            } catch (NoSuchFileException e) {
                return MISSING;
            } catch (IOException e) {
                return new Version(null, e.getMessage(), -1, -1);
            }
        }
    }
}
