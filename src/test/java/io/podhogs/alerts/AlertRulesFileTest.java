package io.podhogs.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.podhogs.select.RulesFileException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The alerts of a rules file: what a good one says, and each bad one's single line naming file, line and problem. */
class AlertRulesFileTest {
    private static List<AlertRule> parse(String text, boolean agent) throws RulesFileException {
        return AlertRulesFile.parse("rules.yaml", text, name -> name.equals("backup") ? OptionalInt.of(34)
                : OptionalInt.empty(), true, agent);
    }

    @Test
    void aGoodFileWithApplicationsAndAlerts() throws Exception {
        List<AlertRule> rules = parse("""
                apps:                      # the applications reader's; this one leaves them be
                  - name: backups
                    rules:
                      - match: [restic, borg]
                alerts:
                  - name: upload-hog
                    match: rsync
                    users: backup
                    direction: out
                    above: 10MiB/s
                    window: 30s
                    clear_below: 8MiB/s
                    clear_after: 1m
                    cooldown: 10m
                    command: [/usr/local/bin/notify, upload]
                    command_timeout: 5s
                    webhook: http://127.0.0.1:9099/hook
                  - name: backups
                    per: app
                    apps: ^backups$
                    above: 800kbit/s
                  - name: web-pods
                    per: pod
                    namespaces: shop
                    selector: app=web
                    direction: in
                    above: 1GB/s
                    event: true
                """, true);
        assertEquals(List.of("upload-hog", "backups", "web-pods"), rules.stream().map(AlertRule::name).toList());
        AlertRule hog = rules.get(0);
        assertEquals(6, hog.line());
        assertEquals(AlertLevel.PROCESS, hog.per());
        assertEquals(Direction.OUT, hog.direction());
        assertEquals(10 * 1024 * 1024, hog.above());
        assertEquals(8 * 1024 * 1024, hog.clearBelow());
        assertEquals(Duration.ofSeconds(30), hog.window());
        assertEquals(Duration.ofMinutes(1), hog.clearAfter());
        assertEquals(Duration.ofMinutes(10), hog.cooldown());
        assertEquals(List.of("/usr/local/bin/notify", "upload"), hog.actions().command());
        assertEquals(Duration.ofSeconds(5), hog.actions().commandTimeout());
        assertEquals(URI.create("http://127.0.0.1:9099/hook"), hog.actions().webhook());
        assertEquals(java.util.Set.of(34), hog.scope().uids());
        AlertRule backups = rules.get(1);
        assertEquals(AlertLevel.APP, backups.per());
        assertEquals(Direction.TOTAL, backups.direction(), "total by default");
        assertEquals(100_000, backups.above());
        assertEquals(backups.above(), backups.clearBelow(), "clears below its own threshold by default");
        assertEquals(AlertRule.DEFAULT_WINDOW, backups.window());
        assertEquals(backups.window(), backups.clearAfter(), "for a window by default");
        assertEquals(AlertRule.DEFAULT_COOLDOWN, backups.cooldown());
        assertEquals(AlertActions.LOG_ONLY, backups.actions());
        assertEquals(true, backups.takesApp("backups"));
        assertFalse(backups.takesApp("web"));
        assertEquals(true, rules.get(2).actions().event());
        assertEquals("app=web", rules.get(2).scope().selector());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            alerts:\\n  - name: a\\n    above: 10                          | 3 | above '10' is no rate: a number and a unit a second, such as 10MiB/s, 500kB/s or 800kbit/s
            alerts:\\n  - name: a\\n    above: 10MiB/s\\n    match: '('     | 4 | match '(' is not a regular expression: Unclosed group at character 2
            alerts:\\n  - name: a\\n    above: 10MiB/s\\n    threshold: 1   | 4 | unknown field 'threshold' in an alert (it takes above, apps, clear_after, clear_below, command, command_timeout, containers, cooldown, direction, event, ignore, match, name, namespaces, per, period, selector, users, volume, webhook, window)
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n  - name: a\\n    above: 2MiB/s | 4 | alert 'a' again (first at line 2)
            alerts:\\n  - name: a                                          | 2 | alert 'a' has no threshold (above: 10MiB/s, or volume: 10GiB, say)
            alerts:\\n  - above: 1MiB/s                                    | 2 | an alert without a name
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    clear_below: 2MiB/s | 4 | clear_below is more than above: it would clear while firing
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    per: user       | 4 | per is process, app, container, pod or namespace, not 'user'
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    direction: up   | 4 | direction is in, out or total, not 'up'
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    window: 0s      | 4 | window is 1s to 1d, not '0s'
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    cooldown: 5      | 4 | cooldown '5' is no span: a whole number and ms, s, m, h or d, such as 30s or 5m
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    apps: web       | 4 | apps names applications: it goes with per: app
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    command: 'notify --now' | 4 | command is a list, [program, argument ...]: no shell splits 'notify --now'
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    command_timeout: 5s | 4 | command_timeout without a command
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    webhook: ftp://x/y | 4 | webhook 'ftp://x/y' is not an http:// or https:// URL
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    event: true     | 4 | alert 'a': event makes a Kubernetes Event, which only the agent does
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    event: yes      | 4 | event is true or false, not 'yes'
            apps:\\n  - name: a\\n    rules:\\n      - match: x              | 1 | no 'alerts' list: an alerts file names at least one alert
            alerts: []                                                      | 1 | no alerts in the 'alerts' list
            alerts:\\n  - name: a\\n    above: 1MiB/s\\nalert: x            | 4 | unknown field 'alert' in the file (it takes alerts, apps, label, unmatched)
            "# nothing"                                                     | 1 | empty: an alerts file has an 'alerts' list
            alerts:\\n  - name: a\\n    volume: 10                         | 3 | volume '10' is no volume: a number and its unit, such as 10GiB or 500MB
            alerts:\\n  - name: a\\n    volume: 10GiB\\n    above: 1MiB/s  | 4 | above goes with above (a rate), not volume: a volume rule fires once a period
            alerts:\\n  - name: a\\n    volume: 10GiB\\n    window: 1m     | 4 | window goes with above (a rate), not volume: a volume rule fires once a period
            alerts:\\n  - name: a\\n    volume: 10GiB\\n    users: root    | 4 | users is not kept in the history: a volume rule takes match (on the name) and namespaces
            alerts:\\n  - name: a\\n    volume: 10GiB\\n    per: process   | 4 | per: process goes with above: the history keeps programs (per: program)
            alerts:\\n  - name: a\\n    volume: 10GiB\\n    period: week   | 4 | period is hour, day or month, not 'week'
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    period: day    | 4 | period goes with volume, not above
            alerts:\\n  - name: a\\n    above: 1MiB/s\\n    per: program   | 4 | per: program goes with volume (a rate rule watches processes: per: process)
            """)
    void aBadFileIsOneLineNamingFileLineAndProblem(String text, int line, String problem) {
        RulesFileException e = assertThrows(RulesFileException.class, () -> parse(text.replace("\\n", "\n"), false));
        assertEquals("rules.yaml:" + line + ": " + problem, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void aVolumeRule() throws Exception {
        AlertRule cap = parse("""
                alerts:
                  - name: daily-cap
                    per: pod
                    namespaces: shop
                    match: ^web-
                    direction: out
                    volume: 10GiB
                    period: month
                    webhook: https://hooks.example/podhogs
                """, false).get(0);
        assertEquals(AlertLevel.POD, cap.per());
        assertEquals(10L << 30, cap.volume().bytes());
        assertEquals(io.podhogs.history.Resolution.MONTHS, cap.volume().period());
        assertEquals("month", cap.volume().periodWord());
        assertEquals(java.util.Set.of("shop"), cap.scope().namespaces());
        assertEquals(List.of("^web-"), cap.volume().names().stream().map(java.util.regex.Pattern::pattern).toList());
        AlertRule plain = parse("alerts:\n  - name: b\n    volume: 500MB\n", false).get(0);
        assertEquals(AlertLevel.PROGRAM, plain.per(), "programs by default");
        assertEquals(io.podhogs.history.Resolution.DAYS, plain.volume().period(), "a day by default");
    }

    @Test
    void podsNamespacesAndSelectorsNeedKubernetes() {
        RulesFileException e = assertThrows(RulesFileException.class, () -> AlertRulesFile.parse("rules.yaml",
                "alerts:\n  - name: web\n    per: pod\n    above: 1MiB/s\n", n -> OptionalInt.empty(), false, false));
        assertEquals("rules.yaml:2: alert 'web' watches pods or namespaces, which need Kubernetes (--kubernetes off"
                + " leaves it out)", e.getMessage());
    }
}
