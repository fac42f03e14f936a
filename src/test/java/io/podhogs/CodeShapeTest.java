package io.podhogs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape README's "Code layout" promises, checked on the sources: data moves one way between
 * packages, so no package depends on itself through others (sub-packages count as packages of their
 * own), and no source file grows past what one reader takes in at once.
 */
class CodeShapeTest {
    private static final Path MAIN = Path.of("src/main/java");
    /** The longest a file in src/main may be: past it, it holds more than one concern. */
    private static final int MAX_LINES = 450;
    /** A podhogs type named in code, by import or in full: its package is what precedes the first capital. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.podhogs((?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");
    private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\n]*");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package (io\\.podhogs[a-z0-9_.]*);");

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> uses = packageGraph();
        assertTrue(uses.size() > 10, "read the package graph of " + MAIN.toAbsolutePath() + ": " + uses.keySet());
        List<List<String>> loops = loops(uses);
        assertEquals(List.of(), loops, "import loops between packages (each list is one loop's packages)");
    }

    @Test
    void noSourceFileIsLongerThanOneConcernNeeds() throws IOException {
        Map<String, Long> tooLong = new TreeMap<>();
        int files = 0;
        try (Stream<Path> sources = Files.walk(MAIN)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                long lines;
                try (Stream<String> text = Files.lines(source)) {
                    lines = text.count();
                }
                if (lines > MAX_LINES) {
                    tooLong.put(MAIN.relativize(source).toString(), lines);
                }
            }
        }
        assertTrue(files > 100, "read the sources under " + MAIN.toAbsolutePath() + ": " + files + " files");
        assertEquals(Map.of(), tooLong, "files in src/main over " + MAX_LINES + " lines: split them by concern");
    }

    private static Map<String, Set<String>> packageGraph() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> sources = Files.walk(MAIN)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                Matcher declared = PACKAGE.matcher(text);
                if (!declared.find()) {
                    continue;
                }
                String own = declared.group(1);
                Set<String> used = uses.computeIfAbsent(own, k -> new TreeSet<>());
                // A type named only in a comment is no dependency.
                String code = COMMENT.matcher(text.substring(declared.end())).replaceAll(" ");
                Matcher reference = REFERENCE.matcher(code);
                while (reference.find()) {
                    String other = "io.podhogs" + reference.group(1);
                    if (!other.equals(own)) {
                        used.add(other);
                    }
                }
            }
        }
        return uses;
    }

    /** The strongly connected components of more than one package (Tarjan's algorithm). */
    private static List<List<String>> loops(Map<String, Set<String>> uses) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> loops = new ArrayList<>();
        int[] counter = {0};
        for (String start : uses.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, uses, index, low, stack, onStack, loops, counter);
            }
        }
        return loops;
    }

    private static void connect(String node, Map<String, Set<String>> uses, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> loops,
            int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]);
        counter[0]++;
        stack.push(node);
        onStack.add(node);
        for (String next : uses.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, uses, index, low, stack, onStack, loops, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                component.sort(null);
                loops.add(component);
            }
        }
    }
}
