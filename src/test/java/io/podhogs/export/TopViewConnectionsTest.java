package io.podhogs.export;

import static io.podhogs.export.ConnectionFixtures.account;
import static io.podhogs.export.ConnectionFixtures.flow;
import static io.podhogs.export.ConnectionFixtures.process;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.ExitedProcessesKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.engine.FlowSnapshot;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import io.podhogs.identity.QosClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The top view's connections: Up/Down move the cursor, Enter opens the connections of the row under
 * it (iftop's two lines each, its rates, peak and bytes), '<' and '>' move the sort, Esc goes back.
 */
class TopViewConnectionsTest {
    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    private static final CgroupIdentity WEB = new CgroupIdentity("docker", "a".repeat(64), "", QosClass.NONE);
    private static final ProcessOwner CURL = process(7, "/usr/bin/curl", CgroupIdentity.NONE);
    private static final ProcessOwner NGINX = process(8, "/usr/sbin/nginx", WEB);

    private static final FlowSnapshot TO_80 = flow(CURL, 40000, 80, new Traffic(600, 6, 300_000, 200));
    private static final FlowSnapshot TO_443 = flow(CURL, 40001, 443, new Traffic(3000, 3, 1500, 6));
    private static final FlowSnapshot SERVED = flow(NGINX, 8080, 51234, new Traffic(10, 1, 20, 1));

    private static EngineSnapshot twoProcesses() {
        return ConnectionFixtures.snapshot(T0, List.of(account(CURL, new Traffic(4000, 10, 301_500, 206)),
                account(NGINX, SERVED.credited()),
                new AccountSnapshot(new ExitedProcessesKey(CgroupIdentity.NONE, 0), Map.of(), new Traffic(1, 1, 1, 1), 0, 0,
                        true, 0, 0)), List.of(TO_80, TO_443, SERVED), 1_000_000_000L, 0);
    }

    private static TopView view(RowFormat format, AtomicInteger asked) {
        return new TopView(null, new UserNames(HostFiles.system()), "podhogs", format).withConnections(asked::incrementAndGet);
    }

    private static String text(List<String> lines) {
        return String.join("\n", lines);
    }

    @Test
    void enterOpensTheConnectionsOfTheRowUnderTheCursorAndEscGoesBack() {
        AtomicInteger asked = new AtomicInteger();
        TopView view = view(new RowFormat(ViewMode.TOTAL_BYTES, false, false, false), asked);
        EngineSnapshot s = twoProcesses();
        List<String> table = view.lines(s, 132, 24);
        assertTrue(table.get(4).contains("/usr/bin/curl"), () -> "curl received most, first:\n" + text(table));

        assertTrue(view.handleKey('\r'));
        assertEquals(1, asked.get(), "the engine is asked for its connections");
        List<String> lines = view.lines(s, 132, 24);
        assertTrue(lines.get(3).startsWith("connections of /usr/bin/curl: 2  sort: 2s"), () -> text(lines));
        assertTrue(lines.get(4).matches("LOCAL +REMOTE +PROTO CLASS +2s\\* +10s +40s +PEAK +TOTAL"), lines.get(4));
        // Sorted by the 2-second rate, none yet from one copy: then by bytes so far, the port 80 one first.
        assertTrue(lines.get(5).matches("10\\.0\\.0\\.2:40000 +=> 10\\.0\\.0\\.1:80 +tcp .* 600B"), lines.get(5));
        assertTrue(lines.get(6).matches(" +<= +0B/s +0B/s +0B/s +0B/s +293\\.0KB"), lines.get(6));
        assertTrue(lines.get(7).matches("10\\.0\\.0\\.2:40001 +=> 10\\.0\\.0\\.1:443 +tcp .* 2\\.9KB"), lines.get(7));
        assertEquals("  other connections (closed, not TCP or UDP, not listed): sent 400B, received 0B; the row: sent"
                + " 3.9KB, received 294.4KB", lines.get(9));
        assertFalse(text(lines).contains("8080"), "nginx's connection is not curl's");

        assertTrue(view.handleKey('<'), "the sort moves left: CLASS");
        assertTrue(view.handleKey('<'));
        assertTrue(view.handleKey('<'), "and to REMOTE");
        List<String> byRemote = view.lines(s, 132, 24);
        assertTrue(byRemote.get(4).contains("REMOTE*"), byRemote.get(4));
        assertTrue(byRemote.get(5).contains("10.0.0.1:443"), () -> "\"10.0.0.1:443\" sorts before \":80\":\n"
                + text(byRemote));

        assertTrue(view.handleKey(TopKeys.ESC));
        assertTrue(view.lines(s, 132, 24).get(3).startsWith("    PID"), "back to the table");
    }

    @Test
    void theCursorMovesByRowAndEnterOnARowOfNoConnectionsSaysWhatItDoes() {
        TopView view = view(new RowFormat(ViewMode.TOTAL_BYTES, false, false, false), new AtomicInteger());
        EngineSnapshot s = twoProcesses();
        view.lines(s, 132, 24);
        view.handleKey(TopKeys.DOWN);
        view.lines(s, 132, 24);
        view.handleKey('\r');
        assertTrue(view.lines(s, 132, 24).get(3).startsWith("connections of /usr/sbin/nginx: 1"));
        view.handleKey(TopKeys.ESC);
        view.lines(s, 132, 24);
        view.handleKey(TopKeys.DOWN);
        view.lines(s, 132, 24);
        view.handleKey(TopKeys.DOWN); // the last row stays the last
        view.lines(s, 132, 24);
        view.handleKey('\r');
        List<String> lines = view.lines(s, 132, 24);
        assertEquals("Enter shows the connections of a process, a container or a pod", lines.get(2), text(lines));
        assertTrue(lines.get(3).startsWith("    PID"), "still the table");
    }

    @Test
    void aContainersConnectionsAreThoseOfItsProcesses() {
        RowFormat byContainer = new RowFormat(ViewMode.TOTAL_BYTES, false, false, false).withGrouping(Level.CONTAINER,
                (accounts, snapshot) -> Level.CONTAINER.group(accounts, snapshot, id -> "web", io.podhogs.identity.IdentityLookup.NONE,
                        null));
        TopView view = view(byContainer, new AtomicInteger());
        EngineSnapshot s = twoProcesses();
        List<String> table = view.lines(s, 132, 24);
        int web = 0;
        while (!table.get(4 + web).contains("web")) {
            web++;
        }
        for (int i = 0; i < web; i++) {
            view.handleKey(TopKeys.DOWN);
        }
        view.handleKey('\r');
        List<String> lines = view.lines(s, 132, 24);
        assertTrue(lines.get(3).startsWith("connections of web: 1"), () -> text(lines));
        assertTrue(text(lines).contains("10.0.0.2:8080"), () -> text(lines));
    }

    /** The smallest screen the view draws (40x5, what it resizes a smaller one to) still fits, a line each. */
    @Test
    void aTinyScreenGetsWhatFitsAndNoLineWiderThanIt() {
        TopView view = view(new RowFormat(ViewMode.TOTAL_BYTES, false, false, false), new AtomicInteger());
        EngineSnapshot s = twoProcesses();
        view.lines(s, 40, 5);
        view.handleKey('\r');
        List<String> lines = view.lines(s, 40, 5);
        assertTrue(lines.size() <= 9, () -> text(lines));
        lines.forEach(l -> assertTrue(l.length() <= 40, l));
        assertTrue(lines.get(3).startsWith("connections of /usr/bin/curl"), () -> text(lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("=>")), () -> "one connection at least:\n" + text(lines));
    }

    @Test
    void tenThousandConnectionsShowWhatFitsAndScroll() {
        List<FlowSnapshot> flows = new ArrayList<>();
        Traffic total = Traffic.NONE;
        for (int i = 0; i < 10_000; i++) {
            FlowSnapshot f = flow(CURL, 20000 + i, 80, new Traffic(i + 1, 1, 0, 0));
            flows.add(f);
            total = total.plus(f.credited());
        }
        EngineSnapshot s = ConnectionFixtures.snapshot(T0, List.of(account(CURL, total)), flows, 1, 5);
        TopView view = view(new RowFormat(ViewMode.TOTAL_BYTES, false, false, false), new AtomicInteger());
        view.lines(s, 100, 30);
        view.handleKey('\r');
        List<String> lines = view.lines(s, 100, 30);
        // Two lines a connection: a screen of an even number of rows leaves one empty.
        assertEquals(29, lines.size(), () -> text(lines));
        assertTrue(lines.get(3).startsWith("connections of /usr/bin/curl: 10000 (the host's busiest 10000 of 10005 are"
                + " listed)"), lines.get(3));
        assertTrue(lines.get(5).startsWith("10.0.0.2:29999 "), "the most bytes first: " + lines.get(5));
        view.handleKey(TopKeys.DOWN);
        assertTrue(view.lines(s, 100, 30).get(5).startsWith("10.0.0.2:29998 "), "scrolled by one connection");
        lines.forEach(l -> assertTrue(l.length() <= 100, l));
    }
}
