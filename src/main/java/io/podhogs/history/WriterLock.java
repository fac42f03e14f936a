package io.podhogs.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one-writer rule of a history file: a lock on {@code FILE.writer} (beside the database, not
 * on it: closing any descriptor of a file drops a process's POSIX locks on it, SQLite's own
 * among them). It holds the writer's PID, for the one that waits to name it.
 */
final class WriterLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path pathOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".writer");
    }

    /** The lock, or null when another writer holds it. */
    static WriterLock tryTake(Path file) throws IOException {
        FileChannel channel = FileChannel.open(pathOf(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this process writes it already
            }
            if (lock == null) {
                channel.close();
                return null;
            }
            return claimed(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Waits for the lock (another writer stops), however long that takes. */
    static WriterLock take(Path file) throws IOException, InterruptedException {
        while (true) {
            WriterLock l = tryTake(file);
            if (l != null) {
                return l;
            }
            Thread.sleep(500);
        }
    }

    private static WriterLock claimed(FileChannel channel, FileLock lock) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new WriterLock(channel, lock);
    }

    /** The PID the holder wrote, or "?" */
    static String holder(Path file) {
        try {
            String pid = Files.readString(pathOf(file), StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d+") ? pid : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process's exit lets it go too
        }
    }
}
