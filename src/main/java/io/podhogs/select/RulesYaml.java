package io.podhogs.select;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * What the rules files (applications, alerts: one file may hold both) share: the file read with
 * its limits, composed into YAML nodes and never constructed into objects (no YAML tag runs code;
 * aliases limited, no "billion laughs"), and read node by node, each problem a {@link Problem}
 * at its line that the reader turns into one {@link RulesFileException} naming the file and line.
 */
public final class RulesYaml {
    /** Larger is no rules file anyone writes by hand, and would only slow the start. */
    public static final long MAX_BYTES = 1 << 20;
    /** The top-level keys of a rules file: each reader takes its own and leaves the others be. */
    public static final Set<String> TOP_KEYS = Set.of("apps", "unmatched", "label", "alerts");
    /** A filter's criteria as a rule's keys: each a string or a list of strings. */
    public static final Set<String> CRITERIA = Set.of("match", "ignore", "users", "containers", "namespaces",
            "selector");

    private RulesYaml() {
    }

    /** The file's text: refused when missing, unreadable, over {@link #MAX_BYTES} or not UTF-8. */
    public static String read(Path path) throws RulesFileException {
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new RulesFileException(path + ": larger than " + MAX_BYTES / 1024 + " KiB; a rules file is"
                        + " rules written by hand");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new RulesFileException(path + ": no such file");
        } catch (CharacterCodingException e) {
            throw new RulesFileException(path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new RulesFileException(path + ": cannot be read: " + e.getMessage());
        }
    }

    /**
     * The document's root node, or null for an empty one.
     *
     * @param file the file's name, for the errors
     */
    public static Node compose(String file, String text) throws RulesFileException {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowRecursiveKeys(false);
            options.setMaxAliasesForCollections(50);
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new RulesFileException(file + ":" + line + ": not YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new RulesFileException(file + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** A mapping's entries by key, each key once and known. */
    public static Map<String, Node> mapping(Node node, String what, Set<String> keys) {
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

    public static String scalar(Node node, String what) {
        if (!(node instanceof ScalarNode s)) {
            throw new Problem(node, what + " is a string here, not a list or a mapping");
        }
        return s.getValue();
    }

    /** A string or a list of strings; none when absent. */
    public static List<String> strings(Node node, String what) {
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

    /** A list's items; a problem when the node is not a list. */
    public static List<Node> list(Node node, String what) {
        if (!(node instanceof SequenceNode list)) {
            throw new Problem(node, what);
        }
        return list.getValue();
    }

    /** A name (of an application, an alert): 1 to 253 printable characters. */
    public static String name(Node node, String what) {
        String name = scalar(node, "name").strip();
        if (name.isEmpty() || name.length() > 253 || name.chars().anyMatch(Character::isISOControl)) {
            throw new Problem(node, what + "'s name is 1 to 253 printable characters");
        }
        return name;
    }

    /**
     * The filter the {@link #CRITERIA} of {@code fields} make (the others are left be); a bad
     * criterion is a problem at its own line.
     *
     * @param node where the criteria are, for a problem no one criterion is at
     * @param uidOf a user name's (or a number's) UID from the host's /etc/passwd, empty when none
     */
    public static AccountFilter criteria(Node node, Map<String, Node> fields, Function<String, OptionalInt> uidOf) {
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

    public static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /** A problem at a line of the file; the file's name is put in front when it leaves the reader. */
    public static final class Problem extends RuntimeException {
        private final int line;

        public Problem(Node node, String message) {
            this(line(node), message);
        }

        public Problem(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }

        /** As the user reads it: "FILE:LINE: problem". */
        public RulesFileException in(String file) {
            return new RulesFileException(file + ":" + line + ": " + getMessage());
        }
    }
}
