package io.podhogs.apps;

import static io.podhogs.select.RulesYaml.line;
import static io.podhogs.select.RulesYaml.mapping;
import static io.podhogs.select.RulesYaml.scalar;

import io.podhogs.select.AccountFilter;
import io.podhogs.select.RulesFileException;
import io.podhogs.select.RulesYaml;
import io.podhogs.select.RulesYaml.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads an applications file (--apps FILE), YAML:
 *
 * <pre>
 * apps:
 *   - name: web
 *     rules:
 *       - match: nginx                 # a rule holds when all its criteria do
 *       - containers: ["^web-"]        # the app's when any of its rules holds
 *   - name: backups
 *     rules:
 *       - match: [restic, borg]
 *         users: backup
 * unmatched: own                       # own (default): other processes keep their rows; auto
 * label: app.kubernetes.io/name        # the pod label of the automatic grouping
 * </pre>
 *
 * A rule's keys are the filters' (match, ignore, users, containers, namespaces, selector), each a
 * string or a list of strings. The same file may hold alert rules ({@code alerts:}, read by the
 * alerts' reader). Read as {@link RulesYaml} reads: every problem is one {@link RulesFileException}
 * naming the file and line.
 */
public final class AppRulesFile {
    static final int MAX_APPS = 10_000;

    private final Function<String, OptionalInt> uidOf;

    private AppRulesFile(Function<String, OptionalInt> uidOf) {
        this.uidOf = uidOf;
    }

    /**
     * @param uidOf a user name's (or a number's) UID from the host's /etc/passwd, empty when none
     * @param kubernetes whether a cluster may be used: namespaces and selector criteria need one
     */
    public static AppRules read(Path path, Function<String, OptionalInt> uidOf, boolean kubernetes)
            throws RulesFileException {
        return parse(path.toString(), RulesYaml.read(path), uidOf, kubernetes);
    }

    /** The rules of {@code text}, read as if from {@code file}. */
    public static AppRules parse(String file, String text, Function<String, OptionalInt> uidOf, boolean kubernetes)
            throws RulesFileException {
        AppRulesFile reader = new AppRulesFile(uidOf);
        Node root = RulesYaml.compose(file, text);
        if (root == null) {
            throw new RulesFileException(file + ":1: empty: an applications file has an 'apps' list");
        }
        try {
            AppRules rules = reader.rules(root);
            if (!kubernetes) {
                for (App app : rules.apps()) {
                    for (AccountFilter rule : app.rules()) {
                        if (!rule.namespaces().isEmpty() || !rule.selector().isEmpty()) {
                            throw new Problem(app.line(), "application '" + app.name() + "' has namespaces or a selector,"
                                    + " which need Kubernetes (--kubernetes off leaves it out)");
                        }
                    }
                }
            }
            return rules;
        } catch (Problem p) {
            throw p.in(file);
        }
    }

    private AppRules rules(Node root) {
        Map<String, Node> top = mapping(root, "the file", RulesYaml.TOP_KEYS);
        Node appsNode = top.get("apps");
        if (appsNode == null) {
            throw new Problem(root, "no 'apps' list: an applications file names at least one application");
        }
        boolean auto = false;
        if (top.containsKey("unmatched")) {
            String unmatched = scalar(top.get("unmatched"), "unmatched");
            if (!unmatched.equals("own") && !unmatched.equals("auto")) {
                throw new Problem(top.get("unmatched"), "unmatched is own or auto, not '" + unmatched + "'");
            }
            auto = unmatched.equals("auto");
        }
        String label = AppRules.DEFAULT_LABEL;
        if (top.containsKey("label")) {
            label = scalar(top.get("label"), "label");
            if (label.isBlank()) {
                throw new Problem(top.get("label"), "label is a pod label's key, not empty");
            }
        }
        List<Node> list = RulesYaml.list(appsNode, "apps is a list of applications ('- name: ...')");
        if (list.size() > MAX_APPS) {
            throw new Problem(appsNode, "more than " + MAX_APPS + " applications");
        }
        List<App> apps = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node appNode : list) {
            App app = app(appNode);
            Integer before = seen.putIfAbsent(app.name(), app.line());
            if (before != null) {
                throw new Problem(appNode, "application '" + app.name() + "' again (first at line " + before + ")");
            }
            apps.add(app);
        }
        return new AppRules(apps, auto, label);
    }

    private App app(Node node) {
        Map<String, Node> fields = mapping(node, "an application", Set.of("name", "rules"));
        Node nameNode = fields.get("name");
        if (nameNode == null) {
            throw new Problem(node, "an application without a name");
        }
        String name = RulesYaml.name(nameNode, "an application");
        Node rulesNode = fields.get("rules");
        String noRules = "application '" + name + "' has no rules (rules: a list of '- match: REGEX' ...)";
        List<Node> rules = RulesYaml.list(rulesNode == null ? node : rulesNode, noRules);
        if (rules.isEmpty()) {
            throw new Problem(rulesNode, noRules);
        }
        List<AccountFilter> filters = new ArrayList<>();
        for (Node rule : rules) {
            filters.add(rule(rule, name));
        }
        return new App(name, filters, line(node));
    }

    private AccountFilter rule(Node node, String app) {
        Map<String, Node> fields = mapping(node, "a rule", RulesYaml.CRITERIA);
        if (fields.isEmpty()) {
            throw new Problem(node, "an empty rule of application '" + app + "' would take everything");
        }
        return RulesYaml.criteria(node, fields, uidOf);
    }
}
