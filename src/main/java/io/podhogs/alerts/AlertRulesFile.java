package io.podhogs.alerts;

import static io.podhogs.select.RulesYaml.line;
import static io.podhogs.select.RulesYaml.mapping;
import static io.podhogs.select.RulesYaml.scalar;

import io.podhogs.select.AccountFilter;
import io.podhogs.select.RulesFileException;
import io.podhogs.select.RulesYaml;
import io.podhogs.select.RulesYaml.Problem;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the alert rules of a rules file ({@code --alerts FILE}, podhogs.alerts.file): its
 * {@code alerts:} list, beside or without the applications ({@code apps:}) of the same file.
 *
 * <pre>
 * alerts:
 *   - name: upload-hog
 *     per: process               # process (default), app, container, pod or namespace
 *     match: rsync               # which processes are summed: the filters' criteria (match, ignore,
 *                                # users, containers, namespaces, selector); none: all
 *     direction: out             # in, out or total (default)
 *     above: 10MiB/s             # fires when the average over the window passes it
 *     window: 30s                # default 10s
 *     clear_below: 8MiB/s        # default: above
 *     clear_after: 1m            # how long below clear_below before it clears; default: the window
 *     cooldown: 5m               # once cleared, no new firing for this long; default 5m
 *     command: [/usr/local/bin/notify, upload]   # run with no shell, PODHOGS_ALERT_* in its environment
 *     command_timeout: 10s       # then it is killed; default 10s
 *     webhook: http://alertmanager-webhook.example:8080/podhogs   # Alertmanager's webhook JSON
 *     event: true                # the agent: a Kubernetes Event on the pod
 *   - name: daily-cap            # a volume over a period, from the history (--history, the agent's)
 *     per: pod                   # program (default), app, container, pod or namespace
 *     namespaces: shop           # which: namespaces, and match on the name; nothing else is kept there
 *     volume: 10GiB
 *     period: day                # hour, day (default) or month: the current one, as the history's
 * </pre>
 *
 * Every problem is one {@link RulesFileException} naming the file and line.
 */
public final class AlertRulesFile {
    static final int MAX_ALERTS = 1_000;
    private static final Duration MAX_SPAN = Duration.ofDays(1);
    private static final Set<String> KEYS;

    static {
        Set<String> keys = new HashSet<>(RulesYaml.CRITERIA);
        keys.addAll(Set.of("name", "per", "apps", "direction", "above", "clear_below", "window", "clear_after",
                "cooldown", "command", "command_timeout", "webhook", "event", "volume", "period"));
        KEYS = Set.copyOf(keys);
    }

    private final Function<String, OptionalInt> uidOf;
    private final boolean kubernetes;
    private final boolean agent;

    private AlertRulesFile(Function<String, OptionalInt> uidOf, boolean kubernetes, boolean agent) {
        this.uidOf = uidOf;
        this.kubernetes = kubernetes;
        this.agent = agent;
    }

    /**
     * @param uidOf a user name's (or a number's) UID from the host's /etc/passwd, empty when none
     * @param kubernetes whether a cluster may be used: pods, namespaces and selectors need one
     * @param agent whether the agent reads it: only the agent makes Kubernetes Events
     */
    public static List<AlertRule> read(Path path, Function<String, OptionalInt> uidOf, boolean kubernetes,
                                       boolean agent) throws RulesFileException {
        return parse(path.toString(), RulesYaml.read(path), uidOf, kubernetes, agent);
    }

    /** The alert rules of {@code text}, read as if from {@code file}. */
    public static List<AlertRule> parse(String file, String text, Function<String, OptionalInt> uidOf,
                                        boolean kubernetes, boolean agent) throws RulesFileException {
        Node root = RulesYaml.compose(file, text);
        if (root == null) {
            throw new RulesFileException(file + ":1: empty: an alerts file has an 'alerts' list");
        }
        try {
            return new AlertRulesFile(uidOf, kubernetes, agent).rules(root);
        } catch (Problem p) {
            throw p.in(file);
        }
    }

