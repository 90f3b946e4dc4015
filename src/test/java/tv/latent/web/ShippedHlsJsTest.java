package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The hls.js the watch page loads is the jar's own copy; it must be byte for byte the release
 * pinned in {@code tools/package.json} (installed by {@code npm ci} in {@code tools/}), so an
 * upgrade is one pin plus one copied file, and nobody can edit the shipped script by hand.
 */
class ShippedHlsJsTest {
    private static final Path PACKAGE = Path.of("tools", "node_modules", "hls.js");

    @Test
    void shippedScriptIsThePinnedReleaseByteForByte() throws Exception {
        String pinned = new ObjectMapper()
                .readTree(Path.of("tools", "package.json").toFile())
                .path("dependencies")
                .path("hls.js")
                .asText();
        assertThat(pinned)
                .as("hls.js pinned to one exact version in tools/package.json")
                .matches("\\d+\\.\\d+\\.\\d+");
        assertThat(PACKAGE.resolve("package.json")).as("cd tools && npm ci").exists();
        String installed = new ObjectMapper()
                .readTree(PACKAGE.resolve("package.json").toFile())
                .path("version")
                .asText();
        assertThat(installed)
                .as("tools/node_modules is stale: cd tools && npm ci")
                .isEqualTo(pinned);

        assertThat(sha256(resource(WebServer.HLS_JS)))
                .as(
                        "SHA-256 of %s against hls.js %s (copy its dist/hls.min.js after changing the pin)",
                        WebServer.HLS_JS, pinned)
                .isEqualTo(sha256(Files.readAllBytes(PACKAGE.resolve("dist/hls.min.js"))));
    }

    @Test
    void licenceShipsBesideTheScript() throws Exception {
        String licence = WebServer.HLS_JS.substring(0, WebServer.HLS_JS.lastIndexOf('/') + 1) + "LICENSE";
        assertThat(resource(licence)).isEqualTo(Files.readAllBytes(PACKAGE.resolve("LICENSE")));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ShippedHlsJsTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("resource %s in the jar", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
