package io.podhogs.plugin;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The bytes a port-forward brings back from the agent, as fabric8 writes them (a channel it writes
 * to and closes when the stream ends), read here as the HTTP/1.1 answers they are: a status line,
 * headers, and a body of Content-Length bytes or in chunks. Every read waits until a deadline at most.
 */
final class ForwardedStream implements WritableByteChannel {
    /** An answer larger than this is not an agent's (its pages end near 4 MiB). */
    static final int MAX_ANSWER_BYTES = 64 << 20;

    /** One HTTP answer. */
    record Response(int status, String body, boolean keepAlive) {
    }

    private final byte[] buffer = new byte[64 << 10];
    private final BooleanSupplier failed;
    private int start;
    private int end;
    private boolean closed;

    /**
     * @param failed whether the port-forward has failed (an error from the API server or the kubelet):
     *     no byte will come then, even if the stream has not been closed yet
     */
    ForwardedStream(BooleanSupplier failed) {
        this.failed = failed;
    }

    @Override
    public synchronized int write(ByteBuffer src) {
        int n = 0;
        while (src.hasRemaining() && !closed) {
            if (end == buffer.length) {
                if (start == end) {
                    start = 0;
                    end = 0;
                } else if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                } else {
                    try {
                        wait(100); // full: the reader takes some first
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return n;
                    }
                    continue;
                }
            }
            int take = Math.min(src.remaining(), buffer.length - end);
            src.get(buffer, end, take);
            end += take;
            n += take;
            notifyAll();
        }
        return n;
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    private synchronized int read(long deadline) throws EOFException, TimeoutException, InterruptedException {
        while (start == end) {
            if (closed || failed.getAsBoolean()) {
                throw new EOFException("the port-forward ended before the answer did");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            // A failure is recorded before the stream is closed, on another thread: look again soon.
            wait(Math.max(1, Math.min(50, left / 1_000_000)));
        }
        int b = buffer[start++] & 0xff;
        notifyAll();
        return b;
    }

    private String line(long deadline) throws EOFException, TimeoutException, InterruptedException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = read(deadline)) != '\n') {
            if (b.size() > 16 << 10) {
                throw new EOFException("not an HTTP answer (a line of over 16 KiB)");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private void bytes(ByteArrayOutputStream into, long count, long deadline)
            throws EOFException, TimeoutException, InterruptedException {
        if (into.size() + count > MAX_ANSWER_BYTES) {
            throw new EOFException("the agent's answer is larger than " + (MAX_ANSWER_BYTES >> 20) + " MiB");
        }
        long left = count;
        while (left > 0) {
            left -= readInto(into, left, deadline);
        }
    }

    /** What has come, up to {@code max} bytes (at least one: it waits for it). */
    private synchronized int readInto(ByteArrayOutputStream into, long max, long deadline)
            throws EOFException, TimeoutException, InterruptedException {
        into.write(read(deadline));
        int more = (int) Math.min(max - 1, end - start);
        into.write(buffer, start, more);
        start += more;
        notifyAll();
        return 1 + more;
    }

    /** The next answer, whole. */
    Response response(long deadline) throws EOFException, TimeoutException, InterruptedException {
        String status = line(deadline);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new EOFException("not an HTTP answer: " + Cluster.oneLine(status));
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new EOFException("not an HTTP answer: " + Cluster.oneLine(status));
        }
        long length = -1;
        boolean chunked = false;
        boolean keepAlive = parts[0].equals("HTTP/1.1");
        for (String h = line(deadline); !h.isEmpty(); h = line(deadline)) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = Long.parseLong(line(deadline).split(";")[0].strip(), 16); size > 0;
                 size = Long.parseLong(line(deadline).split(";")[0].strip(), 16)) {
                bytes(body, size, deadline);
                line(deadline); // the CRLF after a chunk
            }
            for (String trailer = line(deadline); !trailer.isEmpty(); trailer = line(deadline)) {
                // trailers: none that matter here
            }
        } else if (length >= 0) {
            bytes(body, length, deadline);
        } else {
            keepAlive = false; // the body ends with the stream
            try {
                while (true) {
                    bytes(body, Integer.MAX_VALUE, deadline);
                }
            } catch (EOFException e) {
                // the end of the body
            }
        }
        return new Response(code, body.toString(StandardCharsets.UTF_8), keepAlive);
    }
}
