package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.host.HostFiles;
import io.podhogs.testing.Shell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line as a user meets it when something is wrong, or asks for help: one line on
 * stderr that starts with "podhogs: ", exit status 2, nothing on stdout, never a stack trace.
 * Runs {@link Cli#execute} in-process, as Main does; the cases that need a process of their own
 * (no terminal, the width of the help) run one.
 */
class CliUsageTest {
    /** A device name no host has: nothing here creates it. */
    private static final String ABSENT = "phcli-absent0";
    private static final String USAGE_HINT = " (podhogs --help lists the options)";

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Cli.execute(args, o, e, HostFiles.system());
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The log is set up (CliMain: JBoss LogManager, which opens every jar looking for configurators)
     * before a command runs, never for help, a version or a usage error: those must stay quick.
     */
    @ParameterizedTest
    @MethodSource("logSetUps")
    void theLogIsSetUpOnlyWhenACommandRuns(List<String> args, int setUps) {
        int[] calls = {0};
        try (PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            Cli.execute(args.toArray(String[]::new), o, e, HostFiles.system(), () -> calls[0]++);
        }
        assertEquals(setUps, calls[0], () -> String.join(" ", args));
    }

    static Stream<Arguments> logSetUps() {
        return Stream.of(
                Arguments.of(List.of("--help"), 0),
                Arguments.of(List.of("-V"), 0),
                Arguments.of(List.of("report", "--help"), 0),
                Arguments.of(List.of("history", "--version"), 0),
                Arguments.of(List.of("pipe", "--help"), 0),
                Arguments.of(List.of("--no-such-option"), 0),
                Arguments.of(List.of("report", "/nonexistent/podhogs-trace.log"), 1));
    }

    /** Exit 2, stdout empty, exactly one line on stderr, starting with {@code start}; no stack trace. */
    static String assertOneLineError(Run r, String start) {
        assertEquals(Cli.EXIT_USAGE, r.exit(), r::toString);
        assertEquals("", r.out(), () -> "nothing on stdout when the command fails\n" + r);
        assertEquals(1, r.errLines().size(), () -> "exactly one line on stderr\n" + r);
        String line = r.errLines().get(0);
        assertTrue(line.startsWith(start), () -> "stderr starts with '" + start + "'\n" + r);
        assertNoStackTrace(r.err());
        return line;
    }

    static void assertNoStackTrace(String err) {
        assertFalse(err.contains("\tat "), () -> "a stack trace on stderr:\n" + err);
        assertFalse(err.contains("Exception"), () -> "an exception's name on stderr:\n" + err);
        assertFalse(err.contains("Error:"), () -> "an error class on stderr:\n" + err);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputModes")
    void unknownDeviceIsOneLineAndExitTwo(List<String> mode) {
        List<String> args = new ArrayList<>(mode);
        args.addAll(List.of("-c", "1", ABSENT));
        String line = assertOneLineError(run(args.toArray(String[]::new)), "podhogs: no such device");
        assertTrue(line.contains(ABSENT), line);
        assertTrue(line.contains("ip -br link"), () -> "says how to list the devices: " + line);
    }

    static Stream<List<String>> outputModes() {
        return Stream.of(List.of("-t"), List.of("--json"), List.of("-x"), List.of("-t", "--capture", "per-device"));
    }

    @ParameterizedTest(name = "--capture {0}")
    @ValueSource(strings = {"any", "per-device"})
    void badFilterIsOneLineAndExitTwo(String capture) {
        // Compiling a filter needs an open capture handle, and that needs root (or CAP_NET_RAW).
        assertTrue(Shell.isRoot(), "needs root to open a capture");
        String line = assertOneLineError(run("-t", "-c", "1", "--capture", capture, "-f", "tcp and and", "lo"),
                "podhogs: bad filter");
        assertTrue(line.contains("'tcp and and'"), () -> "names the filter: " + line);
        assertTrue(line.contains("pcap-filter"), () -> "says where the syntax is: " + line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValueIsOneLineAndExitTwo(List<String> args, String mentions) {
        List<String> all = new ArrayList<>(List.of("-t", "-c", "1"));
        all.addAll(args);
        all.add(ABSENT); // never reached: the options are checked before any device
        String line = assertOneLineError(run(all.toArray(String[]::new)), "podhogs: ");
        assertTrue(line.contains(mentions), () -> "mentions '" + mentions + "': " + line);
        assertTrue(line.endsWith(USAGE_HINT), () -> "points to --help: " + line);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(List.of("-v", "9"), "9"),
                Arguments.of(List.of("-v", "6"), "0 to 5"),
                Arguments.of(List.of("-v", "-1"), "-1"),
                Arguments.of(List.of("-v", "x"), "'x'"),
                Arguments.of(List.of("-d", "0"), "-d"),
                Arguments.of(List.of("-d", "-1"), "-d"),
                Arguments.of(List.of("-d", "abc"), "'abc'"),
                Arguments.of(List.of("-d", "NaN"), "NaN"),
                Arguments.of(List.of("-d", "100000"), "86400"),
                Arguments.of(List.of("--window", "0"), "--window"),
                Arguments.of(List.of("-c", "-1"), "-c"),
                Arguments.of(List.of("-g", "-1"), "-g must be 0 or more"),
                Arguments.of(List.of("-c", "many"), "'many'"),
                Arguments.of(List.of("-P", "abc"), "'abc'"),
                Arguments.of(List.of("--capture", "ring"), "ring"),
                Arguments.of(List.of("--snaplen", "10"), "snap length"),
                Arguments.of(List.of("--buffer-size", "0"), "--buffer-size"),
                Arguments.of(List.of("--buffer-size", "2048"), "2048"),
                Arguments.of(List.of("--buffer-size", "4097"), "4097"),
                Arguments.of(List.of("--exclude", "veth["), "'veth['"),
                Arguments.of(List.of("--by", "rack"), "rack"),
                Arguments.of(List.of("--by", "pod"), "none is configured here"),
                Arguments.of(List.of("--by", "workload", "--kubernetes", "off"), "--kubernetes off"),
                Arguments.of(List.of("--kubernetes", "maybe"), "maybe"),
                Arguments.of(List.of("--pod-cidr", "10.244.0.0"), "'10.244.0.0'"),
                Arguments.of(List.of("--service-cidr", "10.96.0.0/40"), "10.96.0.0/40"),
                Arguments.of(List.of("--pod-grace", "0"), "seconds"),
                Arguments.of(List.of("--include", "a/b"), "'a/b'"),
                Arguments.of(List.of("--match", "("), "--match '(' is not a regular expression: Unclosed group"),
                Arguments.of(List.of("--ignore", "a{2"), "--ignore 'a{2'"),
                Arguments.of(List.of("--user", "no-such-user-here"), "--user 'no-such-user-here' is no user"),
                Arguments.of(List.of("--container", "*web"), "--container '*web'"),
                Arguments.of(List.of("--selector", "a=b=c"), "--selector 'a=b=c'"),
                Arguments.of(List.of("--namespace", "shop", "--kubernetes", "off"), "--kubernetes off"),
                Arguments.of(List.of("--apps", "/nonexistent/apps.yaml"), "/nonexistent/apps.yaml: no such file"),
                Arguments.of(List.of("--by", "app", "--app-label", " "), "--app-label"),
                Arguments.of(List.of("--by", "interface", "-P", "1"), "--by interface shows devices whole"),
                Arguments.of(List.of("--units", "gb"), "--units is nethogs, iec or si, not 'gb'"),
                Arguments.of(List.of("--bits"), "--units and --bits are the top view's: the trace keeps nethogs's units"),
                Arguments.of(List.of("--alerts", "/nonexistent/alerts.yaml"), "/nonexistent/alerts.yaml: no such file"),
                Arguments.of(List.of("--bogus"), "'--bogus'"),
                Arguments.of(List.of("-Z"), "'-Z'"));
    }

    @Test
    void aBadApplicationsFileIsOneLineNamingFileAndLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path apps = dir.resolve("apps.yaml");
        java.nio.file.Files.writeString(apps, "apps:\n  - name: web\n    rules:\n      - match: '(nginx'\n");
        String line = assertOneLineError(run("-t", "-c", "1", "--apps", apps.toString(), ABSENT), "podhogs: ");
        assertTrue(line.startsWith("podhogs: " + apps + ":4: match '(nginx' is not a regular expression"), line);
    }

    @Test
    void optionWithoutItsValueIsOneLineAndExitTwo() {
        // -v last, so that nothing after it can be taken for its value.
        String line = assertOneLineError(run("-t", ABSENT, "-v"), "podhogs: ");
        assertTrue(line.contains("'-v'"), line);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--help", "-h"})
    void helpListsEveryOption(String flag) {
        Run r = run(flag);
        assertEquals(Cli.EXIT_OK, r.exit(), r::toString);
        assertEquals("", r.err(), r::toString);
        assertTrue(r.out().startsWith("Usage: podhogs "), r::toString);
        CommandLine model = new CommandLine(new PodhogsCommand(System.out, System.err, HostFiles.system()));
        List<OptionSpec> options = model.getCommandSpec().options();
        assertTrue(options.size() >= 20, "the model has the options");
        for (OptionSpec option : options) {
            for (String name : option.names()) {
                assertTrue(r.out().contains(name), () -> "--help shows " + name + "\n" + r.out());
            }
            assertFalse(option.description().length == 0, () -> option.longestName() + " has a description");
        }
        // nethogs's own flags, by name, so that one cannot be dropped from the model unnoticed
        for (String name : List.of("-t", "-v", "-d", "-c", "-s", "-P", "-f", "-a", "-l", "-b", "-p", "-C", "-g", "-x",
                "-V", "-h", "--json", "--window", "--capture", "--include", "--exclude", "--by", "--show-container", "--kubernetes", "--node-name", "--pod-cidr", "--service-cidr",
                "--cluster-pod-index", "--pod-grace", "--snaplen", "--buffer-size",
                "--help", "--version")) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches("^\\s+(-\\w, )?" + name + "\\b.*")),
                    () -> "--help has a line describing " + name + "\n" + r.out());
        }
        assertTrue(r.out().contains("[DEVICE...]"), "the devices");
        assertTrue(r.out().contains("Exit status:"), "the exit statuses");
    }

    @Test
    void helpDescriptionFitsEightyColumns() throws Exception {
        // Without a controlling terminal picocli lays the help out for 80 columns. Each line of the
        // description and footer is its own paragraph to picocli: a line wider than 80 columns
        // would be broken in two, leaving a word or two on a line of their own.
        assertTrue(Shell.onPath("setsid"), "needs setsid (util-linux)");
        Podhogs.Result r = Podhogs.runWithPrefix(List.of("setsid", "-w"), Duration.ofSeconds(60), "--help");
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = r.out().lines().toList();
        CommandLine model = new CommandLine(new PodhogsCommand(System.out, System.err, HostFiles.system()));
        List<String> paragraphs = new ArrayList<>(List.of(model.getCommandSpec().usageMessage().description()));
        paragraphs.addAll(List.of(model.getCommandSpec().usageMessage().footer()));
        for (String paragraph : paragraphs) {
            assertTrue(lines.contains(paragraph), () -> "shown whole, on one line: '" + paragraph + "'\n" + r.out());
        }
        assertTrue(lines.stream().allMatch(l -> l.length() <= 80), r::toString);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-V", "--version"})
    void versionPrintsTheVersion(String flag) {
        Run r = run(flag);
        assertEquals(Cli.EXIT_OK, r.exit(), r::toString);
        assertEquals("", r.err(), r::toString);
        assertTrue(r.out().matches("podhogs \\d+\\.\\d+\\.\\d+[-.\\w]*\n"), () -> "one line, the version\n" + r);
        assertEquals("podhogs " + Version.number() + "\n", r.out());
        assertFalse(r.out().contains("unknown") || r.out().contains("${"), "the version Maven wrote");
    }

    @Test
    void topViewWithoutATerminalIsOneLineAndExitTwo() throws Exception {
        // As in `podhogs | less` or from a script: stdin and stdout are not terminals.
        Podhogs.Result r = Podhogs.run(Duration.ofSeconds(60), "-c", "1", "lo");
        assertEquals(Cli.EXIT_USAGE, r.exit(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.errLines().get(0).startsWith("podhogs: the top view needs a terminal"), r::toString);
        assertTrue(r.errLines().get(0).contains("-t or --json"), r::toString);
        assertNoStackTrace(r.err());
    }

    @Test
    void unknownDeviceFromAProcessExitsTwo() throws Exception {
        // The same check through a JVM of its own: the exit status is the process's.
        Podhogs.Result r = Podhogs.run(Duration.ofSeconds(60), "-t", ABSENT);
        assertEquals(Cli.EXIT_USAGE, r.exit(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.errLines().get(0).startsWith("podhogs: no such device: " + ABSENT), r::toString);
        assertNoStackTrace(r.err());
    }

    @Test
    void aRetentionLongerThanTheEngineCountsIsKeptForGood() throws Exception {
        // -g 2147483647 -d 86400 overflowed the nanoseconds of a long (ArithmeticException every
        // second); -d 5 overflows them as well, and ends sooner.
        Podhogs.Result r = Podhogs.run(Duration.ofSeconds(60), "-t", "-g", "2147483647", "-d", "5", "-c", "1",
                "--no-summary", "lo");
        assertEquals(Cli.EXIT_OK, r.exit(), r::toString);
        assertEquals("", r.err(), r::toString);
        assertTrue(r.out().contains("Refreshing:"), r::toString);
    }
}
