package io.podhogs.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md's kubectl podhogs section and the krew manifest say what the plugin does, not what it did once. */
class KubectlPodhogsDocsTest {
    private static String help(String... args) {
        StringWriter out = new StringWriter();
        int status = KubectlMain.run(args.length == 0 ? new String[] {"--help"} : args, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
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
        String historyOpen = "<!-- plugin-history-help:start -->\n```\n";
        int historyStart = readme.indexOf(historyOpen);
        assertTrue(historyStart >= 0, "README.md has a kubectl podhogs history --help block");
        int historyEnd = readme.indexOf("```\n<!-- plugin-history-help:end -->", historyStart);
        assertEquals(help("history", "--help").strip(), readme.substring(historyStart + historyOpen.length(), historyEnd).strip(),
                "README.md's block must be kubectl podhogs history --help, verbatim");
        assertTrue(readme.contains("$ kubectl podhogs -A\n" + Files.readString(Golden.DIR.resolve("partial-pods-table.txt"))),
                "README.md shows the golden output of -A");
        assertTrue(readme.indexOf("## kubectl podhogs") < readme.indexOf("## Test it"));
    }

    @Test
    void krewManifestNamesTheLauncherAndIsReleasedOrSaysItIsNot() throws Exception {
        JsonNode manifest = manifest();
        assertEquals("krew.googlecontainertools.github.com/v1alpha2", manifest.get("apiVersion").asText());
        assertEquals("Plugin", manifest.get("kind").asText());
        assertEquals("podhogs", manifest.get("metadata").get("name").asText());
        JsonNode platform = manifest.get("spec").get("platforms").get(0);
        assertEquals("kubectl-podhogs", platform.get("bin").asText());
        assertTrue(Files.isExecutable(Path.of("kubectl-podhogs")), "the launcher the manifest names");
        assertTrue(manifest.get("spec").get("caveats").asText().contains("Java 17"));
        // A release build leaves its archive in target/: then the sha256 must be that archive's.
        assertEquals(List.of(), KrewManifest.problems(manifest, Path.of("target")));
        // README.md's limits say the manifest cannot be installed exactly as long as that is so.
        assertEquals(KrewManifest.unreleased(manifest), Files.readString(Path.of("README.md"))
                .contains("its `uri` and `sha256` are placeholders"), "README.md's krew limit and the manifest disagree");
    }

    @Test
    void aReleasedManifestNeedsTheArchivesSha256AndVersion(@TempDir Path archives) throws Exception {
        Path archive = archives.resolve("kubectl-podhogs.tar.gz");
        Files.write(archive, new byte[] {1, 2, 3});
        String sum = KrewManifest.sha256(archive);
        assertEquals("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", sum, "sha256 of 01 02 03");
        String uri = "https://github.com/podhogs/podhogs/releases/download/v0.1.0/kubectl-podhogs.tar.gz";

        assertEquals(List.of(), KrewManifest.problems(released(uri, sum), archives));
        assertEquals(List.of(), KrewManifest.problems(released(uri, sum), archives.resolve("none")),
                "no archive at hand: the sum's form is all there is to check");
        assertProblem(released(uri, "a".repeat(64)), archives, "is not " + archive + "'s, " + sum);
        assertProblem(released(uri, sum.toUpperCase(Locale.ROOT)), archives, "64 lowercase hex digits");
        assertProblem(released(uri, sum.substring(1)), archives, "64 lowercase hex digits");
        assertProblem(released(uri.replace("v0.1.0", "v0.0.9"), sum), archives, "does not name the manifest's version");
        assertProblem(released(uri.replace("https:", "http:"), sum), archives, "is not https");
        assertProblem(released(uri, "PLACEHOLDER-sum"), archives, "one a placeholder, the other not");
        assertProblem(released("https://example.invalid/v0.1.0/kubectl-podhogs.tar.gz", sum), archives,
                "one a placeholder, the other not");
        ObjectNode badVersion = released(uri, sum);
        ((ObjectNode) badVersion.get("spec")).put("version", "0.1.0");
        assertProblem(badVersion, archives, "is not vMAJOR.MINOR.PATCH");
    }

    private static JsonNode manifest() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(Path.of("plugins/podhogs.yaml").toFile());
    }

    /** The repository's manifest, as a release would change it. */
    private static ObjectNode released(String uri, String sha256) throws Exception {
        ObjectNode manifest = (ObjectNode) manifest().deepCopy();
        ObjectNode platform = (ObjectNode) manifest.get("spec").get("platforms").get(0);
        platform.put("uri", uri);
        platform.put("sha256", sha256);
        return manifest;
    }

    private static void assertProblem(JsonNode manifest, Path archives, String problem) throws Exception {
        List<String> problems = KrewManifest.problems(manifest, archives);
        assertEquals(1, problems.size(), () -> "one problem, " + problem + ": " + problems);
        assertTrue(problems.get(0).contains(problem), () -> problem + ": " + problems);
    }
}
