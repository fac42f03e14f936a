package io.podhogs.export;

import io.podhogs.accounting.AccountKey;
import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ConnectionKey;
import io.podhogs.accounting.ContainerKey;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.PodKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.FlowKey;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.attribution.TransitOwner;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.engine.FlowSnapshot;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.names.RemoteNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The top view's connections of one row (Enter on a process, container or pod; Esc goes back), as
 * iftop shows a host's: a connection on two lines, {@code =>} what its socket sent and {@code <=}
 * what it received, with the rates over 2, 10 and 40 seconds, the peak 2-second rate and the bytes
 * so far; sorted by any column ('&lt;' and '&gt;' move the sort, as htop's); the remote end by its
 * name where one is known ('n' shows addresses instead, as iftop's). A last line holds the
 * rest of the row's bytes, which no listed connection holds (connections closed, not TCP or UDP,
 * beyond the engine's listed busiest), so that the lines add up to the row. Only the lines that fit
 * are formatted: a process with 10,000 connections costs a sort, not 10,000 lines.
 */
final class ConnectionsView {
    /** The columns, in screen order; the sort moves along them. */
    enum Column {
        LOCAL("LOCAL"), REMOTE("REMOTE"), PROTO("PROTO"), CLASS("CLASS"), RATE_2S("2s"), RATE_10S("10s"),
        RATE_40S("40s"), PEAK("PEAK"), TOTAL("TOTAL");

        final String title;

        Column(String title) {
            this.title = title;
        }

        Column next(int by) {
            return values()[Math.floorMod(ordinal() + by, values().length)];
        }
    }

    /**
     * One listed connection with its rates at the last refresh, and its remote end's name (the
     * cluster's, a DNS answer's, reverse DNS's; "" for none known).
     */
    private record Line(FlowSnapshot flow, ConnectionKey key, RateHistory.Rates rates, String remoteName) {
        double value(Column c) {
            Traffic t = flow.credited();
            return switch (c) {
                case RATE_2S -> rates.sent()[0] + rates.received()[0];
                case RATE_10S -> rates.sent()[1] + rates.received()[1];
                case RATE_40S -> rates.sent()[2] + rates.received()[2];
                case PEAK -> rates.peakSent() + rates.peakReceived();
                default -> t.sentBytes() + t.receivedBytes();
            };
        }

        String text(Column c, boolean names) {
            return switch (c) {
                case LOCAL -> key.local();
                case REMOTE -> remote(names);
                case PROTO -> key.protocol();
                default -> key.remoteClass();
            };
        }

        /** The remote end as shown: its name and port where one is known and names are shown. */
        String remote(boolean names) {
            return names && !remoteName.isEmpty() ? remoteName + ":" + flow.key().remotePort() : key.remote();
        }
    }

    private final AccountKey subject;
    private final String name;
    private final BiPredicate<FlowSnapshot, EngineSnapshot> owns;
    private final RateHistory<FlowKey> history = new RateHistory<>();
    private final RemoteNames names;
    private boolean showNames = true;
    private Column sort = Column.RATE_2S;
    private int offset;
    private EngineSnapshot last;
    private List<Line> lines = List.of();

    private ConnectionsView(AccountKey subject, String name, BiPredicate<FlowSnapshot, EngineSnapshot> owns,
                            RemoteNames names) {
        this.subject = subject;
        this.name = name;
        this.owns = owns;
        this.names = names;
    }

    /**
     * The connections of {@code row}, shown under {@code name}: of a process (or another owner of
     * flows), a container or a pod; none for rows of no connections of their own (namespaces,
     * applications, exited processes, devices).
     */
    static Optional<ConnectionsView> of(AccountSnapshot row, String name, RemoteNames names) {
        AccountKey key = row.key();
        if (key instanceof OwnerKey o && !(o.owner() instanceof TransitOwner)) {
            return Optional.of(new ConnectionsView(key, name, (f, s) -> f.owner().equals(o.owner()), names));
        }
        if (key instanceof ContainerKey c) {
            String id = c.cgroup().containerId();
            return Optional.of(new ConnectionsView(key, name, (f, s) -> cgroup(f, s).containerId().equals(id), names));
        }
        if (key instanceof PodKey p) {
            return Optional.of(new ConnectionsView(key, name, (f, s) -> cgroup(f, s).podUid().equals(p.uid()), names));
        }
        return Optional.empty();
    }

    /** A flow's container: its process's, else that of the network namespace it is in (its other traffic). */
    private static CgroupIdentity cgroup(FlowSnapshot f, EngineSnapshot s) {
        return f.owner() instanceof ProcessOwner p ? p.process().cgroup()
                : s.containersByNetns().getOrDefault(f.owner().netns(), CgroupIdentity.NONE);
    }

    AccountKey subject() {
        return subject;
    }

    /** '&lt;' and '&gt;' move the sort, Up and Down scroll; false for keys of no meaning here. */
    boolean key(int key) {
        switch (key) {
            case 'n' -> showNames = !showNames;
            case '<' -> sort = sort.next(-1);
            case '>' -> sort = sort.next(1);
            case TopKeys.UP -> offset = Math.max(0, offset - 1);
            case TopKeys.DOWN -> offset = Math.min(Math.max(0, lines.size() - 1), offset + 1);
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * The screen below the top view's header: the title line, the columns, the connections that fit
     * and the rest. {@code row} is the subject's row in this snapshot, null once it is gone.
     */
    List<String> lines(EngineSnapshot s, AccountSnapshot row, DisplayUnits units, int width, int height, long nowNanos) {
        if (s != last) {
            sample(s, nowNanos);
        }
        List<Line> sorted = new ArrayList<>(lines);
        sorted.sort(order());
        List<String> out = new ArrayList<>();
        long listed = s.connections().flows().size() + s.connections().omitted();
        out.add(TopView.fit(String.format(Locale.ROOT, "connections of %s: %d%s  sort: %s (< >)  Esc back", name,
                sorted.size(), s.connections().omitted() > 0 ? " (the host's busiest " + s.connections().flows().size()
                        + " of " + listed + " are listed)" : "", sort.title), width));
        int addressWidth = Math.max(15, (width - 4 - 6 - 10 - 5 * 11) / 2); // the rest of a line: 75 columns
        String format = "%-" + addressWidth + "s %2s %-" + addressWidth + "s %-5s %-9s %10s %10s %10s %10s %10s";
        List<String> titles = new ArrayList<>();
        for (Column c : Column.values()) {
            titles.add(c == sort ? c.title + "*" : c.title);
        }
        out.add(TopView.fit(String.format(Locale.ROOT, format, titles.get(0), "", titles.get(1), titles.get(2),
                titles.get(3), titles.get(4), titles.get(5), titles.get(6), titles.get(7), titles.get(8)), width));
        int room = Math.max(1, (height - out.size() - 2) / 2);
        offset = Math.min(offset, Math.max(0, sorted.size() - room));
        Traffic listedBytes = Traffic.NONE;
        for (Line l : sorted) {
            listedBytes = listedBytes.plus(l.flow().credited());
        }
        for (Line l : sorted.subList(offset, Math.min(sorted.size(), offset + room))) {
            RateHistory.Rates r = l.rates();
            Traffic t = l.flow().credited();
            out.add(TopView.fit(String.format(Locale.ROOT, format, TopView.clip(l.key().local(), addressWidth), "=>",
                    TopView.clip(l.remote(showNames), addressWidth), l.key().protocol(), TopView.clip(l.key().remoteClass(), 9),
                    units.human(r.sent()[0], true), units.human(r.sent()[1], true), units.human(r.sent()[2], true),
                    units.human(r.peakSent(), true), units.human(t.sentBytes(), false)), width));
            out.add(TopView.fit(String.format(Locale.ROOT, format, "", "<=", l.key().inferred() ? "(owner inferred)" : "",
                    "", "", units.human(r.received()[0], true), units.human(r.received()[1], true),
                    units.human(r.received()[2], true), units.human(r.peakReceived(), true),
                    units.human(t.receivedBytes(), false)), width));
        }
        if (row == null) {
            out.add(TopView.fit("  (the row is gone: its process exited, or its pod was deleted)", width));
        } else {
            Traffic total = row.total();
            out.add(TopView.fit(String.format(Locale.ROOT, "  %s (closed, not TCP or UDP, not listed): sent %s,"
                            + " received %s; the row: sent %s, received %s", ConnectionKey.REST,
                    units.human(Math.max(0, total.sentBytes() - listedBytes.sentBytes()), false),
                    units.human(Math.max(0, total.receivedBytes() - listedBytes.receivedBytes()), false),
                    units.human(total.sentBytes(), false), units.human(total.receivedBytes(), false)), width));
        }
        return out;
    }

    /** The subject's connections of a new snapshot, each with its rates one sample further. */
    private void sample(EngineSnapshot s, long nowNanos) {
        history.beginRefresh();
        List<Line> now = new ArrayList<>();
        for (FlowSnapshot f : s.connections().flows()) {
            if (owns.test(f, s)) {
                Traffic t = f.credited();
                ConnectionKey key = ConnectionKey.of(f.key(), f.owner(), f.peer(), f.inferred());
                now.add(new Line(f, key, history.sample(f.key(), t.sentBytes(), t.receivedBytes(), nowNanos),
                        names.name(key.peerName(), f.key())));
            }
        }
        history.endRefresh();
        lines = now;
        last = s;
    }

    /** Numbers highest first, text in order; ties by bytes so far, then by the local end. */
    private Comparator<Line> order() {
        Comparator<Line> bySort = switch (sort) {
            case LOCAL, REMOTE, PROTO, CLASS -> Comparator.comparing(l -> l.text(sort, showNames));
            default -> Comparator.comparingDouble((Line l) -> l.value(sort)).reversed();
        };
        return bySort.thenComparing(Comparator.comparingDouble((Line l) -> l.value(Column.TOTAL)).reversed())
                .thenComparing(l -> l.key().local());
    }
}
