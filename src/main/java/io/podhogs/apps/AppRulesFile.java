package io.podhogs.apps;

import io.podhogs.select.AccountFilter;
import io.podhogs.select.FilterCriteria;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

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
 * string or a list of strings. The file is composed into nodes and never constructed into objects
 * (no YAML tags run), and every problem is one {@link AppRulesException} naming the file and line.
 */
public final class AppRulesFile {
    /** Larger is no rules file anyone writes by hand, and would only slow the start. */
    static final long MAX_BYTES = 1 << 20;
    static final int MAX_APPS = 10_000;
    private static final Set<String> RULE_KEYS = Set.of("match", "ignore", "users", "containers", "namespaces",
            "selector");

    private final String file;
    private final Function<String, OptionalInt> uidOf;

    private AppRulesFile(String file, Function<String, OptionalInt> uidOf) {
        this.file = file;
        this.uidOf = uidOf;
    }

    /**
     * @param uidOf a user name's (or a number's) UID from the host's /etc/passwd, empty when none
     * @param kubernetes whether a cluster may be used: namespaces and selector criteria need one
     */
    public static AppRules read(Path path, Function<String, OptionalInt> uidOf, boolean kubernetes)
            throws AppRulesException {
        String text;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new AppRulesException(path + ": larger than " + MAX_BYTES / 1024 + " KiB; an applications file"
                        + " is rules written by hand");
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new AppRulesException(path + ": no such file");
        } catch (CharacterCodingException e) {
            throw new AppRulesException(path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new AppRulesException(path + ": cannot be read: " + e.getMessage());
        }
        return parse(path.toString(), text, uidOf, kubernetes);
    }

    /** The rules of {@code text}, read as if from {@code file}. */
    public static AppRules parse(String file, String text, Function<String, OptionalInt> uidOf, boolean kubernetes)
            throws AppRulesException {
        AppRulesFile reader = new AppRulesFile(file, uidOf);
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowRecursiveKeys(false);
            options.setMaxAliasesForCollections(50);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new AppRulesException(file + ":" + line + ": not YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new AppRulesException(file + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null) {
            throw new AppRulesException(file + ":1: empty: an applications file has an 'apps' list");
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
            throw new AppRulesException(file + ":" + p.line + ": " + p.getMessage());
        }
    }

    private AppRules rules(Node root) {
        Map<String, Node> top = mapping(root, "the file", Set.of("apps", "unmatched", "label"));
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
        if (!(appsNode instanceof SequenceNode list)) {
            throw new Problem(appsNode, "apps is a list of applications ('- name: ...')");
        }
        if (list.getValue().size() > MAX_APPS) {
            throw new Problem(appsNode, "more than " + MAX_APPS + " applications");
        }
        List<App> apps = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node appNode : list.getValue()) {
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
        String name = scalar(nameNode, "name").strip();
        if (name.isEmpty() || name.length() > 253 || name.chars().anyMatch(Character::isISOControl)) {
            throw new Problem(nameNode, "an application's name is 1 to 253 printable characters");
        }
        Node rulesNode = fields.get("rules");
        if (!(rulesNode instanceof SequenceNode rules) || rules.getValue().isEmpty()) {
            throw new Problem(rulesNode == null ? node : rulesNode, "application '" + name + "' has no rules"
                    + " (rules: a list of '- match: REGEX' ...)");
        }
        List<AccountFilter> filters = new ArrayList<>();
        for (Node rule : rules.getValue()) {
            filters.add(rule(rule, name));
        }
        return new App(name, filters, line(node));
    }

    private AccountFilter rule(Node node, String app) {
        Map<String, Node> fields = mapping(node, "a rule", RULE_KEYS);
        if (fields.isEmpty()) {
            throw new Problem(node, "an empty rule of application '" + app + "' would take everything");
        }
        String selector = fields.containsKey("selector") ? scalar(fields.get("selector"), "selector") : "";
        FilterCriteria criteria = new FilterCriteria(strings(fields.get("match"), "match"),
                strings(fields.get("ignore"), "ignore"), strings(fields.get("users"), "users"),
                strings(fields.get("containers"), "containers"), strings(fields.get("namespaces"), "namespaces"), selector);
        try {
            return criteria.filter(Set.of(), uidOf, FilterCriteria::settingName);
        } catch (IllegalArgumentException e) {
            // the line of the criterion the message names: it starts with its key
            Node at = node;
            for (Map.Entry<String, Node> f : fields.entrySet()) {
                if (e.getMessage().startsWith(f.getKey() + " ")) {
                    at = f.getValue();
                }
            }
            throw new Problem(at, e.getMessage());
        }
    }

    /** A mapping's entries by key, each key once and known. */
    private Map<String, Node> mapping(Node node, String what, Set<String> keys) {
        if (!(node instanceof MappingNode m)) {
            throw new Problem(node, what + " is a mapping of " + String.join(", ", keys.stream().sorted().toList()));
        }
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalar(t.getKeyNode(), "a key");
            if (!keys.contains(key)) {
                throw new Problem(t.getKeyNode(), "unknown field '" + key + "' in " + what + " (it takes "
                        + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
            if (fields.put(key, t.getValueNode()) != null) {
                throw new Problem(t.getKeyNode(), "'" + key + "' twice in " + what);
            }
        }
        return fields;
    }

    private static String scalar(Node node, String what) {
        if (!(node instanceof ScalarNode s)) {
            throw new Problem(node, what + " is a string here, not a list or a mapping");
        }
        return s.getValue();
    }

    /** A string or a list of strings; none when absent. */
    private static List<String> strings(Node node, String what) {
        if (node == null) {
            return List.of();
        }
        if (node instanceof SequenceNode list) {
            List<String> values = new ArrayList<>();
            for (Node item : list.getValue()) {
                values.add(scalar(item, "each of " + what));
            }
            return values;
        }
        return List.of(scalar(node, what));
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /** A problem at a line of the file; the file's name is put in front when it leaves the reader. */
    private static final class Problem extends RuntimeException {
        final int line;

        Problem(Node node, String message) {
            this(line(node), message);
        }

        Problem(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }
}
