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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scripts the pages load (hls.js on the watch page, htmx in the console) are the jar's own
 * copies; each must be byte for byte the release pinned in {@code tools/package.json} (installed
 * by {@code npm ci} in {@code tools/}), so an upgrade is one pin plus one copied file, and nobody
 * can edit a shipped script by hand.
 */
class ShippedScriptsTest {
    /** Each shipped script: its npm package, its copy in the jar, and the file of the release it copies. */
    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("hls.js", WebServer.HLS_JS, "dist/hls.min.js"),
                Arguments.of("htmx.org", WebServer.HTMX_JS, "dist/htmx.min.js"));
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void shippedScriptIsThePinnedReleaseByteForByte(String npm, String shipped, String dist) throws Exception {
        Path pkg = Path.of("tools", "node_modules", npm);
        String pinned = new ObjectMapper()
                .readTree(Path.of("tools", "package.json").toFile())
                .path("dependencies")
                .path(npm)
                .asText();
        assertThat(pinned)
                .as("%s pinned to one exact version in tools/package.json", npm)
                .matches("\\d+\\.\\d+\\.\\d+");
        assertThat(pkg.resolve("package.json")).as("cd tools && npm ci").exists();
        String installed = new ObjectMapper()
                .readTree(pkg.resolve("package.json").toFile())
                .path("version")
                .asText();
        assertThat(installed)
                .as("tools/node_modules is stale: cd tools && npm ci")
                .isEqualTo(pinned);

        assertThat(sha256(resource(shipped)))
                .as("SHA-256 of %s against %s %s (copy its %s after changing the pin)", shipped, npm, pinned, dist)
                .isEqualTo(sha256(Files.readAllBytes(pkg.resolve(dist))));
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void licenceShipsBesideTheScript(String npm, String shipped, String dist) throws Exception {
        String licence = shipped.substring(0, shipped.lastIndexOf('/') + 1) + "LICENSE";
        assertThat(resource(licence))
                .isEqualTo(
                        Files.readAllBytes(Path.of("tools", "node_modules", npm).resolve("LICENSE")));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ShippedScriptsTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("resource %s in the jar", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
