package io.podhogs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ResolverStats;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The top view's '/' key: a regular expression typed on the last line shows only the rows it finds,
 * the others summed into one 'filtered' row, and TOTAL stays what it was.
 */
class TopViewSearchTest {
    private static AccountSnapshot process(int pid, String program, long sent, long received) {
        Traffic t = new Traffic(sent, 1, received, 1);
        return new AccountSnapshot(new OwnerKey(new ProcessOwner(new ProcessInfo(pid, pid, 0, program,
                program + " --serve", "p", CgroupIdentity.NONE), 0)), Map.of(3, t), t, 0, 0, false, 0, 0);
    }

    private static EngineSnapshot snapshot() {
        return new EngineSnapshot(Instant.EPOCH, List.of(
                process(7, "/usr/sbin/nginx", 3 * 1024, 5 * 1024),
                process(8, "/usr/bin/curl", 1024, 2 * 1024),
                process(9, "/usr/bin/wget", 2 * 1024, 4 * 1024)),
                List.of(), Map.of(3, "veth1"), 3, 0, new ResolverStats(0, 0, 0, 0, 0, 0, 0, 3), "any", Map.of());
    }

    private static TopView view() {
        return new TopView(null, new UserNames(HostFiles.system()), "podhogs",
                new RowFormat(ViewMode.TOTAL_KB, false, false, false));
    }

    private static void type(TopView view, String keys) {
        keys.chars().forEach(k -> assertTrue(view.handleKey(k), () -> "key " + (char) k + " redraws"));
    }

    private static List<String> rows(List<String> lines) {
        return lines.stream().filter(l -> l.contains("/usr/") || l.contains(" filtered ")).toList();
    }

    private static String line(List<String> lines, String start) {
        return lines.stream().filter(l -> l.strip().startsWith(start)).findFirst().orElseThrow(() ->
                new AssertionError("no line starting with " + start + " in\n" + String.join("\n", lines)));
    }

    @Test
    void slashFiltersTheRowsAndTheRestIsOneFilteredRowWithTheSameTotal() {
        TopView view = view();
        List<String> before = view.lines(snapshot(), 120, 20);
        String total = line(before, "TOTAL");

        type(view, "/");
        List<String> prompting = view.lines(snapshot(), 120, 20);
        assertTrue(prompting.get(prompting.size() - 1).startsWith("filter (regex; Enter applies"),
                () -> "the last line is the prompt: " + prompting);
        type(view, "ng|cu");
        assertTrue(view.lines(snapshot(), 120, 20).get(prompting.size() - 1).endsWith("/ng|cu"), "what is typed shows");
        assertEquals(3, rows(view.lines(snapshot(), 120, 20)).size(), "nothing applied before Enter");

        type(view, "\r");
        List<String> after = view.lines(snapshot(), 120, 20);
        List<String> shown = rows(after);
        assertEquals(3, shown.size(), () -> "nginx, curl and the filtered row: " + after);
        assertEquals(1, shown.stream().filter(l -> l.contains("/usr/sbin/nginx")).count(), shown::toString);
        assertEquals(1, shown.stream().filter(l -> l.contains("/usr/bin/curl")).count(), shown::toString);
        assertTrue(shown.stream().anyMatch(l -> l.matches(".* filtered .* 2\\.000 +4\\.000 *$")),
                () -> "wget's bytes in the filtered row: " + shown);
        assertTrue(shown.stream().noneMatch(l -> l.contains("wget")), shown::toString);
        assertEquals(total, line(after, "TOTAL"), "TOTAL is what the interfaces carried, filter or not");
        assertTrue(after.get(1).endsWith("filter: /ng|cu"), after.get(1));
    }

    @Test
    void escCancelsEmptyClearsAndABadExpressionStaysToBeMended() {
        TopView view = view();
        type(view, "/wget\r");
        assertEquals(2, rows(view.lines(snapshot(), 120, 20)).size(), "wget and the filtered row");

        type(view, "/x\u001b");
        assertEquals(2, rows(view.lines(snapshot(), 120, 20)).size(), "Esc keeps the filter as it was");

        type(view, "/\u0015(\r"); // Ctrl-U empties the line, "(" is no regular expression
        List<String> bad = view.lines(snapshot(), 120, 20);
        assertTrue(bad.get(bad.size() - 1).matches(".*/\\( +\\[Unclosed group\\]"), bad::toString);
        type(view, "\u007f\r"); // backspace, then an empty expression shows every row again
        List<String> all = view.lines(snapshot(), 120, 20);
        assertEquals(3, rows(all).size(), all::toString);
        assertTrue(all.get(1).endsWith("kernel drops: 0"), "no filter in the header: " + all.get(1));
    }

