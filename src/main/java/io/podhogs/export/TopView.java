package io.podhogs.export;

import io.podhogs.identity.IdentityLookup;
import io.podhogs.names.RemoteNames;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.ContainerInfo;
import io.podhogs.accounting.AccountKey;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.AppKey;
import io.podhogs.accounting.InterfaceKey;
import io.podhogs.accounting.PortKey;
import io.podhogs.engine.EngineSnapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp;
import org.jline.utils.NonBlockingReader;

/**
 * The default, interactive view: a table of processes redrawn every refresh, with nethogs's keys
 * (q quits, s and r sort by sent and received, m switches units, l and b change the names), '/'
 * to show only the rows a regular expression finds, the rest summed into one 'filtered' row, and
 * Enter on the row under the cursor (Up, Down) for its connections ({@link ConnectionsView}).
 */
public final class TopView {
    private static final String KEYS = "q quit  s sort by sent  r sort by received  m view  u units  B bits"
            + "  l command line  b basename  / filter  Up/Down Enter connections";
    private static final String CONNECTION_KEYS = "q quit  Esc back  < > sort column  Up/Down scroll  n names/addresses"
            + "  u units  B bits";

    private static final int CONTAINER_WIDTH = 20;

    /** What the container column shows; 'c' goes from one to the next. */
    enum ContainerColumn {
        NAME("CONTAINER"), ID("CONTAINER ID"), IMAGE("IMAGE");

        final String title;

        ContainerColumn(String title) {
            this.title = title;
        }

        ContainerColumn next() {
            return values()[(ordinal() + 1) % values().length];
        }
    }

    private final Terminal terminal;
    private final UserNames users;
    private final String title;
    private final IdentityLookup identity;
    private RowFormat format;
    private ContainerColumn containerColumn = ContainerColumn.NAME;
    private SearchPrompt prompt;
    private Supplier<String> status = () -> "";
    private DisplayUnits units = DisplayUnits.NETHOGS;
    private Runnable wantConnections = () -> { };
    private LiveSummary summary;
    private RemoteNames names = RemoteNames.NONE;
    /** The row the cursor is on (Up, Down), by key: rows move between refreshes. Null: the first. */
    private AccountKey selected;
    /** The rows of the last screen, in its order, and the cursor's line there (-1: none). */
    private List<AccountSnapshot> shownRows = List.of();
    private int selectedLine = -1;
    /** The connections opened with Enter, until Esc; null for the table. */
    private ConnectionsView connections;
    /** A one-refresh answer to a key (Enter on a row without connections). */
    private String notice = "";

    public TopView(Terminal terminal, UserNames users, String title, RowFormat format) {
        this(terminal, users, title, format, IdentityLookup.NONE);
    }

    /**
     * @param identity what the runtime says of a container ID, for the container column that
     *     {@code --show-container} (a format with container labels) adds, and the cluster's pods
     */
    public TopView(Terminal terminal, UserNames users, String title, RowFormat format, IdentityLookup identity) {
        this.terminal = terminal;
        this.users = users;
        this.title = title;
        this.format = format;
        this.identity = identity;
    }

    /** The units numbers are shown in (--units, --bits); 'u' and 'B' change them. */
    public TopView withUnits(DisplayUnits shown) {
        this.units = shown;
        return this;
    }

    /**
     * What asks the engine to copy its connections into the snapshots, while they are shown (Enter):
     * the engine copies them only while someone looks.
     */
    public TopView withConnections(Runnable want) {
        this.wantConnections = want;
        return this;
    }

    /**
     * What keeps the run's summary (vnStat -l's), written when the view ends: every row of each
     * refresh, at most one a refresh interval (a key redraws sooner, which would make a rate of a
     * moment's bytes).
     */
    public TopView withSummary(LiveSummary seen) {
        this.summary = seen;
        return this;
    }

    /** Where the connections' remote ends get their names (DNS answers, reverse DNS). */
    public TopView withNames(RemoteNames remoteNames) {
        this.names = remoteNames;
        return this;
    }

