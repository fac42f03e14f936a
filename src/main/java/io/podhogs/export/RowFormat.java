package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ConnectionKey;
import io.podhogs.accounting.FilteredAccounts;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.identity.CgroupIdentity;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which rows to show and in what order, shared by the trace, JSON and top views.
 *
 * @param commandLine show the whole command line instead of the program (nethogs's {@code -l})
 * @param basename show only the program's base name (nethogs's {@code -b})
 * @param level what the rows are ({@code --by})
 * @param grouping how the accounts are summed into that level before they are shown
 * @param containerLabel the label of a process's container in front of its name, or null for none
 * @param commandLines whether command lines and programs are shown with secrets hidden (the default) or whole
 * @param search the top view's filter ('/'), or null: rows whose name (a process's program or
 *     command line) it matches, the rest summed into one 'filtered' row
 */
public record RowFormat(ViewMode mode, boolean sortBySent, boolean commandLine, boolean basename,
                        Level level, BiFunction<List<AccountSnapshot>, EngineSnapshot, List<AccountSnapshot>> grouping,
                        Function<CgroupIdentity, String> containerLabel, CommandLines commandLines, Pattern search) {

    public RowFormat(ViewMode mode, boolean sortBySent, boolean commandLine, boolean basename) {
        this(mode, sortBySent, commandLine, basename, Level.PROCESS, (accounts, snapshot) -> accounts, null,
                CommandLines.REDACTED, null);
    }

    public RowFormat withMode(ViewMode newMode) {
        return new RowFormat(newMode, sortBySent, commandLine, basename, level, grouping, containerLabel, commandLines, search);
    }

    public RowFormat withSortBySent(boolean bySent) {
        return new RowFormat(mode, bySent, commandLine, basename, level, grouping, containerLabel, commandLines, search);
    }

    public RowFormat withCommandLine(boolean show) {
        return new RowFormat(mode, sortBySent, show, basename, level, grouping, containerLabel, commandLines, search);
    }

    public RowFormat withBasename(boolean show) {
        return new RowFormat(mode, sortBySent, commandLine, show, level, grouping, containerLabel, commandLines, search);
    }

    /** Rows of {@code by}, summed by {@code grouping}. */
    public RowFormat withGrouping(Level by, BiFunction<List<AccountSnapshot>, EngineSnapshot, List<AccountSnapshot>> grouping) {
        return new RowFormat(mode, sortBySent, commandLine, basename, by, grouping, containerLabel, commandLines, search);
    }

    /**
     * Process rows in a container get the container's label in front of their name
     * ({@code --show-container}: "web:/usr/sbin/nginx"), which keeps nethogs's program/pid/uid shape.
     */
    public RowFormat withContainerLabels(Function<CgroupIdentity, String> label) {
        return new RowFormat(mode, sortBySent, commandLine, basename, level, grouping, label, commandLines, search);
    }

    /** Command lines and programs whole ({@code --show-secrets}) or with secrets hidden. */
    public RowFormat withCommandLines(CommandLines shown) {
        return new RowFormat(mode, sortBySent, commandLine, basename, level, grouping, containerLabel, shown, search);
    }

    /** Rows whose name {@code pattern} matches, the rest summed into 'filtered'; null: every row. */
    public RowFormat withSearch(Pattern pattern) {
        return new RowFormat(mode, sortBySent, commandLine, basename, level, grouping, containerLabel, commandLines,
                pattern);
    }

    /** The rows to show: the accounts grouped (a filter's 'filtered' row among them), searched, sorted. */
    public List<AccountSnapshot> rows(EngineSnapshot snapshot) {
        List<AccountSnapshot> accounts = snapshot.accounts();
        Comparator<AccountSnapshot> byValue = Comparator.comparingDouble(
                a -> sortBySent ? mode.sent(a) : mode.received(a));
        Comparator<AccountSnapshot> byOther = Comparator.comparingDouble(
                a -> sortBySent ? mode.received(a) : mode.sent(a));
        List<AccountSnapshot> grouped = grouping.apply(accounts, snapshot);
        if (search != null) {
            grouped = FilteredAccounts.keep(grouped, this::found);
        }
        return grouped.stream()
                .sorted(byValue.reversed().thenComparing(byOther.reversed())
                        .thenComparing(AccountSnapshot::program).thenComparingInt(AccountSnapshot::pid))
                .toList();
    }

    /** Whether the search finds the row: its name as shown, or a process's program or command line. */
    private boolean found(AccountSnapshot a) {
        return search.matcher(name(a)).find() || a.isProcess()
                && (search.matcher(a.program()).find() || search.matcher(a.commandLine()).find());
    }

    /**
     * The name to show, on one line: a command line may hold newlines and tabs (sh -c and python -c
     * scripts do), which would split a trace row or a row of the top view, and escape characters,
     * which a terminal would obey. White space becomes a space and other control characters '?',
     * as ps shows them. JSON, which escapes, writes the names as they are.
     */
    public String name(AccountSnapshot a) {
        String name = rawName(a);
        if (containerLabel != null && a.isProcess() && a.cgroup().inContainer()) {
            name = containerLabel.apply(a.cgroup()) + ":" + name;
        }
        return printable(name);
    }

    private String rawName(AccountSnapshot a) {
        if (a.key() instanceof ConnectionKey c) {
            // The connection, then its owner as its process row names it.
            return c.name() + " " + (a.isProcess() ? processName(a) : a.program());
        }
        if (!a.isProcess()) {
            return a.program();
        }
        return processName(a);
    }

    private String processName(AccountSnapshot a) {
        if (commandLine) {
            return commandLines.command(a);
        }
        String program = commandLines.program(a);
        if (basename) {
            int slash = program.lastIndexOf('/');
            return slash >= 0 && slash < program.length() - 1 ? program.substring(slash + 1) : program;
        }
        return program;
    }

    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length()).append(s, 0, i);
                }
                b.append(Character.isWhitespace(c) ? ' ' : '?');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
