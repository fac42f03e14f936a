package io.podhogs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.host.HostFiles;
import io.podhogs.testing.Fuzz;
import io.podhogs.testing.TextGen;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /etc/passwd read from the real shape mutated and from garbage: a line it cannot read names nobody. */
class UserNamesFuzzTest {
    @TempDir
    Path root;

    private HostFiles host() {
        return new HostFiles(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"));
    }

    @Test
    void anyPasswdFileNamesUsersOrNobody() {
        Fuzz.forAll("any passwd file names users or nobody", 300, d -> TextGen.lines(d, "passwd"), lines -> {
            Files.createDirectories(root.resolve("etc"));
            Files.write(root.resolve("etc/passwd"), lines, StandardCharsets.ISO_8859_1);
            UserNames names = new UserNames(host());
            for (int uid : new int[] {0, 101, 65534, -1, 4242}) {
                names.name(uid);
            }
        });
    }

    @Test
    void theSampleNamesItsUsers() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.write(root.resolve("etc/passwd"), TextGen.sample("passwd"), StandardCharsets.ISO_8859_1);
        UserNames names = new UserNames(host());
        assertEquals(List.of("root", "nginx", "nobody", "4242"), List.of(names.name(0), names.name(101), names.name(65534),
                names.name(4242)));
    }
}