    private List<AlertRule> rules(Node root) {
        Map<String, Node> top = mapping(root, "the file", RulesYaml.TOP_KEYS);
        Node alerts = top.get("alerts");
        if (alerts == null) {
            throw new Problem(root, "no 'alerts' list: an alerts file names at least one alert");
        }
        List<Node> list = RulesYaml.list(alerts, "alerts is a list of alerts ('- name: ...')");
        if (list.isEmpty()) {
            throw new Problem(alerts, "no alerts in the 'alerts' list");
        }
        if (list.size() > MAX_ALERTS) {
            throw new Problem(alerts, "more than " + MAX_ALERTS + " alerts");
        }
        List<AlertRule> rules = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node node : list) {
            AlertRule rule = rule(node);
            Integer before = seen.putIfAbsent(rule.name(), rule.line());
            if (before != null) {
                throw new Problem(node, "alert '" + rule.name() + "' again (first at line " + before + ")");
            }
            rules.add(rule);
        }
        return rules;
    }

    private AlertRule rule(Node node) {
        Map<String, Node> f = mapping(node, "an alert", KEYS);
        if (!f.containsKey("name")) {
            throw new Problem(node, "an alert without a name");
        }
        String name = RulesYaml.name(f.get("name"), "an alert");
        String what = "alert '" + name + "'";
        if (f.containsKey("volume")) {
            return volumeRule(node, f, name, what);
        }
        AlertLevel per = AlertLevel.PROCESS;
        if (f.containsKey("per")) {
            per = AlertLevel.parse(scalar(f.get("per"), "per"));
            if (per == null || per == AlertLevel.PROGRAM) {
                throw new Problem(f.get("per"), per == null ? "per is process, app, container, pod or namespace, not '"
                        + scalar(f.get("per"), "per") + "'" : "per: program goes with volume (a rate rule watches"
                        + " processes: per: process)");
            }
        }
        if (f.containsKey("period")) {
            throw new Problem(f.get("period"), "period goes with volume, not above");
        }
        Map<String, Node> criteria = new HashMap<>(f);
        criteria.keySet().retainAll(RulesYaml.CRITERIA);
        AccountFilter scope = RulesYaml.criteria(node, criteria, uidOf);
        if (!kubernetes && (per == AlertLevel.POD || per == AlertLevel.NAMESPACE || !scope.namespaces().isEmpty()
                || !scope.selector().isEmpty())) {
            throw new Problem(node, what + " watches pods or namespaces, which need Kubernetes (--kubernetes off"
                    + " leaves it out)");
        }
        List<Pattern> apps = new ArrayList<>();
        if (f.containsKey("apps")) {
            if (per != AlertLevel.APP) {
                throw new Problem(f.get("apps"), "apps names applications: it goes with per: app");
            }
            for (String a : RulesYaml.strings(f.get("apps"), "apps")) {
                apps.add(regex(f.get("apps"), "apps", a));
            }
        }
        Direction direction = direction(f);
        if (!f.containsKey("above")) {
            throw new Problem(node, what + " has no threshold (above: 10MiB/s, or volume: 10GiB, say)");
        }
        double above = rate(f.get("above"), "above");
        double clearBelow = f.containsKey("clear_below") ? rate(f.get("clear_below"), "clear_below") : above;
        if (clearBelow > above) {
            throw new Problem(f.get("clear_below"), "clear_below is more than above: it would clear while firing");
        }
        Duration window = span(f, "window", AlertRule.DEFAULT_WINDOW, Duration.ofSeconds(1));
        Duration clearAfter = span(f, "clear_after", window, Duration.ZERO);
        Duration cooldown = span(f, "cooldown", AlertRule.DEFAULT_COOLDOWN, Duration.ZERO);
        return new AlertRule(name, line(node), per, scope, apps, direction, above, clearBelow, window, clearAfter,
                cooldown, actions(f, what));
    }

    /** A volume over a period: what the history keeps decides what it may ask. */
    private AlertRule volumeRule(Node node, Map<String, Node> f, String name, String what) {
        for (String rateOnly : List.of("above", "clear_below", "window", "clear_after", "cooldown", "apps")) {
            if (f.containsKey(rateOnly)) {
                throw new Problem(f.get(rateOnly), rateOnly + " goes with above (a rate), not volume: a volume rule"
                        + " fires once a period");
            }
        }
        for (String unkept : List.of("ignore", "users", "containers", "selector")) {
            if (f.containsKey(unkept)) {
                throw new Problem(f.get(unkept), unkept + " is not kept in the history: a volume rule takes match (on"
                        + " the name) and namespaces");
            }
        }
        AlertLevel per = AlertLevel.PROGRAM;
        if (f.containsKey("per")) {
            per = AlertLevel.parse(scalar(f.get("per"), "per"));
            if (per == null || per == AlertLevel.PROCESS) {
                throw new Problem(f.get("per"), per == null ? "per is program, app, container, pod or namespace, not '"
                        + scalar(f.get("per"), "per") + "'" : "per: process goes with above: the history keeps programs"
                        + " (per: program)");
            }
        }
        Map<String, Node> criteria = new HashMap<>();
        if (f.containsKey("namespaces")) {
            criteria.put("namespaces", f.get("namespaces"));
        }
        AccountFilter scope = RulesYaml.criteria(node, criteria, uidOf);
        if (!kubernetes && (per == AlertLevel.POD || per == AlertLevel.NAMESPACE || !scope.namespaces().isEmpty())) {
            throw new Problem(node, what + " watches pods or namespaces, which need Kubernetes (--kubernetes off"
                    + " leaves it out)");
        }
        List<Pattern> names = new ArrayList<>();
        for (String m : RulesYaml.strings(f.get("match"), "match")) {
            names.add(regex(f.get("match"), "match", m));
        }
        Direction direction = direction(f);
        long bytes;
        try {
            bytes = Quantities.volume(scalar(f.get("volume"), "volume"));
        } catch (IllegalArgumentException e) {
            throw new Problem(f.get("volume"), "volume " + e.getMessage());
        }
        io.podhogs.history.Resolution period = io.podhogs.history.Resolution.DAYS;
        if (f.containsKey("period")) {
            String p = scalar(f.get("period"), "period");
            period = switch (p) {
                case "hour" -> io.podhogs.history.Resolution.HOURS;
                case "day" -> io.podhogs.history.Resolution.DAYS;
                case "month" -> io.podhogs.history.Resolution.MONTHS;
                default -> throw new Problem(f.get("period"), "period is hour, day or month, not '" + p + "'");
            };
        }
        return new AlertRule(name, line(node), per, scope, List.of(), direction, 0, 0, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, actions(f, what), new AlertRule.Volume(bytes, period, names));
    }

    private AlertActions actions(Map<String, Node> f, String what) {
        List<String> command = List.of();
        if (f.containsKey("command")) {
            Node c = f.get("command");
            command = RulesYaml.strings(c, "command");
            if (command.isEmpty() || command.get(0).isBlank()) {
                throw new Problem(c, "command names a program: [program, argument ...]");
            }
            if (command.size() == 1 && command.get(0).strip().contains(" ")) {
                throw new Problem(c, "command is a list, [program, argument ...]: no shell splits '" + command.get(0)
                        + "'");
            }
        }
        Duration timeout = span(f, "command_timeout", AlertActions.DEFAULT_COMMAND_TIMEOUT, Duration.ofMillis(100));
        if (f.containsKey("command_timeout") && command.isEmpty()) {
            throw new Problem(f.get("command_timeout"), "command_timeout without a command");
        }
        URI webhook = null;
        if (f.containsKey("webhook")) {
            String url = scalar(f.get("webhook"), "webhook").strip();
            try {
                webhook = new URI(url);
            } catch (URISyntaxException e) {
                throw new Problem(f.get("webhook"), "webhook '" + url + "' is not a URL: " + e.getReason());
            }
            if (!"http".equals(webhook.getScheme()) && !"https".equals(webhook.getScheme())
                    || webhook.getHost() == null) {
                throw new Problem(f.get("webhook"), "webhook '" + url + "' is not an http:// or https:// URL");
            }
        }
        boolean event = false;
        if (f.containsKey("event")) {
            String e = scalar(f.get("event"), "event");
            if (!e.equals("true") && !e.equals("false")) {
                throw new Problem(f.get("event"), "event is true or false, not '" + e + "'");
            }
            event = e.equals("true");
            if (event && !agent) {
                throw new Problem(f.get("event"), what + ": event makes a Kubernetes Event, which only the agent does");
            }
        }
        return new AlertActions(command, timeout, webhook, event);
    }

    private static Direction direction(Map<String, Node> f) {
        if (!f.containsKey("direction")) {
            return Direction.TOTAL;
        }
        Direction d = Direction.parse(scalar(f.get("direction"), "direction"));
        if (d == null) {
            throw new Problem(f.get("direction"), "direction is in, out or total, not '"
                    + scalar(f.get("direction"), "direction") + "'");
        }
        return d;
    }

    private static double rate(Node node, String key) {
        try {
            return Quantities.rate(scalar(node, key));
        } catch (IllegalArgumentException e) {
            throw new Problem(node, key + " " + e.getMessage());
        }
    }

    private static Duration span(Map<String, Node> f, String key, Duration otherwise, Duration least) {
        Node node = f.get(key);
        if (node == null) {
            return otherwise;
        }
        Duration d;
        try {
            d = Quantities.span(scalar(node, key));
        } catch (IllegalArgumentException e) {
            throw new Problem(node, key + " " + e.getMessage());
        }
        if (d.compareTo(least) < 0 || d.compareTo(MAX_SPAN) > 0) {
            throw new Problem(node, key + " is " + Spans.text(least) + " to 1d, not '" + scalar(node, key) + "'");
        }
        return d;
    }

    private static Pattern regex(Node node, String key, String text) {
        try {
            return AccountFilter.regex(key, text);
        } catch (IllegalArgumentException e) {
            throw new Problem(node, e.getMessage());
        }
    }
}
