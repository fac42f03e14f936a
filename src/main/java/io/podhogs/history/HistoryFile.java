package io.podhogs.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One history file: an SQLite database (vnStat 2 keeps its own in SQLite too) marked as
 * podhogs's by its application ID and versioned by its user version, so that another program's
 * database, or one a newer podhogs wrote, is refused rather than changed. WAL: a reader
 * ({@code podhogs history}, the agent's API) reads while the monitor writes, and a crash loses no
 * committed flush.
 */
public final class HistoryFile {
    /** "podh": what marks a file as podhogs's history (SQLite's PRAGMA application_id). */
    static final int APPLICATION_ID = 0x706f6468;
    /** The schema this podhogs writes and reads. */
    static final int SCHEMA = 1;

    private static final String[] SCHEMA_SQL = {
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE keys (id INTEGER PRIMARY KEY, level TEXT NOT NULL, name TEXT NOT NULL, user TEXT NOT NULL,"
                + " image TEXT NOT NULL, namespace TEXT NOT NULL, pod TEXT NOT NULL, workload TEXT NOT NULL,"
                + " UNIQUE (level, name, user, image, namespace, pod, workload))",
        "CREATE TABLE traffic (resolution TEXT NOT NULL, start INTEGER NOT NULL, key INTEGER NOT NULL,"
                + " remote_class TEXT NOT NULL, sent_bytes INTEGER NOT NULL, sent_packets INTEGER NOT NULL,"
                + " received_bytes INTEGER NOT NULL, received_packets INTEGER NOT NULL,"
                + " PRIMARY KEY (resolution, start, key, remote_class)) WITHOUT ROWID",
    };

    private HistoryFile() {
    }

    /**
     * Opens {@code file} to record into, making it (and the podhogs tables) if it is new or empty.
     *
     * @param zone the zone new files count their days in; an existing file keeps its own
     */
    static Connection openForWriting(Path file, ZoneId zone) throws HistoryException {
        checkWritable(file);
        return create(file, zone, new SQLiteConfig());
    }

    /** That {@code file} can be written: its directory is there and writable, the file (if there) too. */
    static void checkWritable(Path file) throws HistoryException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new HistoryException("history file " + file + ": its directory " + dir + " does not exist (make it,"
                    + " or give another file)");
        }
        if (Files.exists(file) && !Files.isWritable(file) || !Files.exists(file) && dir != null && !Files.isWritable(dir)) {
            throw new HistoryException("history file " + file + " cannot be written (" + (Files.exists(file)
                    ? "the file is read-only" : "its directory " + dir + " is read-only")
                    + "): give a writable one, or run as a user who may write there");
        }
    }

    private static Connection create(Path file, ZoneId zone, SQLiteConfig config) throws HistoryException {
        return opened(file, config, c -> {
            check(c, file, true);
            try (Statement s = c.createStatement()) {
                if (userVersion(s) == 0) {
                    // Before any table, and outside a transaction (where SQLite ignores it): pruned
                    // rows' pages go back to the file system, so the budget bounds the file on disk.
                    s.execute("PRAGMA auto_vacuum=INCREMENTAL");
                }
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL"); // WAL: a committed flush survives the process's crash
                if (userVersion(s) == 0) {
                    c.setAutoCommit(false);
                    for (String sql : SCHEMA_SQL) {
                        s.execute(sql);
                    }
                    s.execute("INSERT INTO meta VALUES ('zone', '" + zone.getId().replace("'", "''") + "')");
                    s.execute("PRAGMA application_id=" + APPLICATION_ID);
                    s.execute("PRAGMA user_version=" + SCHEMA);
                    c.commit();
                    c.setAutoCommit(true);
                }
            }
        });
    }

    /** Opens {@code file} to read, never to change: it must be a podhogs history file. */
    static Connection openForReading(Path file) throws HistoryException {
        if (!Files.exists(file)) {
            throw new HistoryException("no history file at " + file + " (podhogs --history " + file
                    + " records one; the agent records into /var/lib/podhogs/history.db)");
        }
        if (!Files.isReadable(file)) {
            throw new HistoryException("history file " + file + " cannot be read: run as root, or as its owner");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        return opened(file, config, c -> check(c, file, false));
    }

    /** What is done to a connection just opened. */
    private interface Setup {
        void on(Connection c) throws SQLException, HistoryException;
    }

    /** A connection to {@code file} after {@code setup}; closed again, with the one line, if that fails. */
    private static Connection opened(Path file, SQLiteConfig config, Setup setup) throws HistoryException {
        config.setBusyTimeout(10_000);
        Connection c = connect(file, config);
        try {
            setup.on(c);
            return c;
        } catch (SQLException e) {
            close(c);
            throw failure(file, e);
        } catch (HistoryException e) {
            close(c);
            throw e;
        }
    }

    /** The zone the file counts its days in. */
    static ZoneId zone(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT value FROM meta WHERE name = 'zone'")) {
            return r.next() ? ZoneId.of(r.getString(1)) : ZoneId.of("UTC");
        }
    }

    private static Connection connect(Path file, SQLiteConfig config) throws HistoryException {
        try {
            // The driver itself, not DriverManager: that one hands out only drivers its caller's class
            // loader sees, which a second Quarkus application in one JVM (the tests) does not.
            return config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw failure(file, e);
        }
    }

    /** Refuses what is not a podhogs history file this podhogs can use; an empty file is new only for a writer. */
    private static void check(Connection c, Path file, boolean writing) throws SQLException, HistoryException {
        try (Statement s = c.createStatement()) {
            int id;
            try (ResultSet r = s.executeQuery("PRAGMA application_id")) {
                id = r.next() ? r.getInt(1) : 0;
            }
            int version = userVersion(s);
            int tables;
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                tables = r.next() ? r.getInt(1) : 0;
            }
            if (id == 0 && version == 0 && tables == 0) {
                if (!writing) {
                    throw new HistoryException("history file " + file + " is empty: nothing has been recorded into it yet");
                }
                return;
            }
            if (id != APPLICATION_ID) {
                throw new HistoryException(file + " is not a podhogs history file (it is another program's SQLite"
                        + " database): give another file; podhogs does not change it");
            }
            if (version > SCHEMA) {
                throw new HistoryException("history file " + file + " was written by a newer podhogs (schema " + version
                        + "; this one knows up to " + SCHEMA + "): read it with that version; this one does not change it");
            }
            if (version < 1) {
                throw new HistoryException("history file " + file + " is incomplete (no schema version): move it aside");
            }
        }
    }

    private static int userVersion(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /** The one line for an SQLite error on {@code file}. */
    static HistoryException failure(Path file, SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException s ? s.getResultCode() : null;
        String base = code == null ? "" : code.name();
        if (base.startsWith("SQLITE_NOTADB") || base.startsWith("SQLITE_CORRUPT")) {
            return new HistoryException(file + " is not a database, or is damaged (SQLite: " + code.message
                    + "): move it aside and start a new one; podhogs does not overwrite it");
        }
        if (base.startsWith("SQLITE_FULL")) {
            return new HistoryException("the disk that holds " + file + " is full: free space there");
        }
        if (base.startsWith("SQLITE_READONLY") || base.startsWith("SQLITE_CANTOPEN") || base.startsWith("SQLITE_PERM")) {
            return new HistoryException("history file " + file + " cannot be written (SQLite: "
                    + (code == null ? e.getMessage() : code.message) + "): give a writable one");
        }
        return new HistoryException("history file " + file + ": " + firstLine(e.getMessage()));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // closing: nothing more to say
        }
    }
}
