package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ./podhogs, the README's way to run podhogs, through a symlink (as one on the PATH would be), on the
 * jar Maven packaged just before (failsafe): it finds the repository, does not rebuild a fresh jar,
 * and passes podhogs's own exit statuses and one-line errors on.
 */
class PodhogsLauncherIT {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) throws Exception {
        Path bin = Files.createTempDirectory("podhogs-path");
        Path link = Files.createSymbolicLink(bin.resolve("podhogs"), Path.of("podhogs").toAbsolutePath());
        Path out = Files.createTempFile("podhogs-launcher", ".out");
        Path err = Files.createTempFile("podhogs-launcher", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(link.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).directory(bin.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "./podhogs did not end");
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(link);
            Files.deleteIfExists(bin);
        }
    }

    @Test
    void theLauncherRunsThePackagedJarAndPassesItsStatusOn() throws Exception {
        Run version = run("-V");
        assertEquals(0, version.exit(), version::toString);
        assertEquals("podhogs " + Version.number() + "\n", version.out());
        assertEquals("", version.err(), "a fresh jar is not rebuilt, and nothing else is said");

        Run absent = run("-t", "-c", "1", "phcli-absent9");
        assertEquals(2, absent.exit(), absent::toString);
        assertEquals(1, absent.err().lines().count(), absent::toString);
        assertTrue(absent.err().startsWith("podhogs: no such device: phcli-absent9"), absent::toString);
    }
}
