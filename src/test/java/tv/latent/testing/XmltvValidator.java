package tv.latent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code tv_validate_file} (package xmltv-util, installed by {@code ./latenttv test}):
 * checks a guide against the XMLTV DTD and XMLTV's own rules (channel ids, times, episode numbers).
 * The DTD is read from the package's own copy, never fetched.
 */
public final class XmltvValidator {
    private static final Path TOOL = Path.of("/usr/bin/tv_validate_file");

    private XmltvValidator() {}

    /** What the validator said, and whether it accepted the file. */
    public record Verdict(boolean valid, String output) {}

    public static Verdict validate(Path guide) throws IOException, InterruptedException {
        if (!Files.isExecutable(TOOL)) {
            throw new IllegalStateException(
                    "tv_validate_file is missing: install Debian's xmltv-util (./latenttv test installs it)");
        }
        ProcessBuilder builder = new ProcessBuilder(TOOL.toString(), guide.toString()).redirectErrorStream(true);
        builder.environment().put("XMLTV_SUPPLEMENT", "/usr/share/xmltv");
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new IOException("tv_validate_file did not finish");
        }
        return new Verdict(process.exitValue() == 0, output.strip());
    }
}
