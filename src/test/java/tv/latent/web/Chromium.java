package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the scripts in tools/ that drive Debian's headless Chromium with playwright-core,
 * and reads the JSON report it prints (also copied to {@code target/{prefix}-{scenario}.json}).
 */
final class Chromium {
    private static final Path TOOLS = Path.of("tools").toAbsolutePath();

    private Chromium() {}

    /**
     * @param args the scenario first, then the script's own arguments
     * @throws AssertionError when Chromium or playwright-core is missing, the run does not finish
     *     within {@code seconds}, or the script reports a fatal error
     */
    static JsonNode run(Path dir, String script, String prefix, int seconds, String... args) throws Exception {
        assertThat(Path.of("/usr/bin/chromium")).as("apt-get install chromium").exists();
        assertThat(TOOLS.resolve("node_modules/playwright-core"))
                .as("cd tools && npm ci")
                .exists();
        Path out = dir.resolve("report-" + args[0] + ".json");
        List<String> command =
                new ArrayList<>(List.of("node", TOOLS.resolve(script).toString()));
        command.addAll(List.of(args));
        Process node = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(dir.resolve("node.err").toFile())
                .start();
        if (!node.waitFor(seconds, TimeUnit.SECONDS)) {
            node.destroyForcibly().waitFor();
            throw new AssertionError("the browser run did not finish");
        }
        JsonNode report = new ObjectMapper().readTree(Files.readString(out));
        Files.copy(out, Path.of("target", prefix + "-" + args[0] + ".json"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(report.has("fatal")).as(report.path("fatal").asText()).isFalse();
        return report;
    }
}
