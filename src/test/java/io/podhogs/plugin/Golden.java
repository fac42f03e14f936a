package io.podhogs.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under src/test/resources/kubectl-podhogs/, compared exactly. -Dpodhogs.regenerate=true
 * rewrites them instead; whoever does must read each one: a golden file is only as right as that reading.
 */
final class Golden {
    static final Path DIR = Path.of("src/test/resources/kubectl-podhogs");

    private Golden() {
    }

    static void assertGolden(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("podhogs.regenerate")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.isRegularFile(file), () -> "no golden file " + file + ": run with -Dpodhogs.regenerate=true,"
                + " then read it\n" + actual);
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, () -> "golden file " + file);
    }
}