    /** A line shown under the header (the last alert's, --alerts): stderr would be drawn over. */
    public TopView withStatus(Supplier<String> line) {
        this.status = line;
        return this;
    }

    /** Runs until 'q' (or {@code count} refreshes, if positive). */
    public void run(Supplier<EngineSnapshot> snapshots, Duration refresh, int count) throws IOException {
        Attributes saved = terminal.enterRawMode();
        terminal.puts(InfoCmp.Capability.enter_ca_mode);
        terminal.puts(InfoCmp.Capability.cursor_invisible);
        terminal.flush();
        Display display = new Display(terminal, true);
        NonBlockingReader reader = terminal.reader();
        try {
            int shown = 0;
            long nextRefresh = System.nanoTime();
            long nextSample = nextRefresh + refresh.toNanos();
            while (true) {
                long now = System.nanoTime();
                if (now - nextRefresh >= 0) {
                    Size size = terminal.getSize();
                    display.resize(Math.max(size.getRows(), 5), Math.max(size.getColumns(), 40));
                    if (connections != null) {
                        wantConnections.run();
                    }
                    EngineSnapshot snapshot = snapshots.get();
                    display.update(render(snapshot, display), -1);
                    if (summary != null && now - nextSample >= 0) {
                        summary.add(now, format.rows(snapshot), format);
                        nextSample = now + refresh.toNanos();
                    }
                    terminal.flush();
                    nextRefresh = now + refresh.toNanos();
                    if (count > 0 && ++shown >= count) {
                        return;
                    }
                }
                long waitMillis = Math.max(1, (nextRefresh - System.nanoTime()) / 1_000_000);
                int key = reader.read(waitMillis);
                if (key == NonBlockingReader.EOF || key == 3 || prompt == null && (key == 'q' || key == 'Q')) {
                    return;
                }
                if (key == TopKeys.ESC) {
                    key = TopKeys.afterEscape(reader); // an arrow key's ESC [ A is not Esc
                }
                if (key > 0 && handleKey(key)) {
                    nextRefresh = System.nanoTime(); // show the change at once
                }
            }
        } finally {
            terminal.puts(InfoCmp.Capability.cursor_visible);
            terminal.puts(InfoCmp.Capability.exit_ca_mode);
            terminal.flush();
            terminal.setAttributes(saved);
        }
    }

