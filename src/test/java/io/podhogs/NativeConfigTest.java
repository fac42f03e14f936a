package io.podhogs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the native-image configuration under META-INF/native-image/io.podhogs/podhogs honest on the
 * JVM, where no native image can be built: every name in it exists on the class path with the
 * parameter types given, and every class that JNA, pcap4j, docker-java or Jackson reach by
 * reflection, JNI or a proxy on podhogs's code paths is in it. Those sets are computed here from
 * the jars (their class files, and the strings of JNA's native dispatch library), not listed by hand.
 *
 * <p>{@code main} writes the generated files again (see docs/native.md):
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.podhogs.NativeConfigTest src/main/resources}.
 */
class NativeConfigTest {
    static final String DIR = "META-INF/native-image/io.podhogs/podhogs/";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ClassLoader LOADER = NativeConfigTest.class.getClassLoader();

    // ------------------------------------------------------------------ the checks

    @Test
    void reflectionNamesExist() throws Exception {
        JsonNode entries = config("reflect-config.json");
        assertTrue(entries.size() > 0, "reflect-config.json lists nothing: a check of no entries proves nothing");
        for (JsonNode entry : entries) {
            checkEntry("reflect-config.json", entry);
        }
    }

    @Test
    void jniNamesExist() throws Exception {
        JsonNode entries = config("jni-config.json");
        assertTrue(entries.size() > 0, "jni-config.json lists nothing: a check of no entries proves nothing");
        for (JsonNode entry : entries) {
            checkEntry("jni-config.json", entry);
        }
    }

    @Test
    void proxyInterfacesAreInterfaces() throws Exception {
        JsonNode proxies = config("proxy-config.json");
        assertTrue(proxies.size() > 0);
        for (JsonNode proxy : proxies) {
            for (JsonNode name : proxy.get("interfaces")) {
                Class<?> c = load(name.asText());
                assertTrue(c.isInterface(), "proxy-config.json: " + c + " is not an interface");
            }
        }
    }

    @Test
    void everyResourcePatternMatchesAResource() throws Exception {
        List<String> resources = classPathResources();
        JsonNode includes = config("resource-config.json").get("resources").get("includes");
        assertTrue(includes.size() > 0);
        for (JsonNode include : includes) {
            Pattern p = Pattern.compile(include.get("pattern").asText());
            assertTrue(resources.stream().anyMatch(r -> p.matcher(r).matches()),
                    "resource-config.json: no resource on the class path matches " + p);
        }
    }

    @Test
    void runTimeInitializedPackagesAndClassesExist() throws Exception {
        List<String> names = runTimeInitialized();
        assertTrue(names.contains("com.sun.jna") && names.contains("org.pcap4j"), names.toString());
        for (String name : names) {
            boolean isClass = LOADER.getResource(name.replace('.', '/') + ".class") != null;
            boolean isPackage = LOADER.getResources(name.replace('.', '/')).hasMoreElements();
            assertTrue(isClass || isPackage, "native-image.properties: no class or package " + name);
        }
    }

    /** JNA's libjnidispatch looks classes up by name (FindClass): each one is in jni-config.json. */
    @Test
    void jniConfigCoversJnaDispatchLookups() throws Exception {
        Set<String> jni = names(config("jni-config.json"));
        for (String arch : List.of("linux-x86-64", "linux-aarch64")) {
            Set<String> looked = dispatchClassNames("com/sun/jna/" + arch + "/libjnidispatch.so");
            assertTrue(looked.contains("com.sun.jna.Pointer"), arch + ": " + looked);
            for (String name : looked) {
                assertTrue(jni.contains(name), "jni-config.json lacks " + name + ", which libjnidispatch (" + arch
                        + ") looks up");
            }
        }
    }

    /** Every JNA Structure, Callback, Library and direct mapping pcap4j reaches from podhogs's calls. */
    @Test
    void jnaPcap4jAndDockerEntriesAreCovered() throws Exception {
        assertCovers(generated());
        Set<String> structures = pcap4jClosure().stream().filter(c -> isA(c, "com.sun.jna.Structure"))
                .collect(Collectors.toCollection(TreeSet::new));
        for (String expected : List.of("org.pcap4j.core.NativeMappings$pcap_pkthdr",
                "org.pcap4j.core.NativeMappings$pcap_stat", "org.pcap4j.core.NativeMappings$bpf_program",
                "org.pcap4j.core.NativeMappings$timeval", "org.pcap4j.core.NativeMappings$PcapErrbuf")) {
            assertTrue(structures.contains(expected), "the closure lost " + expected + ": " + structures);
        }
    }

