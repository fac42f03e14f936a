package io.podhogs.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The chart rendered by helm-java's bundled helm, and its objects as fabric8's typed models. */
final class ChartObjects {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path CHART = ROOT.resolve("helm/podhogs");
    static final String RELEASE = "podhogs";
    static final String NAMESPACE = "podhogs";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private ChartObjects() {
    }

    /**
     * helm template RELEASE CHART --namespace NAMESPACE --values FILE, FILE holding the values
     * given as dotted keys ("agent.metrics.processes", "extraEnv[0].name", "a.b\\.c" for a key
     * with a dot) with typed values (Boolean, Number, String, List): a values file keeps their
     * types, where helm-java's set passes strings.
     */
    static String render(Map<String, Object> values) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (values.isEmpty()) {
            return template.call();
        }
        Path file = null;
        try {
            file = Files.createTempFile("podhogs-values", ".yaml");
            YAML.writeValue(file.toFile(), nest(values));
            return template.withValuesFile(file).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> nest(Map<String, Object> dotted) {
        Map<String, Object> root = new LinkedHashMap<>();
        dotted.forEach((key, value) -> {
            String[] parts = key.split("(?<!\\\\)\\.");
            Object node = root;
            for (int i = 0; i < parts.length; i++) {
                Matcher m = Pattern.compile("(.+?)\\[(\\d+)]").matcher(parts[i]);
                String name = (m.matches() ? m.group(1) : parts[i]).replace("\\.", ".");
                boolean last = i == parts.length - 1;
                Map<String, Object> map = (Map<String, Object>) node;
                if (m.matches()) {
                    List<Object> list = (List<Object>) map.computeIfAbsent(name, k -> new ArrayList<>());
                    int index = Integer.parseInt(m.group(2));
                    while (list.size() <= index) {
                        list.add(new LinkedHashMap<String, Object>());
                    }
                    if (last) {
                        list.set(index, value);
                    }
                    node = list.get(index);
                } else if (last) {
                    map.put(name, value);
                } else {
                    node = map.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
                }
            }
        });
        return root;
    }

    /**
     * Every document of a rendered manifest as the typed fabric8 model of its kind; fails on a kind
     * no typed model knows (which would come back as a GenericKubernetesResource) and on any field
     * the model does not know (fabric8 keeps those in additionalProperties maps).
     */
    static List<HasMetadata> parse(String manifest) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(manifest)) {
            if (document.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            HasMetadata object = SERIALIZATION.unmarshal(document);
            if (object == null || object instanceof GenericKubernetesResource) {
                fail("no typed model for this document (" + (object == null ? "nothing" : object.getKind())
                        + "):\n" + document);
            }
            List<String> unknown = unknownFields(object);
            assertTrue(unknown.isEmpty(), () -> object.getKind() + " " + object.getMetadata().getName()
                    + " has fields its model does not know: " + unknown);
            objects.add(object);
        }
        return objects;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> kind) {
        List<T> found = all(objects, kind);
        if (found.size() != 1) {
            fail("expected one " + kind.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> kind, String name) {
        return all(objects, kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
    }

    /** Paths of every non-empty additionalProperties map in a model object's tree. */
    static List<String> unknownFields(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, model.getClass().getSimpleName(), found, new IdentityHashMap<>());
        return found;
    }

    private static void walk(Object node, String path, List<String> found, IdentityHashMap<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                walk(o, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "[" + k + "]", found, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String field = path + "." + decapitalize(getter.getName().substring(3));
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add(path + " " + extra.keySet());
                }
            } else {
                walk(value, field, found, seen);
            }
        }
    }

    private static String decapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    static Map<?, ?> readYaml(Path file) throws IOException {
        return YAML.readValue(file.toFile(), Map.class);
    }

    /** A value of a YAML tree by a dotted path ("securityContext.capabilities"). */
    static Object at(Map<?, ?> tree, String dotted) {
        Object node = tree;
        for (String key : dotted.split("\\.")) {
            assertTrue(node instanceof Map<?, ?>, dotted + ": " + key + " is not under a map");
            node = ((Map<?, ?>) node).get(key);
        }
        return node;
    }

    static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    /** The port of /metrics and health on the node's addresses: the management interface's. */
    static int agentPort() throws IOException {
        return port("quarkus.management.port");
    }

    /** The API's port, on 127.0.0.1 only. */
    static int apiPort() throws IOException {
        return port("quarkus.http.port");
    }

    private static int port(String key) throws IOException {
        String port = applicationProperties().getProperty(key);
        assertFalse(port == null || port.isBlank(), key + " is not in application.properties");
        return Integer.parseInt(port.trim());
    }

    static Set<String> setOf(Collection<String> c) {
        return Set.copyOf(c);
    }
}