    boolean handleKey(int key) {
        notice = "";
        if (connections != null) {
            return connectionsKey(key);
        }
        if (prompt != null) {
            switch (prompt.key(key)) {
                case APPLIED -> {
                    format = format.withSearch(prompt.pattern());
                    prompt = null;
                }
                case CANCELLED -> prompt = null;
                default -> {
                    // still typing: the prompt's line shows it
                }
            }
            return true;
        }
        switch (key) {
            case '/' -> prompt = new SearchPrompt(format.search());
            case TopKeys.UP, TopKeys.DOWN -> moveCursor(key == TopKeys.UP ? -1 : 1);
            case '\r', '\n' -> open();
            case 'c' -> {
                if (format.containerLabel() == null) {
                    return false;
                }
                containerColumn = containerColumn.next();
            }
            case 's' -> format = format.withSortBySent(true);
            case 'r' -> format = format.withSortBySent(false);
            case 'm' -> format = format.withMode(format.mode().next());
            case 'u' -> units = units.nextScale();
            case 'B' -> units = units.toggleBits();
            case 'l' -> format = format.withCommandLine(!format.commandLine());
            case 'b' -> format = format.withBasename(!format.basename());
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean connectionsKey(int key) {
        switch (key) {
            case TopKeys.ESC -> connections = null;
            case 'u' -> units = units.nextScale();
            case 'B' -> units = units.toggleBits();
            default -> {
                return connections.key(key);
            }
        }
        return true;
    }

    private void moveCursor(int by) {
        int at = Math.max(0, shownRows.indexOf(currentRow()));
        if (!shownRows.isEmpty()) {
            selected = shownRows.get(Math.max(0, Math.min(shownRows.size() - 1, at + by))).key();
        }
    }

    /** The row under the cursor on the last screen: the one selected, else the first. */
    private AccountSnapshot currentRow() {
        for (AccountSnapshot a : shownRows) {
            if (a.key().equals(selected)) {
                return a;
            }
        }
        return shownRows.isEmpty() ? null : shownRows.get(0);
    }

    /** Enter: the connections of the row under the cursor, if it has any of its own. */
    private void open() {
        AccountSnapshot row = currentRow();
        if (row == null) {
            return;
        }
        selected = row.key();
        connections = ConnectionsView.of(row, format.name(row), names).orElse(null);
        if (connections == null) {
            notice = "Enter shows the connections of a process, a container or a pod";
        } else {
            wantConnections.run();
        }
    }

    List<AttributedString> render(EngineSnapshot snapshot, Display display) {
        int width = terminal.getWidth() > 0 ? terminal.getWidth() : 80;
        int height = terminal.getHeight() > 0 ? terminal.getHeight() : 24;
        List<AttributedString> lines = new ArrayList<>();
        List<String> plain = lines(snapshot, width, height);
        for (int i = 0; i < plain.size(); i++) {
            String line = plain.get(i);
            boolean title = line.startsWith("    PID") || line.startsWith("  TOTAL") || line.startsWith("NAMESPACE")
                    || connections != null && i == 4;
            lines.add(title || i == selectedLine
                    ? new AttributedStringBuilder().style(AttributedStyle.INVERSE).append(line).toAttributedString()
                    : new AttributedString(line));
        }
        return lines;
    }

    /** The screen as plain lines, each at most {@code width} wide. */
    List<String> lines(EngineSnapshot snapshot, int width, int height) {
        List<String> out = new ArrayList<>();
        ViewMode mode = format.mode();
        out.add(fit(title + "  " + snapshot.captureDescription(), width));
        out.add(fit(String.format(Locale.ROOT, "sort: %s  view: %s  flows: %d  kernel drops: %d%s",
                format.sortBySent() ? "sent" : "received", units.unit(mode), snapshot.flows(), snapshot.kernelDrops(),
                format.search() == null ? "" : "  filter: /" + format.search().pattern()), width));
        out.add(fit(notice.isEmpty() ? status.get() : notice, width));
        selectedLine = -1;
        if (connections != null) {
            List<AccountSnapshot> rows = format.rows(snapshot);
            AccountSnapshot row = rows.stream().filter(a -> a.key().equals(connections.subject())).findFirst().orElse(null);
            out.addAll(connections.lines(snapshot, row, units, width, height - out.size() - 1, System.nanoTime()));
            out.add(fit(CONNECTION_KEYS, width));
            return out;
        }
        if (format.level().kubernetes()) {
            podTable(snapshot, width, height, out);
            return out;
        }
        // PID USER NETNS [CONTAINER] PROGRAM DEV SENT RECEIVED: columns of fixed width, a space between.
        boolean containerCol = format.containerLabel() != null;
        int extra = containerCol ? CONTAINER_WIDTH + 1 : 0;
        int programWidth = Math.max(10, width - 7 - 1 - 9 - 1 - 10 - 1 - 1 - 10 - 1 - 14 - 1 - 14 - extra);
        String row = "%7s %-9s %-10s " + (containerCol ? "%-" + CONTAINER_WIDTH + "s " : "%s")
                + "%-" + programWidth + "s %-10s %14s %14s";
        RowFormat names = containerCol ? format.withContainerLabels(null) : format; // the column, not a prefix
        String what = switch (format.level()) {
            case APP -> "APP";
            case INTERFACE -> "DEVICE";
            case CONNECTION -> "CONNECTION PROGRAM";
            case PORT -> "PORT";
            default -> "PROGRAM";
        };
        out.add(fit(String.format(Locale.ROOT, row, "PID", "USER", "NETNS", containerCol ? containerColumn.title : "",
                what, format.level() == Level.INTERFACE ? "DROPS" : "DEV", "SENT " + units.unit(mode),
                "RECEIVED " + units.unit(mode)), width));
        List<AccountSnapshot> rows = format.rows(snapshot);
        int room = Math.max(1, height - out.size() - 2);
        double sent = 0;
        double received = 0;
        for (AccountSnapshot a : rows) {
            sent += mode.sentBytes(a);
            received += mode.receivedBytes(a);
        }
        show(rows, room, out, a -> {
            // An application, a device, a port are of no one process: PID empty ('?' is nethogs's for
            // bytes no process took); an application's or port's rows are of no one namespace either.
            boolean app = a.key() instanceof AppKey || a.key() instanceof InterfaceKey || a.key() instanceof PortKey;
            String pid = a.isProcess() ? Integer.toString(a.pid()) : app ? "" : "?";
            String user = a.isProcess() ? users.name(a.uid()) : "";
            String name = names.name(a) + (a.exited() ? " (exited)" : "");
            String netns = a.key() instanceof AppKey || a.key() instanceof PortKey ? ""
                    : a.key().netns() == 0 ? "host" : Long.toString(a.key().netns());
            String container = containerCol ? clip(containerCell(a), CONTAINER_WIDTH) : "";
            return fit(String.format(Locale.ROOT, row, pid, clip(user, 9), netns, container, clip(name, programWidth),
                    clip(deviceCell(snapshot, a), 10), units.format(mode, mode.sentBytes(a)),
                    units.format(mode, mode.receivedBytes(a))), width);
        });
        // A byte that crossed a veth and its bridge is in both devices' rows: no total is theirs.
        out.add(fit(String.format(Locale.ROOT, "  TOTAL %" + (programWidth + 32 + extra) + "s %14s %14s",
                format.level() == Level.INTERFACE ? "(a byte on two devices counts in both)" : "",
                units.format(mode, sent), units.format(mode, received)), width));
        out.add(fit(prompt != null ? prompt.line() : containerCol ? KEYS + "  c container name/ID/image" : KEYS, width));
        return out;
    }

    private String containerCell(AccountSnapshot a) {
        CgroupIdentity cgroup = a.cgroup();
        if (!cgroup.inContainer()) {
            return "";
        }
        return switch (containerColumn) {
            case NAME -> format.containerLabel().apply(cgroup);
            case ID -> cgroup.containerId().substring(0, 12);
            case IMAGE -> identity.container(cgroup.containerId()).map(ContainerInfo::image).orElse("");
        };
    }

    /** Pods, namespaces or workloads ({@link PodTable}). */
    private void podTable(EngineSnapshot snapshot, int width, int height, List<String> out) {
        PodTable table = new PodTable(format, units, identity, width);
        out.add(table.header());
        List<AccountSnapshot> rows = format.rows(snapshot);
        show(rows, height - out.size() - 2, out, table::line);
        out.add(table.total(rows));
        out.add(fit(prompt != null ? prompt.line() : KEYS, width));
    }

    /** The rows that fit in {@code room} lines, the cursor's marked: the rows the keys move over. */
    private void show(List<AccountSnapshot> rows, int room, List<String> out,
                      java.util.function.Function<AccountSnapshot, String> line) {
        shownRows = rows.subList(0, Math.min(rows.size(), Math.max(1, room)));
        AccountSnapshot cursor = currentRow();
        for (AccountSnapshot a : shownRows) {
            if (a == cursor) {
                selectedLine = out.size();
            }
            out.add(line.apply(a));
        }
    }

    /** The devices of a row; of a device's row (--by interface), its handle's kernel drops ("-": no handle of its own). */
    private static String deviceCell(EngineSnapshot snapshot, AccountSnapshot a) {
        if (a.key() instanceof InterfaceKey i) {
            java.util.OptionalLong drops = snapshot.deviceKernelDrops(i.name());
            return drops.isPresent() ? Long.toString(drops.getAsLong()) : "-";
        }
        return devices(snapshot, a);
    }

    private static String devices(EngineSnapshot snapshot, AccountSnapshot a) {
        List<Integer> interfaces = a.interfaces();
        if (interfaces.isEmpty()) {
            return "";
        }
        String first = snapshot.interfaceName(interfaces.get(0));
        return interfaces.size() == 1 ? first : first + ",+" + (interfaces.size() - 1);
    }

    static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(0, width - 1)) + "~";
    }

    static String fit(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width);
    }
}