    /** The Jackson model classes docker-java deserializes on podhogs's calls, and what they refer to. */
    @Test
    void dockerModelIsCovered() throws Exception {
        Set<String> model = dockerModel();
        assertTrue(model.contains("com.github.dockerjava.api.model.Container")
                && model.contains("com.github.dockerjava.api.model.ContainerPort")
                && model.contains("com.github.dockerjava.api.model.EventActor"), model.toString());
        Map<String, JsonNode> reflect = byName(config("reflect-config.json"));
        for (String name : model) {
            JsonNode e = reflect.get(name);
            assertTrue(e != null && e.path("allDeclaredFields").asBoolean() && e.path("allDeclaredMethods").asBoolean()
                    && e.path("allDeclaredConstructors").asBoolean(), "reflect-config.json: " + name + " not fully registered");
        }
    }

    /** The records the JSON API writes, nested ones too, are in NativeReflection's targets. */
    @Test
    void apiRecordsAreRegistered() throws Exception {
        Class<?> holder = load("io.podhogs.agent.NativeReflection");
        Set<String> targets = Arrays.stream(holder.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName).collect(Collectors.toSet());
        Set<String> needed = new TreeSet<>();
        // The pages are written row by row: what Jackson writes is each page's rows (the components
        // of the page record its OpenAPI schema names, not the record itself) and the error record.
        Class<?> resource = load("io.podhogs.agent.ApiResource");
        for (var error : resource.getAnnotationsByType(org.eclipse.microprofile.openapi.annotations.responses.APIResponse.class)) {
            podhogsTypes(error.content()[0].schema().implementation(), needed);
        }
        for (Method m : resource.getDeclaredMethods()) {
            if (m.isAnnotationPresent(jakarta.ws.rs.GET.class)) {
                Class<?> page = m.getAnnotation(org.eclipse.microprofile.openapi.annotations.responses.APIResponse.class)
                        .content()[0].schema().implementation();
                Arrays.stream(page.getRecordComponents()).forEach(rc -> podhogsTypes(rc.getGenericType(), needed));
            }
        }
        assertTrue(needed.contains("io.podhogs.agent.ApiPages$Error"), needed.toString());
        assertTrue(needed.contains("io.podhogs.export.api.Usage$Rate"), needed.toString());
        for (String name : needed) {
            assertTrue(targets.contains(name), "NativeReflection lacks " + name);
        }
    }

    // ------------------------------------------------------------------ what must be there, from the jars

