package io.podhogs.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What krew needs of plugins/podhogs.yaml's platforms, in one of two states. Unreleased: uri and
 * sha256 are both placeholders that krew refuses (a host under .invalid, which never resolves, and a
 * sha256 marked PLACEHOLDER, which is not 64 hex digits). Released: an https uri that names the
 * manifest's version and a sha256 of 64 lowercase hex digits (krew's own rule), equal to the sha256
 * of the archive when the release build left it in the archives folder under the uri's file name.
 * One of the two and not a mix: a real uri with a placeholder sum, or the reverse, installs nothing.
 */
final class KrewManifest {
    static final String PLACEHOLDER = "PLACEHOLDER";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+\\.\\d+");

    private KrewManifest() {
    }

    /** Whether the manifest's first platform is still the unreleased placeholder. */
    static boolean unreleased(JsonNode manifest) {
        return manifest.get("spec").get("platforms").get(0).get("sha256").asText().startsWith(PLACEHOLDER);
    }

    /** What keeps the manifest from being either state above; empty when it is one. */
    static List<String> problems(JsonNode manifest, Path archives) throws IOException {
        List<String> problems = new ArrayList<>();
        String version = manifest.get("spec").get("version").asText();
        if (!VERSION.matcher(version).matches()) {
            problems.add("spec.version " + version + " is not vMAJOR.MINOR.PATCH, as krew wants");
        }
        for (JsonNode platform : manifest.get("spec").get("platforms")) {
            String sha256 = platform.get("sha256").asText();
            URI uri = URI.create(platform.get("uri").asText());
            boolean placeholderUri = uri.getHost() != null && uri.getHost().endsWith(".invalid");
            if (sha256.startsWith(PLACEHOLDER) || placeholderUri) {
                if (!sha256.startsWith(PLACEHOLDER) || !placeholderUri) {
                    problems.add("uri " + uri + " and sha256 " + sha256 + ": one a placeholder, the other not");
                }
                continue;
            }
            if (!"https".equals(uri.getScheme())) {
                problems.add("uri " + uri + " is not https");
            }
            if (!uri.getPath().contains(version)) {
                problems.add("uri " + uri + " does not name the manifest's version " + version);
            }
            if (!SHA256.matcher(sha256).matches()) {
                problems.add("sha256 " + sha256 + " is not 64 lowercase hex digits");
                continue;
            }
            Path archive = archives.resolve(Path.of(uri.getPath()).getFileName().toString());
            if (Files.isRegularFile(archive) && !sha256.equals(sha256(archive))) {
                problems.add("sha256 " + sha256 + " is not " + archive + "'s, " + sha256(archive));
            }
        }
        return problems;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
