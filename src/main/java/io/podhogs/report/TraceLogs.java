package io.podhogs.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads trace logs in the order given (a log's rotated parts oldest first): nethogs's and podhogs's
 * {@code -t} text, or podhogs's {@code --json} lines, told apart by the first line that is not blank.
 */
public final class TraceLogs {
    /** A line longer than this is no monitor's. */
    private static final int MAX_LINE = 1 << 20;

    private TraceLogs() {
    }

    /** What was read: how many truncated last lines were left out. */
    public record Read(int truncatedLines) {
    }

    public static Read read(Iterable<Path> files, LogEvents events) {
        int truncated = 0;
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                LineReader lines = new LineReader(in);
                String name = file.toString();
                TraceFormat format = null;
                String line;
                int number = 0;
                while ((line = lines.next()) != null) {
                    number++;
                    if (line.length() > MAX_LINE) {
                        throw new ReportException(name + ":" + number + ": a line of over " + MAX_LINE
                                + " characters: not a trace log");
                    }
                    if (line.endsWith("\r")) {
                        line = line.substring(0, line.length() - 1); // CRLF line ends
                    }
                    if (line.isBlank()) {
                        continue;
                    }
                    if (format == null) {
                        format = line.startsWith("{") ? new JsonTraceLog(name, events) : new TextTraceLog(name, events);
                    }
                    if (!format.line(line, number, lines.atEnd() && !lines.endedWithNewline())) {
                        truncated++;
                    }
                }
            } catch (NoSuchFileException e) {
                throw new ReportException(file + ": no such file");
            } catch (AccessDeniedException e) {
                throw new ReportException(file + ": permission denied (run as a user who may read it)");
            } catch (IOException e) {
                throw new ReportException(file + ": cannot read: " + e.getMessage());
            }
        }
        return new Read(truncated);
    }

    /** Lines ended by \n (a \r before it is left to the formats), and whether the last one was. */
    private static final class LineReader {
        private final BufferedReader in;
        private String next;
        private boolean ended;
        private boolean lastNewline;

        LineReader(InputStream stream) {
            // Program names are bytes, not always UTF-8: malformed ones are replaced, never fatal.
            this.in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)));
        }

        /** The next line, or null; afterwards {@link #atEnd} says whether it was the last. */
        String next() throws IOException {
            String line = next != null ? next : readLine();
            next = line == null ? null : readLine();
            return line;
        }

        private String readLine() throws IOException {
            if (ended) {
                return null;
            }
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    lastNewline = true;
                    return b.toString();
                }
                b.append((char) c);
                if (b.length() > MAX_LINE) {
                    return b.toString();
                }
            }
            ended = true;
            if (b.length() == 0) {
                return null;
            }
            lastNewline = false;
            return b.toString();
        }

        boolean atEnd() {
            return next == null;
        }

        boolean endedWithNewline() {
            return lastNewline;
        }
    }
}