    /** The reflection, JNI and proxy entries computed from the jars; the files hold these and maybe more. */
    static Generated generated() throws IOException {
        Generated g = new Generated();
        Set<String> closure = new TreeSet<>(pcap4jClosure());
        closure.addAll(podhogsClasses());
        closure.addAll(closure(Set.of("com/github/dockerjava/transport/UnixSocket"),
                n -> n.startsWith("com/github/dockerjava/transport/")));
        closure.addAll(List.of("com.sun.jna.Structure$FFIType", "com.sun.jna.CallbackReference$AttachOptions"));
        for (String name : closure) {
            Class<?> c = loadQuietly(name);
            if (c == null) {
                continue;
            }
            if (isA(name, "com.sun.jna.Structure") && !c.isInterface()) {
                g.reflect(name).put("allDeclaredFields", true).put("allPublicFields", true)
                        .put("allDeclaredConstructors", true).put("allPublicConstructors", true);
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        nativeMapped(f.getType(), g);
                    }
                }
            }
            if (isA(name, "com.sun.jna.Callback") && c.isInterface() && !name.startsWith("com.sun.jna.")) {
                g.reflect(name).put("allDeclaredMethods", true).put("allPublicMethods", true);
                for (Method m : c.getDeclaredMethods()) {
                    g.jniMethod(name, m);
                    Arrays.stream(m.getParameterTypes()).forEach(t -> nativeMapped(t, g));
                }
            }
            if (isA(name, "com.sun.jna.Library") && c.isInterface() && !name.startsWith("com.sun.jna.")) {
                g.proxies.add(name);
                g.reflect(name).put("allPublicMethods", true).put("allPublicFields", true);
                for (Method m : c.getDeclaredMethods()) {
                    Arrays.stream(m.getParameterTypes()).forEach(t -> nativeMapped(t, g));
                    nativeMapped(m.getReturnType(), g);
                }
            }
            List<Method> natives = Arrays.stream(c.getDeclaredMethods()).filter(m -> Modifier.isNative(m.getModifiers()))
                    .toList();
            if (!natives.isEmpty() && classFile(name.replace('.', '/')).refs.contains("com/sun/jna/Native")) {
                // JNA direct mapping: Native.register reads the native methods by reflection and binds
                // them with RegisterNatives.
                g.reflect(name).put("allDeclaredMethods", true).put("allPublicFields", true);
                for (Method m : natives) {
                    g.jniMethod(name, m);
                    Arrays.stream(m.getParameterTypes()).forEach(t -> nativeMapped(t, g));
                    nativeMapped(m.getReturnType(), g);
                }
            }
        }
        for (String name : dockerModel()) {
            g.reflect(name).put("allDeclaredFields", true).put("allDeclaredMethods", true)
                    .put("allDeclaredConstructors", true).put("allPublicMethods", true)
                    .put("allPublicConstructors", true);
        }
        return g;
    }

    /** NativeMapped types (NativeLong, IntByReference ...) JNA makes with their no-argument constructor. */
    static void nativeMapped(Class<?> type, Generated g) {
        Class<?> t = type.isArray() ? type.getComponentType() : type;
        if (!t.isPrimitive() && isA(t.getName(), "com.sun.jna.NativeMapped") && !t.isInterface()
                && !Modifier.isAbstract(t.getModifiers())) {
            g.reflect(t.getName()).put("allDeclaredConstructors", true).put("allPublicConstructors", true);
        }
    }

    /** pcap4j's classes reachable from those podhogs refers to (constant pools and descriptors). */
    static Set<String> pcap4jClosure() throws IOException {
        Set<String> roots = new TreeSet<>();
        for (String c : podhogsClasses()) {
            classFile(c.replace('.', '/')).refs.stream().filter(r -> r.startsWith("org/pcap4j/")).forEach(roots::add);
        }
        assertTrue(roots.contains("org/pcap4j/core/PcapHandle"), roots.toString());
        return closure(roots, n -> n.startsWith("org/pcap4j/"));
    }

    /**
     * docker-java's model classes podhogs's calls deserialize: the containers list, the events, and
     * the Docker CLI's config and context files DefaultDockerClientConfig reads when it builds; with
     * their superclasses, nested classes, field types and Jackson (de)serializers.
     */
    static Set<String> dockerModel() {
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (String root : List.of("com.github.dockerjava.api.model.Container", "com.github.dockerjava.api.model.Event",
                "com.github.dockerjava.core.DockerConfigFile", "com.github.dockerjava.core.DockerContextMetaFile",
                "com.github.dockerjava.api.model.AuthConfig", "com.github.dockerjava.api.model.AuthConfigurations",
                // Jackson reads these TypeReferences' generic superclass for List<Container> and Event.
                "com.github.dockerjava.core.exec.ListContainersCmdExec$1",
                "com.github.dockerjava.core.exec.EventsCmdExec$1")) {
            todo.add(load(root));
        }
        Set<String> seen = new TreeSet<>();
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (!c.getName().startsWith("com.github.dockerjava.") || !seen.add(c.getName())) {
                continue;
            }
            List<Type> types = new ArrayList<>();
            types.add(c.getGenericSuperclass());
            types.addAll(Arrays.asList(c.getGenericInterfaces()));
            List<AnnotatedElement> annotated = new ArrayList<>(List.of(c));
            for (Field f : c.getDeclaredFields()) {
                if (!f.isSynthetic() && (!Modifier.isStatic(f.getModifiers()) || c.isEnum())) {
                    types.add(f.getGenericType());
                    annotated.add(f);
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                annotated.add(m);
            }
            todo.addAll(Arrays.asList(c.getDeclaredClasses()));
            for (AnnotatedElement e : annotated) {
                for (Annotation a : e.getAnnotations()) {
                    if (a instanceof JsonDeserialize d) {
                        Stream.of(d.using(), d.contentUsing(), d.keyUsing(), d.as(), d.contentAs(), d.keyAs(),
                                d.builder(), d.converter(), d.contentConverter()).forEach(todo::add);
                    } else if (a instanceof JsonSerialize s) {
                        Stream.of(s.using(), s.contentUsing(), s.keyUsing(), s.nullsUsing(), s.as(), s.contentAs(),
                                s.keyAs(), s.converter(), s.contentConverter()).forEach(todo::add);
                    } else if (a instanceof JsonSubTypes s) {
                        Arrays.stream(s.value()).forEach(t -> todo.add(t.value()));
                    }
                }
            }
            for (Type t : types) {
                classesOf(t, todo);
            }
        }
        return seen;
    }

    static void classesOf(Type t, Deque<Class<?>> into) {
        if (t instanceof Class<?> c) {
            into.add(c);
        } else if (t instanceof ParameterizedType p) {
            classesOf(p.getRawType(), into);
            Arrays.stream(p.getActualTypeArguments()).forEach(a -> classesOf(a, into));
        } else if (t instanceof GenericArrayType a) {
            classesOf(a.getGenericComponentType(), into);
        } else if (t instanceof WildcardType w) {
            Arrays.stream(w.getUpperBounds()).forEach(b -> classesOf(b, into));
        }
    }

    /** podhogs's types in a type and in its records' components, nested types included. */
    static void podhogsTypes(Type t, Set<String> into) {
        Deque<Class<?>> found = new ArrayDeque<>();
        classesOf(t, found);
        for (Class<?> c : found) {
            if (c.getName().startsWith("io.podhogs.") && into.add(c.getName()) && c.isRecord()) {
                Arrays.stream(c.getRecordComponents()).forEach(rc -> podhogsTypes(rc.getGenericType(), into));
            }
        }
    }

    static Set<String> podhogsClasses() throws IOException {
        Path classes = Path.of("target/classes");
        try (Stream<Path> files = Files.walk(classes.resolve("io/podhogs"))) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Classes reachable from the roots through constant pools and descriptors, within a filter. */
    static Set<String> closure(Set<String> roots, Predicate<String> within) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (!within.test(n) || !seen.add(n)) {
                continue;
            }
            ClassFile cf = classFile(n);
            if (cf != null) {
                todo.addAll(cf.refs);
            } else {
                seen.remove(n);
            }
        }
        return seen.stream().map(n -> n.replace('/', '.')).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Class names (binary, dotted) that libjnidispatch passes to FindClass. */
    static Set<String> dispatchClassNames(String resource) throws IOException {
        byte[] so;
        try (InputStream in = LOADER.getResourceAsStream(resource)) {
            assertTrue(in != null, resource);
            so = in.readAllBytes();
        }
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![A-Za-z/$;])((?:com/sun/jna|java/lang|java/nio)/[A-Za-z0-9_/$]+)(?=\0)")
                .matcher(new String(so, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            String name = m.group(1).replace('/', '.');
            if (loadQuietly(name) != null) {
                names.add(name);
            }
        }
        return names;
    }

    // ------------------------------------------------------------------ the files

    static JsonNode config(String file) throws IOException {
        try (InputStream in = LOADER.getResourceAsStream(DIR + file)) {
            assertTrue(in != null, DIR + file + " is not on the class path");
            return JSON.readTree(in);
        }
    }

    static List<String> runTimeInitialized() throws IOException {
        Properties p = new Properties();
        try (InputStream in = LOADER.getResourceAsStream(DIR + "native-image.properties")) {
            assertTrue(in != null);
            p.load(in);
        }
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("--initialize-at-run-time=(\\S+)").matcher(p.getProperty("Args", ""));
        while (m.find()) {
            names.addAll(Arrays.asList(m.group(1).split(",")));
        }
        return names;
    }

    static void checkEntry(String file, JsonNode entry) {
        String name = entry.get("name").asText();
        Class<?> c = loadQuietly(name);
        assertTrue(c != null, file + ": no class " + name);
        for (JsonNode f : entry.path("fields")) {
            try {
                c.getDeclaredField(f.get("name").asText());
            } catch (NoSuchFieldException e) {
                fail(file + ": no field " + name + "." + f.get("name").asText());
            }
        }
        for (JsonNode m : entry.path("methods")) {
            String method = m.get("name").asText();
            Class<?>[] params = new Class<?>[m.get("parameterTypes").size()];
            for (int i = 0; i < params.length; i++) {
                params[i] = typeOf(m.get("parameterTypes").get(i).asText());
            }
            try {
                if (method.equals("<init>")) {
                    c.getDeclaredConstructor(params);
                } else {
                    c.getDeclaredMethod(method, params);
                }
            } catch (NoSuchMethodException e) {
                fail(file + ": no method " + name + "." + method + Arrays.toString(params));
            }
        }
    }

    static void assertCovers(Generated g) throws IOException {
        Map<String, JsonNode> reflect = byName(config("reflect-config.json"));
        g.reflect.forEach((name, wanted) -> {
            JsonNode have = reflect.get(name);
            assertTrue(have != null, "reflect-config.json lacks " + name);
            wanted.fieldNames().forEachRemaining(flag -> assertTrue(have.path(flag).asBoolean(),
                    "reflect-config.json: " + name + " lacks " + flag));
        });
        Map<String, JsonNode> jni = byName(config("jni-config.json"));
        g.jni.forEach((name, methods) -> {
            JsonNode have = jni.get(name);
            assertTrue(have != null, "jni-config.json lacks " + name);
            Set<String> listed = new TreeSet<>();
            have.path("methods").forEach(m -> listed.add(signature(m)));
            for (JsonNode m : methods) {
                assertTrue(listed.contains(signature(m)) || have.path("allDeclaredMethods").asBoolean(),
                        "jni-config.json: " + name + " lacks " + signature(m));
            }
        });
        Set<String> proxies = new TreeSet<>();
        config("proxy-config.json").forEach(p -> proxies.add(p.get("interfaces").get(0).asText()));
        for (String p : g.proxies) {
            assertTrue(proxies.contains(p), "proxy-config.json lacks " + p);
        }
    }

    static String signature(JsonNode m) {
        List<String> params = new ArrayList<>();
        m.get("parameterTypes").forEach(p -> params.add(p.asText()));
        return m.get("name").asText() + params;
    }

    static Map<String, JsonNode> byName(JsonNode entries) {
        Map<String, JsonNode> map = new LinkedHashMap<>();
        entries.forEach(e -> map.merge(e.get("name").asText(), e, (a, b) -> {
            ObjectNode merged = ((ObjectNode) a).deepCopy();
            b.fields().forEachRemaining(f -> {
                if (f.getValue().isArray() && merged.get(f.getKey()) instanceof ArrayNode arr) {
                    arr.addAll((ArrayNode) f.getValue());
                } else {
                    merged.set(f.getKey(), f.getValue());
                }
            });
            return merged;
        }));
        return map;
    }

    static Set<String> names(JsonNode entries) {
        return byName(entries).keySet();
    }

    static List<String> classPathResources() throws IOException {
        List<String> all = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.filter(Files::isRegularFile).forEach(f -> all.add(p.relativize(f).toString()));
                }
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + p.toUri()), Map.of());
                        Stream<Path> files = Files.walk(fs.getPath("/"))) {
                    files.filter(Files::isRegularFile).forEach(f -> all.add(f.toString().substring(1)));
                }
            }
        }
        return all;
    }

    // ------------------------------------------------------------------ classes and class files

    static Class<?> load(String name) {
        Class<?> c = loadQuietly(name);
        assertTrue(c != null, "no class " + name);
        return c;
    }

    static Class<?> loadQuietly(String name) {
        try {
            return Class.forName(name, false, LOADER);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    static boolean isA(String name, String type) {
        Class<?> c = loadQuietly(name);
        Class<?> t = loadQuietly(type);
        return c != null && t != null && t.isAssignableFrom(c) && !c.equals(t);
    }

    static Class<?> typeOf(String name) {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            case "short" -> short.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            default -> name.endsWith("[]") ? typeOf(name.substring(0, name.length() - 2)).arrayType() : load(name);
        };
    }

    static String typeName(Class<?> c) {
        return c.isArray() ? typeName(c.getComponentType()) + "[]" : c.getName();
    }

    /** A class file's own name and every class its constant pool and descriptors name. */
    record ClassFile(String name, Set<String> refs) {
    }

    static final Map<String, ClassFile> CLASS_FILES = new TreeMap<>();
    static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([A-Za-z0-9_/$]+)[;<]");

    static ClassFile classFile(String internalName) {
        return CLASS_FILES.computeIfAbsent(internalName, n -> {
            try (InputStream raw = LOADER.getResourceAsStream(n + ".class")) {
                if (raw == null) {
                    return null;
                }
                return parse(n, new DataInputStream(raw));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static ClassFile parse(String name, DataInputStream in) throws IOException {
        in.readInt(); // magic
        in.readInt(); // minor, major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classIndexes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classIndexes.add(in.readUnsignedShort());
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException(name + ": constant pool tag " + tag);
            }
        }
        Set<String> refs = new TreeSet<>();
        for (int index : classIndexes) {
            String n = utf8[index];
            Matcher array = DESCRIPTOR_CLASS.matcher(n);
            if (n.startsWith("[")) {
                if (array.find()) {
                    refs.add(array.group(1));
                }
            } else {
                refs.add(n);
            }
        }
        for (String s : utf8) {
            if (s != null && (s.startsWith("(") || s.startsWith("L") || s.startsWith("["))) {
                Matcher m = DESCRIPTOR_CLASS.matcher(s);
                while (m.find()) {
                    refs.add(m.group(1));
                }
            }
        }
        refs.remove(name);
        return new ClassFile(name, refs);
    }

    // ------------------------------------------------------------------ generation

    /** Entries computed from the jars, by class name. */
    static final class Generated {
        final Map<String, ObjectNode> reflect = new TreeMap<>();
        final Map<String, ArrayNode> jni = new TreeMap<>();
        final Set<String> proxies = new TreeSet<>();

        ObjectNode reflect(String name) {
            return reflect.computeIfAbsent(name, n -> JSON.createObjectNode());
        }

        void jniMethod(String name, Executable m) {
            ObjectNode method = jni.computeIfAbsent(name, n -> JSON.createArrayNode()).addObject();
            method.put("name", m instanceof Method ? m.getName() : "<init>");
            ArrayNode params = method.putArray("parameterTypes");
            Arrays.stream(m.getParameterTypes()).forEach(t -> params.add(typeName(t)));
        }
    }

    /**
     * Writes the generated part of reflect-config.json, jni-config.json and proxy-config.json under
     * the directory given (src/main/resources), keeping the hand-written entries of
     * {@code *-config.base.json} beside this class first.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/main/resources").resolve(DIR);
        Generated g = generated();
        ArrayNode reflect = base("reflect-config.base.json");
        Map<String, JsonNode> hand = byName(reflect);
        g.reflect.forEach((name, flags) -> {
            if (hand.containsKey(name)) {
                ((ObjectNode) hand.get(name)).setAll(flags);
            } else {
                reflect.addObject().put("name", name).setAll(flags);
            }
        });
        ArrayNode jni = base("jni-config.base.json");
        g.jni.forEach((name, methods) -> jni.addObject().put("name", name).set("methods", methods));
        ArrayNode proxies = JSON.createArrayNode();
        g.proxies.forEach(p -> proxies.addObject().putArray("interfaces").add(p));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("reflect-config.json"), JSON.writeValueAsString(reflect) + "\n");
        Files.writeString(dir.resolve("jni-config.json"), JSON.writeValueAsString(jni) + "\n");
        Files.writeString(dir.resolve("proxy-config.json"), JSON.writeValueAsString(proxies) + "\n");
        System.out.println(reflect.size() + " reflection, " + jni.size() + " JNI, " + proxies.size() + " proxy entries");
    }

    static ArrayNode base(String file) throws IOException {
        try (InputStream in = NativeConfigTest.class.getResourceAsStream(file)) {
            if (in == null) {
                return JSON.createArrayNode();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return (ArrayNode) JSON.readTree(out.toByteArray());
        }
    }
}
