package io.podhogs.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** README.md's kubectl podhogs section and the krew manifest say what the plugin does, not what it did once. */
class KubectlPodhogsDocsTest {
    private static String help() {
        StringWriter out = new StringWriter();
        int status = KubectlMain.run(new String[] {"--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                new Cluster.Environment(Map.of(), Path.of("/nonexistent")), false);
        assertEquals(0, status);
        return out.toString();
    }

    @Test
    void readmeShowsTheCurrentHelpAndAGoldenAnswer() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String open = "<!-- plugin-help:start -->\n```\n";
        int start = readme.indexOf(open) + open.length();
        int end = readme.indexOf("```\n<!-- plugin-help:end -->");
        assertEquals(help().strip(), readme.substring(start, end).strip(),
                "README.md's block must be kubectl podhogs --help, verbatim");
        assertTrue(readme.contains("$ kubectl podhogs -A\n" + Files.readString(Golden.DIR.resolve("partial-pods-table.txt"))),
                "README.md shows the golden output of -A");
        assertTrue(readme.indexOf("## kubectl podhogs") < readme.indexOf("## Test it"));
    }

    @Test
    void krewManifestNamesTheLauncherAndSaysWhatIsMissing() throws Exception {
        JsonNode manifest = new ObjectMapper(new YAMLFactory()).readTree(Path.of("plugins/podhogs.yaml").toFile());
        assertEquals("krew.googlecontainertools.github.com/v1alpha2", manifest.get("apiVersion").asText());
        assertEquals("Plugin", manifest.get("kind").asText());
        assertEquals("podhogs", manifest.get("metadata").get("name").asText());
        JsonNode platform = manifest.get("spec").get("platforms").get(0);
        assertEquals("kubectl-podhogs", platform.get("bin").asText());
        assertTrue(Files.isExecutable(Path.of("kubectl-podhogs")), "the launcher the manifest names");
        assertTrue(platform.get("sha256").asText().startsWith("PLACEHOLDER"), "no release archive: a placeholder");
        assertTrue(manifest.get("spec").get("caveats").asText().contains("Java 17"));
    }
}
