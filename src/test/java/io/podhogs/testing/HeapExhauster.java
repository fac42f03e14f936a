package io.podhogs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A Java agent that, loaded into a running JVM (the attach API: {@code VirtualMachine.loadAgent}),
 * starts a thread that takes the heap until it runs out: a real OutOfMemoryError in a thread of
 * the process's own other than its main one, as the engine's or an HTTP worker's would be.
 * Without -XX:+ExitOnOutOfMemoryError that thread dies, its garbage is collected, and the process
 * goes on as if nothing had happened.
 */
public final class HeapExhauster {
    private HeapExhauster() {
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        Thread t = new Thread(() -> {
            List<long[]> taken = new ArrayList<>();
            while (true) {
                taken.add(new long[1 << 16]);
            }
        }, "heap-exhauster");
        t.setDaemon(true);
        t.start();
    }

    /** A jar with this class as its Agent-Class, for loadAgent. */
    public static Path jar() throws IOException {
        Path jar = Files.createTempFile("podhogs-heap-exhauster", ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Agent-Class"), HeapExhauster.class.getName());
        String entry = HeapExhauster.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                InputStream in = HeapExhauster.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    /** Loads the agent into the JVM of process {@code pid}. */
    public static void loadInto(long pid) throws Exception {
        Path jar = jar();
        try {
            com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(pid));
            try {
                vm.loadAgent(jar.toString());
            } finally {
                vm.detach();
            }
        } finally {
            Files.deleteIfExists(jar);
        }
    }
}
