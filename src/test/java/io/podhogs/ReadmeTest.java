package io.podhogs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.cli.Cli;
import io.podhogs.host.HostFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The README shows --help, report --help and history --help verbatim, so they cannot drift apart. */
class ReadmeTest {
    @ParameterizedTest
    @CsvSource({"help, --help", "report-help, report --help", "history-help, history --help"})
    void readmeShowsTheCurrentHelp(String marker, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.execute(command.split(" "), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), HostFiles.system());
        assertEquals(0, status);

        String readme = Files.readString(Path.of("README.md"));
        String opening = "<!-- " + marker + ":start -->\n```\n";
        String closing = "```\n<!-- " + marker + ":end -->";
        int at = readme.indexOf(opening);
        assertTrue(at >= 0, () -> "README.md has no help block opening with " + opening.replace("\n", "\\n"));
        int start = at + opening.length();
        int end = readme.indexOf(closing, start);
        assertTrue(end >= 0, () -> "README.md's help block has no end: " + closing.replace("\n", "\\n"));
        assertEquals(out.toString(StandardCharsets.UTF_8).strip(), readme.substring(start, end).strip(),
                "README.md's " + marker + " block must be ./podhogs " + command + ", verbatim");
    }
}
