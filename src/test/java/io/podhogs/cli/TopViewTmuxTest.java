package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.podhogs.testing.Shell;
import io.podhogs.testing.TestNet;
import io.podhogs.testing.TmuxPane;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The top view as a person uses it: podhogs in a terminal of a known size (a detached tmux session
 * on a tmux server of the test's own), keys typed into it, and the screen read back as it shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class TopViewTmuxTest {
    private static final int WIDTH = 132;
    private static final int HEIGHT = 30;
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    /** The last two columns: SENT and RECEIVED, numbers right-aligned under their titles. */
    private static final Pattern NUMBERS = Pattern.compile("(\\S+) +(\\S+)$");
    private final TestNet net = new TestNet();
    private TestNet.Host veth;
    private long sender;
    private long receiver;
    private TmuxPane pane;

    @BeforeAll
    void traffic() throws Exception {
        UdpBothWays traffic = UdpBothWays.start(net);
        assertTrue(Shell.onPath("tmux"), "needs tmux");
        veth = traffic.veth();
        sender = traffic.sender();
        receiver = traffic.receiver();
        pane = new TmuxPane(DEADLINE);
    }

    @AfterEach
    void killSession() throws Exception {
        if (pane != null) {
            pane.kill();
        }
    }

    @AfterAll
    void cleanUp() throws Exception {
        net.close();
        if (pane != null) {
            pane.close();
        }
    }

    /** Starts podhogs in the pane. */
    private void start(String... podhogsArgs) throws Exception {
        pane.start(WIDTH, HEIGHT, false, Podhogs.command(List.of(), podhogsArgs));
    }

    private String screen() throws Exception {
        return pane.screen();
    }

    private void keys(String keys) throws Exception {
        pane.type(keys);
    }

    private String await(String what, Predicate<String> shows) throws Exception {
        return pane.await(what, shows);
    }

    private int awaitExit() throws Exception {
        return pane.awaitExit();
    }

    /** The screen's lines, as many as the terminal has. */
    private static List<String> lines(String screen) {
        return screen.lines().toList();
    }

    private static Optional<String> header(String screen) {
        return lines(screen).stream().filter(l -> l.matches("^ +PID +USER +NETNS +PROGRAM +DEV +SENT .*")).findFirst();
    }

    private static Optional<String> total(String screen) {
        return lines(screen).stream().filter(l -> l.startsWith("  TOTAL ")).findFirst();
    }

    /** The row of a process: its PID right-aligned in the first column. */
    private static Optional<String> row(String screen, long pid) {
        return lines(screen).stream().filter(l -> l.matches("^ *" + pid + " .*")).findFirst();
    }

    private static int rowIndex(String screen, long pid) {
        List<String> lines = lines(screen);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("^ *" + pid + " .*")) {
                return i;
            }
        }
        return -1;
    }

    private static double received(String row) {
        Matcher m = NUMBERS.matcher(row);
        assertTrue(m.find(), row);
        return Double.parseDouble(m.group(2));
    }

    /** Every row's two numbers end where the header's SENT and RECEIVED titles end. */
    private static void assertColumns(String screen) {
        String header = header(screen).orElseThrow();
        Matcher titles = Pattern.compile("SENT \\S+ +RECEIVED \\S+$").matcher(header);
        assertTrue(titles.find(), header);
        int sentEnd = header.indexOf(' ', titles.start() + "SENT ".length());
        int receivedEnd = header.length();
        assertEquals(WIDTH, receivedEnd, () -> "the header fills the width and is not cut off:\n" + screen);
        List<String> numbered = new ArrayList<>();
        for (String line : lines(screen)) {
            if (line.matches("^ *(\\d+|\\?) .*") || line.startsWith("  TOTAL ")) {
                numbered.add(line);
            }
        }
        assertTrue(numbered.size() >= 2, screen);
        for (String line : numbered) {
            Matcher m = NUMBERS.matcher(line);
            assertTrue(m.find(), line);
            assertEquals(sentEnd, m.end(1), () -> "SENT lines up with its title in '" + line + "'\n" + screen);
            assertEquals(receivedEnd, m.end(2), () -> "RECEIVED lines up with its title in '" + line + "'\n" + screen);
        }
    }

    @Test
    void keysChangeTheViewAndQuitExitsZero() throws Exception {
        start("-d", "0.5", veth.hostIf());
        String screen = await("the sender's and the receiver's rows, the receiver receiving",
                s -> header(s).isPresent() && total(s).isPresent() && row(s, sender).isPresent()
                        && row(s, receiver).map(r -> received(r) > 0).orElse(false));
        List<String> lines = lines(screen);
        assertTrue(lines.get(0).startsWith("podhogs " + Version.number()), screen);
        assertTrue(lines.get(0).contains(veth.hostIf()), () -> "the title names the device\n" + screen);
        assertTrue(lines.get(1).startsWith("sort: received  view: KB/s"), screen);
        assertTrue(header(screen).orElseThrow().matches(".* SENT KB/s +RECEIVED KB/s$"), screen);
        assertTrue(total(screen).orElseThrow().matches("^  TOTAL +\\d+\\.\\d{3} +\\d+\\.\\d{3}$"), screen);
        String senderRow = row(screen, sender).orElseThrow();
        assertTrue(senderRow.matches("^ *" + sender + " root +host +\\S*python3\\S* +" + veth.hostIf() + " .*"),
                () -> "PID, user, namespace, program and device of the sender: '" + senderRow + "'\n" + screen);
        assertTrue(rowIndex(screen, receiver) < rowIndex(screen, sender), () -> "by received: receiver first\n" + screen);
        long namespace = TestNet.netnsInode(veth.ns());
        assertTrue(lines.stream().anyMatch(l -> l.matches("^ *\\d+ root +" + namespace + " +\\S*python3.*")),
                () -> "the namespace's processes, with their namespace\n" + screen);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("q quit")), () -> "the keys\n" + screen);
        assertColumns(screen);

        keys("s");
        String bySent = await("sort: sent, the sender first", s -> s.contains("sort: sent")
                && rowIndex(s, sender) >= 0 && rowIndex(s, sender) < rowIndex(s, receiver));
        assertFalse(bySent.contains("sort: received"), bySent);

        keys("m");
        String totals = await("view: KB", s -> s.contains("view: KB ")
                && header(s).map(h -> h.matches(".* SENT KB +RECEIVED KB$")).orElse(false));
        assertFalse(totals.contains("KB/s"), () -> "no rate left\n" + totals);
        assertColumns(totals);

        keys("l");
        String commandLines = await("the sender's command line",
                s -> row(s, sender).map(r -> r.contains("-c #!/usr/bin/env")).orElse(false));
        // python3 -c SCRIPT (traffic.py inline): the script's newlines must not break the row (or the screen) up
        assertFalse(commandLines.contains("\n\"\"\"Traffic endpoints"),
                () -> "a script line on a line of its own\n" + commandLines);
        assertColumns(commandLines);
        assertEquals(1, lines(commandLines).stream().filter(l -> l.startsWith("sort: ")).count(), commandLines);

        keys("r");
        await("sort: received", s -> s.contains("sort: received"));

        keys("q");
        assertEquals(0, awaitExit(), "q exits with status 0");
        String after = screen();
        assertFalse(after.contains("TOTAL"), () -> "the terminal's own screen is back\n" + after);
        // Its rows name the command lines ('l'), whose long scripts scroll the screen: the whole history.
        String history = pane.history();
        assertTrue(history.contains("podhogs: summary of "), () -> "the run's summary under it\n" + history);
    }

    /** -c ends the view too, with the run's summary on the terminal's own screen: a row each, as vnStat -l's. */
    @Test
    void countEndsTheTopViewWithStatusZeroAndItsSummary() throws Exception {
        start("-d", "0.3", "-c", "4", veth.hostIf());
        assertEquals(0, awaitExit(), "-c 4 exits after four refreshes");
        String after = pane.history();
        assertTrue(after.contains("podhogs: summary of "), after);
        // A summary line is wider than the pane: tmux wraps it, the name on a line of its own.
        String joined = after.replace("\n", "");
        assertTrue(joined.contains("/" + sender + "/0") && joined.contains(" KiB"),
                () -> "the sender's row, its bytes in KiB:\n" + after);
    }

    @Test
    void noSummaryLeavesTheTopViewsOut() throws Exception {
        start("-d", "0.3", "-c", "2", "--no-summary", veth.hostIf());
        assertEquals(0, awaitExit());
        String after = pane.history();
        assertFalse(after.contains("summary"), after);
    }

    @Test
    void unknownDeviceInATerminalIsOneLineAndExitTwo() throws Exception {
        start("-d", "0.5", "phcli-absent0");
        assertEquals(2, awaitExit());
        // the whole history: tmux scrolls the screen to write "Pane is dead" under what was there
        String screen = pane.history();
        List<String> text = lines(screen).stream().filter(l -> !l.isBlank() && !l.startsWith("Pane is dead")).toList();
        assertEquals(1, text.size(), () -> "one line\n" + screen);
        assertTrue(text.get(0).startsWith("podhogs: no such device: phcli-absent0"), screen);
    }
}