    /** --by app: applications have no PID or namespace of their own; the column says APP; the status line shows. */
    @Test
    void applicationRowsAndTheStatusLine() {
        io.podhogs.apps.Applications apps = io.podhogs.apps.Applications.automatic();
        TopView view = new TopView(null, new UserNames(HostFiles.system()), "podhogs",
                new RowFormat(ViewMode.TOTAL_KB, false, false, false).withGrouping(Level.APP, (accounts, snapshot) ->
                        Level.APP.group(accounts, snapshot, id -> null, io.podhogs.identity.IdentityLookup.NONE, apps)))
                .withStatus(() -> "alert FIRING hog: process /usr/bin/curl/8 12.00 KiB/s out (10s average)");
        List<String> lines = view.lines(snapshot(), 120, 20);
        assertEquals("alert FIRING hog: process /usr/bin/curl/8 12.00 KiB/s out (10s average)", lines.get(2));
        assertTrue(line(lines, "PID").strip().matches("PID USER +NETNS +APP +DEV .*"), lines::toString);
        String nginx = lines.stream().filter(l -> l.contains(" nginx ")).findFirst().orElseThrow(() -> new AssertionError(String.join("\n", lines)));
        assertTrue(nginx.matches(" {29}nginx +veth1 +\\S+ +\\S+"), () -> "no PID, user or namespace: '" + nginx + "'");
    }

    /** 'u' goes from nethogs's sizes to IEC's and SI's, 'B' to bits (iftop's), in the header and the numbers. */
    @Test
    void unitsAndBitsChangeTheHeaderAndTheNumbers() {
        TopView view = view(); // -v 1: totals in KB
        assertTrue(line(view.lines(snapshot(), 120, 20), "PID").contains("SENT KB"));
        assertTrue(line(view.lines(snapshot(), 120, 20), "TOTAL").endsWith("6.000         11.000"));
        type(view, "u");
        assertTrue(line(view.lines(snapshot(), 120, 20), "PID").contains("SENT KiB"));
        type(view, "u");
        List<String> si = view.lines(snapshot(), 120, 20);
        assertTrue(line(si, "PID").contains("SENT kB"), si::toString);
        assertTrue(line(si, "TOTAL").endsWith("6.144         11.264"), () -> "6 KiB are 6.144 kB: " + si);
        type(view, "B");
        List<String> bits = view.lines(snapshot(), 120, 20);
        assertTrue(line(bits, "PID").contains("SENT kbit") && bits.get(1).contains("view: kbit"), bits::toString);
        assertTrue(line(bits, "TOTAL").endsWith("49.152         90.112"), () -> "8 bits a byte: " + bits);
        type(view, "u");
        assertTrue(line(view.lines(snapshot(), 120, 20), "PID").contains("SENT Kbit"), "back to nethogs's sizes, in bits");
    }

    /** --by interface: a row a device, named in a DEVICE column, and a TOTAL that says it is none of theirs. */
    @Test
    void deviceRowsSayTheyDoNotAddUp() {
        InterfaceRows devices = new InterfaceRows(0);
        TopView view = new TopView(null, new UserNames(HostFiles.system()), "podhogs",
                new RowFormat(ViewMode.TOTAL_KB, false, false, false).withGrouping(Level.INTERFACE,
                        (accounts, snapshot) -> devices.rows(snapshot, 1_000_000_000L)));
        List<String> lines = view.lines(snapshot(), 120, 20);
        assertTrue(line(lines, "PID").strip().matches("PID USER +NETNS +DEVICE +DROPS .*"), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches(" {18}host +veth1 +- +6\\.000 +11\\.000")),
                () -> "one row, the device's, and no drops of its own on the any device: " + lines);
        assertTrue(line(lines, "TOTAL").contains("(a byte on two devices counts in both)"), lines::toString);

        // A handle per device (--capture per-device): the device's own kernel drops.
        EngineSnapshot perDevice = snapshot();
        perDevice = new EngineSnapshot(perDevice.time(), perDevice.accounts(), List.of(new io.podhogs.capture.CaptureStatus(
                "veth1", 10, 1000, 0, 0, 0, 7, 0, true, "")), perDevice.interfaceNames(), perDevice.flows(), 0,
                perDevice.resolver(), "per-device", perDevice.containersByNetns());
        List<String> withDrops = view.lines(perDevice, 120, 20);
        assertTrue(withDrops.stream().anyMatch(l -> l.matches(" {18}host +veth1 +7 +6\\.000 +11\\.000")),
                withDrops::toString);
    }

    @Test
    void qIsTypedWhileThePromptIsOpen() {
        TopView view = view();
        type(view, "/qu");
        List<String> lines = view.lines(snapshot(), 120, 20);
        assertTrue(lines.get(lines.size() - 1).endsWith("/qu"), lines::toString);
    }
}
